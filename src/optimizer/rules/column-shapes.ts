/**
 * CTGAN/TVAE with high KS where the failing columns have shapes their encoding loses (the report's
 * per_column and figures): a point mass the synthetic rows smear (TVAE on precipitation's exact
 * zeros) or a heavy tail. Both encode a numeric column as a Gaussian mixture, which spreads an
 * exact value over its mode's width and fits a long tail with few modes, so more epochs do not
 * bring them back; TabDDPM's quantile transform maps an exact value back to itself.
 */
import { failingColumns, heavilySkewed, massFinding, skewFinding, smearedMass } from '../column-findings.js';
import type { Failure } from '../failures.js';
import { switchMethod } from '../levers.js';
import { curveEvidence } from '../curve-evidence.js';
import { ofFamily, type Evidence } from '../rule.js';
import type { Situation } from '../situation.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';

/** Columns named in the cause. */
const SHOWN = 3;

/** The failing columns' point masses and heavy tails, worst column first. */
function shapeFindings(situation: Situation): Evidence[] {
  return failingColumns(situation, 'ks')
    .flatMap((c) => {
      const mass = smearedMass(c);
      return mass ? [massFinding(c, mass)] : heavilySkewed(c) ? [skewFinding(c)] : [];
    })
    .slice(0, SHOWN);
}

const curveFindings = (situation: Situation, failures: Failure[]): Evidence[] =>
  curveEvidence(
    situation,
    failures.map((f) => f.metric),
  );

export const columnShapes = failureRule({
  id: 'column-shapes',
  group: 'method',
  methods: ofFamily('gan', 'vae'),
  covers: ['HIGH_KS'],
  when: 'CTGAN/TVAE, KS over its threshold, and a failing column has a point mass the synthetic rows miss by 5 points or a skewness past 2 (per_column, figures)',
  match: (s, failures) => (shapeFindings(s).length ? nonEmpty(only(failures, ['HIGH_KS'])) : null),
  cause: (failures, s) =>
    [
      describeAll(failures),
      ...[...shapeFindings(s), ...curveFindings(s, failures)].map((e) => e.finding),
      "the method's Gaussian-mixture encoding spreads an exact value over its mode's width and fits a long tail with few modes, so more epochs do not bring them back; TabDDPM's quantile transform keeps both",
    ].join('; '),
  evidence: (failures, s) => [...shapeFindings(s), ...curveFindings(s, failures)],
  levers: [switchMethod('ddpm')],
  advice: ['a numeric column whose values are codes (0 for none, 1, 2, ...) is better declared discrete'],
});
