/**
 * What a learner and an attacker make of the synthetic rows: ML efficacy (with a target), the
 * detector's AUC and the columns that give synthetic rows away, and the three attack risks with
 * their main and control success rates (issue 16). Tables, from the report's details.
 */
import { escape, num, table } from '../markup.js';
import type { Section } from './section.js';

type Details = Readonly<Record<string, unknown>> | null;
interface Rate {
  readonly rate: number;
  readonly ci: readonly [number, number];
}

const interval = (ci: unknown): string =>
  Array.isArray(ci) && ci.length === 2 ? `${num(ci[0] as number)}-${num(ci[1] as number)}` : '-';
const rate = (r: unknown): string => {
  const value = r as Rate | undefined;
  return value && typeof value.rate === 'number' ? `${num(value.rate)} (${interval(value.ci)})` : '-';
};

function efficacy(details: Details): string | null {
  if (!details) return null;
  const real = (details.real ?? {}) as Record<string, number>;
  const synthetic = (details.synthetic ?? {}) as Record<string, number>;
  const ratio = (details.ratio ?? {}) as Record<string, number>;
  const rows = Object.keys(real).map((score) => [
    escape(score),
    num(real[score]),
    num(synthetic[score]),
    num(ratio[score]),
  ]);
  return `<h3>ML efficacy: trained on real or on synthetic rows, tested on the holdout</h3>${table(['score', 'real', 'synthetic', 'synthetic / real'], rows)}`;
}

function detection(details: Details, auc: number | null | undefined): string | null {
  if (!details) return null;
  const importances = Object.entries((details.importances ?? {}) as Record<string, number>)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  const folds = Array.isArray(details.fold_aucs) ? (details.fold_aucs as number[]).map((v) => num(v)).join(', ') : '-';
  return `<h3>Detection: can a classifier tell synthetic rows from real ones?</h3><p>AUC ${num(auc)} (0.5: indistinguishable); folds ${folds}. The columns the detector leans on most:</p>${table(
    ['column', 'importance'],
    importances.map(([column, value]) => [escape(column), num(value)]),
  )}`;
}

export const learnedSection: Section = {
  id: 'learned',
  title: 'Learners and attackers',
  render({ evaluation }) {
    if (!evaluation) return null;
    const m = evaluation.metrics;
    const attacks = evaluation.privacy_attacks;
    const risks = (
      [
        ['singling out', 'singling_out_risk', attacks?.singling_out],
        ['linkability', 'linkability_risk', attacks?.linkability],
        ['attribute inference', 'inference_risk', attacks?.inference],
      ] as const
    ).filter(([, , details]) => details);
    const parts = [
      efficacy(evaluation.ml_efficacy),
      detection(evaluation.detection, m.detection_auc?.value),
      risks.length
        ? `<h3>Attack-based risks (Giomi et al. 2022): the attack on training rows against the same attack on the holdout</h3>${table(
            [
              'attack',
              'attacks',
              'success on training rows (95 %)',
              'success on holdout rows (95 %)',
              'risk',
              'risk 95 %',
            ],
            risks.map(([name, id, details]) => [
              escape(name),
              num(details!.attacks as number),
              rate(details!.main),
              rate(details!.control),
              num(m[id]?.value),
              interval(details!.risk_ci),
            ]),
          )}`
        : null,
    ].filter((part): part is string => part !== null);
    return parts.length ? parts.join('\n') : null;
  },
};
