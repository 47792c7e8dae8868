/**
 * The shape shared by TabDDPM's KS severity tiers (SPEC section 5): a KS band, a severity, and
 * the n_iter move for it, followed by the levers used once n_iter is at the tier's cap.
 */
import { formatCount } from '../../core/text/format.js';
import { worstColumns } from '../column-findings.js';
import { curveEvidence } from '../curve-evidence.js';
import { pullFirst, scale, step, switchMethod, type Lever } from '../levers.js';
import { ofFamily, type Diagnosis, type Evidence, type Rule, type Severity } from '../rule.js';
import type { Situation } from '../situation.js';

export interface KsTier {
  readonly id: string;
  readonly severity: Severity;
  /** KS above this (exclusive) ... */
  readonly above: number;
  /** ... and up to this (inclusive). */
  readonly upTo: number;
  readonly nIter: Lever;
  /** What a KS in this band says about the model. */
  readonly meaning: string;
  readonly advice?: readonly string[];
}

/** When n_iter is capped: a wider, then deeper denoiser, then another method. */
export const DDPM_KS_FALLBACK: readonly Lever[] = [
  scale('width', 2, { upTo: 512 }),
  step('layers', 1, { upTo: 4 }),
  switchMethod('ctgan'),
];

/** TabDDPM's KS tiers are about a diffusion model's epochs and denoiser. */
const DIFFUSION = ofFamily('diffusion');

export function ksTierRule(tier: KsTier): Rule {
  const levers = [tier.nIter, ...DDPM_KS_FALLBACK];
  return {
    id: tier.id,
    group: 'method',
    methods: DIFFUSION,
    covers: ['HIGH_KS'],
    summary: `KS in (${tier.above}, ${tier.upTo === Infinity ? '1' : tier.upTo}]: ${tier.severity}; ${tier.nIter.label}; at the cap: ${DDPM_KS_FALLBACK.map((l) => l.label).join(', then ')}`,
    applies(situation, failures): Diagnosis | null {
      const ks = situation.metrics.ks_mean;
      const threshold = situation.thresholds.ks_mean;
      if (!situation.descriptor || !DIFFUSION.includes(situation.descriptor) || threshold === undefined) return null;
      const atEdges = situation.samplesAtEdges && tier.upTo === Infinity;
      if (!atEdges && (ks === null || ks === undefined || !(ks > tier.above && ks <= tier.upTo))) return null;
      const failing = failures.some((f) => f.type === 'HIGH_KS') || atEdges;
      if (tier.severity !== 'near' && !failing) return null;
      if (tier.severity === 'near' && failing) return null;
      const n = situation.params.n_iter;
      const figures =
        ks === null || ks === undefined
          ? 'the sampled numeric values piled up at the edges of their range'
          : tier.severity === 'near'
            ? `KS ${ks.toFixed(3)} passes the ${threshold} threshold with ${(threshold - ks).toFixed(3)} to spare`
            : `KS ${ks.toFixed(3)} is ${(ks / threshold).toFixed(1)}x the ${threshold} threshold`;
      const epochs =
        tier.severity === 'near'
          ? `n_iter=${n} for ${formatCount(situation.trainRows)} training rows leaves little margin`
          : `n_iter=${n} is too low for ${formatCount(situation.trainRows)} training rows`;
      const advice = [...(tier.advice ?? [])];
      if (situation.trainingInterrupted) advice.unshift('training was stopped before its last epoch: let it finish');
      return {
        rule: tier.id,
        failures: failing ? ['HIGH_KS'] : [],
        severity: tier.severity,
        cause: `${figures}: ${tier.meaning}; ${epochs}`,
        evidence: [
          { source: atEdges && ks == null ? 'checks' : 'metrics', finding: figures },
          ...curveAndColumns(situation),
        ],
        ...(advice.length ? { advice } : {}),
      };
    },
    suggest: (diagnosis, situation, taken) => pullFirst(levers, situation, taken, tier.id, `KS ${diagnosis.severity}`),
  };
}

/** The KS curve over the checkpoints and the worst columns, where the report has them. */
function curveAndColumns(situation: Situation): Evidence[] {
  const columns = worstColumns(situation, 'ks');
  return [...curveEvidence(situation, ['ks_mean']), ...(columns ? [columns] : [])];
}
