/** What every attack reports: its main and control success rates and the risk between them. */
import { createRng, sampleIndices, type Rng } from '../../core/rng.js';
import { residualRisk, successRate, type Risk, type SuccessRate } from './risk.js';

export interface AttackResult {
  readonly main: SuccessRate;
  readonly control: SuccessRate;
  readonly risk: Risk;
  /** Attack-specific facts (columns used, predicates found), JSON-ready. */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AttackOptions {
  /** Attacks per side (target rows, or singling-out predicates). */
  readonly attacks: number;
  readonly seed: number;
}

export const DEFAULT_ATTACKS = 500;

export function attackResult(
  attacks: number,
  mainSuccesses: number,
  controlSuccesses: number,
  details: Readonly<Record<string, unknown>>,
): AttackResult {
  const main = successRate(attacks, mainSuccesses);
  const control = successRate(attacks, controlSuccesses);
  return { main, control, risk: residualRisk(main, control), details };
}

/** The same number of target rows from the training rows and from the holdout. */
export function targetRows(
  trainRows: number,
  holdoutRows: number,
  attacks: number,
  rng: Rng,
): { main: Int32Array; control: Int32Array } {
  const n = Math.min(attacks, trainRows, holdoutRows);
  return { main: sampleIndices(trainRows, n, rng), control: sampleIndices(holdoutRows, n, rng) };
}

/** A seeded generator per attack, so one attack's draws do not shift another's. */
export const attackRng = (seed: number, salt: number): Rng => createRng((seed ^ salt) >>> 0);
