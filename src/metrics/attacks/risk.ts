/**
 * Success rates and risks of privacy attacks (Giomi et al. 2022, "A Unified Framework for
 * Quantifying Privacy Risk in Synthetic Data", section 3; Anonymeter's stats/confidence.py).
 * A rate is the Wilson score estimate of a Bernoulli success probability; the risk is the main
 * attack's success in excess of the control attack's, relative to what the control left to gain,
 * (main - control) / (1 - control), with the rates' errors propagated to first order and the
 * result bounded to [0, 1].
 */

/** Two-sided 95 %: the standard normal quantile at 0.975. */
export const Z_95 = 1.959963984540054;

export interface SuccessRate {
  readonly attacks: number;
  readonly successes: number;
  /** Wilson centre (n_success + z^2/2) / (n + z^2). */
  readonly rate: number;
  /** Half-width of the Wilson interval. */
  readonly error: number;
}

export interface Risk {
  readonly value: number;
  readonly ci: readonly [number, number];
}

export function successRate(attacks: number, successes: number, z = Z_95): SuccessRate {
  const z2 = z * z;
  const denominator = attacks + z2;
  const variance = attacks > 0 ? (successes * (attacks - successes)) / attacks : 0;
  return {
    attacks,
    successes,
    rate: (successes + z2 / 2) / denominator,
    error: (z / denominator) * Math.sqrt(variance + z2 / 4),
  };
}

export function residualRisk(main: SuccessRate, control: SuccessRate): Risk {
  const free = 1 - control.rate;
  const value = (main.rate - control.rate) / free;
  const error = Math.hypot(main.error / Math.abs(free), (control.error * (main.rate - 1)) / free ** 2);
  const bound = (x: number) => Math.min(Math.max(x, 0), 1);
  return { value: bound(value), ci: [bound(value - error), bound(value + error)] };
}
