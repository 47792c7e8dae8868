/**
 * Which timesteps the reverse process visits, and the coefficients of each jump, for the full
 * schedule (DDPM, one step at a time, exactly the sampler TabDDPM always had) and for a strided
 * one over `sampleSteps` of them (DDIM, Song et al. 2021, for the Gaussian part; the matching
 * skip-step posterior of multinomial diffusion, Hoogeboom et al. 2021, for the categorical part).
 *
 * A jump goes from timestep t to s < t (s = -1: the data, alpha-bar_{-1} = 1); the network sees t.
 *
 * Gaussian part. With x0 predicted from the noise estimate (and bounded), and the noise
 * re-derived from that bounded x0, eps = (x_t - sqrt(ab_t) x0) / sqrt(1 - ab_t), DDIM's update is
 *   x_s = sqrt(ab_s) x0 + sqrt(1 - ab_s - sigma^2) eps + sigma z,
 * written here as x0Coef x0 + xtCoef x_t + sd z. Its sigma ranges from 0 (deterministic) to the
 * posterior's sd, sqrt((1 - ab_s) / (1 - ab_t)) sqrt(1 - ab_t / ab_s) (DDIM's eta = 1: the mean and
 * variance of q(x_s | x_t, x0)). The full schedule takes beta_t, not the posterior's variance, and
 * DDIM's paper (section 5.1) runs DDPM over strided steps the same way, with
 * sigma-hat = sqrt(1 - ab_t / ab_s): with big jumps that larger variance makes up for the spread of
 * x0 given x_t that the posterior mean leaves out (on a Gaussian table the posterior's own variance
 * loses a quarter of the spread in 10 jumps, sigma-hat keeps it). So here sigma = eta sigma-hat with
 * eta in [0, 1]: 0 is deterministic DDIM, 1 DDPM's step over the jump (posterior mean, variance
 * sigma-hat^2), and in between DDIM's update while sigma is under the posterior's sd, the posterior
 * mean with the larger sigma above it.
 *
 * Multinomial part. A one-step transition keeps the class with alpha_r and otherwise draws it
 * uniformly: Q_r = alpha_r I + (1 - alpha_r) U with U = 1 1^T / K. As U^2 = U, a product of such
 * matrices is of the same form with the alphas multiplied:
 *   Q_a Q_b = alpha_a alpha_b I + (1 - alpha_a alpha_b) U,
 * so q(x_t | x_s) = Cat(keep x_s + (1 - keep) / K) with keep = prod_{r=s+1..t} alpha_r
 * (= ab_t / ab_s), and q(x_s | x0) = Cat(ab_s x0 + (1 - ab_s) / K). By Bayes, since x_t depends
 * on x0 only through x_s,
 *   q(x_s = c | x_t = j, x0) proportional to (keep [c = j] + (1 - keep) / K) (ab_s x0_c + (1 - ab_s) / K),
 * and with x0 replaced by the network's p0 = softmax(logits), as the one-step sampler does, this is
 * the kernel's posterior with alpha = keep and a = ab_s. The jump to the data (s = -1) draws from
 * p0 itself, as the full schedule's last step always has.
 */
import type { Schedule } from './schedule.js';

export interface ReverseJump {
  /** The timestep the network sees and the jump starts from. */
  readonly t: number;
  /** The timestep the jump lands on; -1 for the data. */
  readonly s: number;
  /** Gaussian part: x_s = x0Coef x0 + xtCoef x_t + sd z. */
  readonly x0Coef: number;
  readonly xtCoef: number;
  readonly sd: number;
  /** Multinomial part: q(x_t | x_s) keeps the class with `keep`, q(x_s | x0) with `keepFromData`. */
  readonly keep: number;
  readonly keepFromData: number;
}

/** The timesteps a strided sampler visits, from T - 1 down to 0, evenly spaced (all of them when sampleSteps >= T). */
export function strideTimesteps(steps: number, sampleSteps: number): number[] {
  if (!(sampleSteps >= 1)) throw new Error(`sample steps ${sampleSteps} is not at least 1`);
  if (sampleSteps >= steps) return Array.from({ length: steps }, (_, i) => steps - 1 - i);
  if (sampleSteps === 1) return [steps - 1];
  // Spacing (T - 1) / (K - 1) >= 1, so rounding keeps them distinct, and both ends are visited.
  return Array.from({ length: sampleSteps }, (_, i) =>
    Math.round(((sampleSteps - 1 - i) * (steps - 1)) / (sampleSteps - 1)),
  );
}

/**
 * The jumps of the reverse process. sampleSteps >= schedule.steps: the full schedule with the
 * coefficients the sampler has always used (posterior mean, beta_t as the variance), so its draws
 * are unchanged bit for bit; fewer: the strided DDIM / skip-step multinomial jumps described above.
 */
export function reversePlan(schedule: Schedule, sampleSteps: number, eta = 1): ReverseJump[] {
  if (sampleSteps >= schedule.steps) return fullPlan(schedule);
  const visits = strideTimesteps(schedule.steps, sampleSteps);
  return visits.map((t, i) => stridedJump(schedule, t, i + 1 < visits.length ? visits[i + 1] : -1, eta));
}

function fullPlan(schedule: Schedule): ReverseJump[] {
  const jumps: ReverseJump[] = [];
  for (let t = schedule.steps - 1; t >= 0; t--) {
    jumps.push({
      t,
      s: t - 1,
      x0Coef: schedule.meanCoefX0[t],
      xtCoef: schedule.meanCoefXt[t],
      sd: t > 0 ? Math.sqrt(schedule.reverseVariance[t]) : 0,
      keep: schedule.alphas[t],
      keepFromData: t === 0 ? 1 : schedule.alphaBarPrev[t],
    });
  }
  return jumps;
}

/** One jump t -> s of the strided sampler (s = -1: to the data). */
export function stridedJump(schedule: Schedule, t: number, s: number, eta: number): ReverseJump {
  if (!(s < t && s >= -1 && t < schedule.steps)) throw new Error(`no jump from timestep ${t} to ${s}`);
  const abT = schedule.alphaBar[t];
  const abS = s < 0 ? 1 : schedule.alphaBar[s];
  let keep = 1;
  for (let r = s + 1; r <= t; r++) keep *= schedule.alphas[r];
  // The posterior's variance is never above sigma-hat^2 = 1 - keep: the mean is DDIM's for a sigma up to it, the posterior mean beyond.
  const posteriorVariance = ((1 - abS) / (1 - abT)) * (1 - keep);
  // No noise on the jump to the data, as on the full schedule's last step.
  const sd = s < 0 ? 0 : eta * Math.sqrt(1 - keep);
  const direction = Math.sqrt(Math.max(0, 1 - abS - Math.min(sd * sd, posteriorVariance)));
  const spread = Math.sqrt(1 - abT);
  return {
    t,
    s,
    x0Coef: Math.sqrt(abS) - (direction * Math.sqrt(abT)) / spread,
    xtCoef: direction / spread,
    sd,
    keep,
    keepFromData: abS,
  };
}
