/**
 * Zero-concentrated DP (Bun and Steinke 2016) and its conversion to (epsilon, delta)-DP by the
 * tight bound of Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy"
 * (NeurIPS 2020), Proposition 12 / Corollary 13: rho-zCDP gives (epsilon, delta)-DP for every
 * alpha > 1 with
 *
 *   delta = exp((alpha - 1)(alpha rho - epsilon)) / (alpha - 1) * (1 - 1/alpha)^alpha,
 *
 * so the smallest delta is the minimum over alpha. The log of that bound is convex in alpha, and
 * its derivative (2 alpha - 1) rho - epsilon + ln(1 - 1/alpha) is increasing: bisection finds its
 * root. Any alpha gives a valid delta, so an inexact root can only overstate delta, never
 * understate it.
 */

/** log delta(alpha) of the bound above. */
function logDeltaAt(rho: number, epsilon: number, alpha: number): number {
  return (alpha - 1) * (alpha * rho - epsilon) + alpha * Math.log1p(-1 / alpha) - Math.log(alpha - 1);
}

/** The delta rho-zCDP gives at this epsilon (at most 1). */
export function zcdpDelta(rho: number, epsilon: number): number {
  if (!(rho >= 0) || !(epsilon >= 0)) throw new RangeError(`zcdpDelta needs rho, epsilon >= 0: ${rho}, ${epsilon}`);
  if (rho === 0) return 0;
  // The optimal alpha lies above (1 + epsilon / rho) / 2; below 1.01 the bound is useless anyway.
  let low = 1.01;
  let high = (epsilon + 1) / (2 * rho) + 2;
  for (let i = 0; i < 200; i++) {
    const alpha = (low + high) / 2;
    if ((2 * alpha - 1) * rho - epsilon + Math.log1p(-1 / alpha) < 0) low = alpha;
    else high = alpha;
  }
  return Math.min(1, Math.exp(logDeltaAt(rho, epsilon, (low + high) / 2)));
}

/** The smallest epsilon for which rho-zCDP gives (epsilon, delta)-DP. */
export function zcdpEpsilon(rho: number, delta: number): number {
  if (!(rho >= 0) || !(delta > 0)) throw new RangeError(`zcdpEpsilon needs rho >= 0, delta > 0: ${rho}, ${delta}`);
  if (rho === 0 || delta >= 1) return 0;
  let low = 0;
  // The classic bound epsilon = rho + 2 sqrt(rho ln(1/delta)) always meets delta.
  let high = rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
  for (let i = 0; i < 200; i++) {
    const epsilon = (low + high) / 2;
    if (zcdpDelta(rho, epsilon) <= delta) high = epsilon;
    else low = epsilon;
  }
  return high;
}

/** The largest rho whose conversion gives (epsilon, delta)-DP: the budget a zCDP mechanism may spend. */
export function zcdpRho(epsilon: number, delta: number): number {
  if (!(epsilon > 0) || !(delta > 0)) throw new RangeError(`zcdpRho needs epsilon, delta > 0: ${epsilon}, ${delta}`);
  if (delta >= 1) return Infinity;
  let low = 0;
  let high = epsilon + 1;
  for (let i = 0; i < 200; i++) {
    const rho = (low + high) / 2;
    if (zcdpDelta(rho, epsilon) <= delta) low = rho;
    else high = rho;
  }
  return low;
}

/** rho of the Gaussian mechanism with L2 sensitivity `sensitivity` and noise standard deviation sigma. */
export const gaussianRho = (sigma: number, sensitivity = 1): number =>
  (sensitivity * sensitivity) / (2 * sigma * sigma);

/** rho of the exponential mechanism at epsilon: epsilon^2 / 8 (bounded range, Cesar and Rogers 2021). */
export const exponentialRho = (epsilon: number): number => (epsilon * epsilon) / 8;
