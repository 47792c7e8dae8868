/**
 * The noise schedule shared by the Gaussian and the multinomial diffusion: cosine alpha-bar
 * (Nichol & Dhariwal 2021) with every beta capped, and the coefficients both processes use.
 */

/** The reference caps beta at 0.999; the last reverse step then divides by about 0.03, which is why x0 is also bounded. */
export const MAX_BETA = 0.999;

export interface Schedule {
  readonly steps: number;
  readonly betas: Float64Array;
  readonly alphas: Float64Array;
  /** alpha-bar_t = prod_{s<=t} alpha_s. */
  readonly alphaBar: Float64Array;
  /** alpha-bar_{t-1}, with alpha-bar_{-1} = 1. */
  readonly alphaBarPrev: Float64Array;
  /** Posterior mean = meanCoefX0 * x0 + meanCoefXt * x_t. */
  readonly meanCoefX0: Float64Array;
  readonly meanCoefXt: Float64Array;
  /** Variance of a reverse step: the posterior variance at t = 0, beta_t after (as the reference does). */
  readonly reverseVariance: Float64Array;
}

export function cosineSchedule(steps: number): Schedule {
  const s = 0.008;
  const alphaBarAt = (u: number): number => Math.cos(((u + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  const betas = Float64Array.from({ length: steps }, (_, i) =>
    Math.min(1 - alphaBarAt((i + 1) / steps) / alphaBarAt(i / steps), MAX_BETA),
  );
  const alphas = betas.map((b) => 1 - b);
  const alphaBar = new Float64Array(steps);
  const alphaBarPrev = new Float64Array(steps);
  let product = 1;
  for (let t = 0; t < steps; t++) {
    alphaBarPrev[t] = product;
    product *= alphas[t];
    alphaBar[t] = product;
  }
  const meanCoefX0 = betas.map((b, t) => (b * Math.sqrt(alphaBarPrev[t])) / (1 - alphaBar[t]));
  const meanCoefXt = alphas.map((a, t) => ((1 - alphaBarPrev[t]) * Math.sqrt(a)) / (1 - alphaBar[t]));
  const posteriorVariance = betas.map((b, t) => (b * (1 - alphaBarPrev[t])) / (1 - alphaBar[t]));
  const reverseVariance = betas.map((b, t) => (t === 0 ? posteriorVariance[Math.min(1, steps - 1)] : b));
  return { steps, betas, alphas, alphaBar, alphaBarPrev, meanCoefX0, meanCoefXt, reverseVariance };
}
