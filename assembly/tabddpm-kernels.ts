/**
 * TabDDPM's kernels: the mixed loss with its gradient, and the multinomial reverse step of sampling.
 *
 * The mixed loss and its gradient with respect to the denoiser's output, for one batch
 * (the rows of one shard): the MSE of the predicted noise on the numeric part, and per
 * categorical span the cross-entropy of the model's posterior against the true one, weighted as
 * the reference weighs them (T / spans, averaged over the batch).
 *
 * For a span of K classes with true class c0 and noised class j at timestep t, with
 * a = alpha-bar_{t-1} (1 at t = 0), b = 1 - a and f(c) = alpha_t [c = j] + (1 - alpha_t) / K
 * (f = 1 at t = 0, the decoder NLL), the model's posterior is u_c / Z with u_c = p0_c A_c + S_c,
 * A_c = a f(c), S_c = b f(c) / K, p0 = softmax(logits); the true posterior q is the same with
 * p0 = one-hot(c0). CE = -sum_c q_c log(u_c / Z), dCE/du_c = 1/Z - q_c/u_c, and through the
 * softmax dCE/dl_j = p0_j (g_j - sum_c g_c p0_c) with g_c = A_c dCE/du_c.
 */

/**
 * out, grad: [rows, width] f32 (width = dNum + the spans' columns); noise [rows, dNum];
 * steps [rows] i32; trueClass, noisedClass [rows, nSpans] i32; spans: (offset, size) i32 pairs
 * (offsets from column dNum); alphas, alphaBarPrev: f32 per timestep; scratch: 2 x the largest
 * span. Returns this batch's share of the loss.
 */
export function mixed_diffusion_loss(
  out: usize, grad: usize, width: i32, rows: i32, dNum: i32, noise: usize,
  steps: usize, trueClass: usize, noisedClass: usize, spans: usize, nSpans: i32,
  alphas: usize, alphaBarPrev: usize, numericScale: f32, spanWeight: f32, scratch: usize, scratchSize: i32,
): f64 {
  let loss: f64 = 0;
  const p0 = scratch;
  const g = scratch + (<usize>scratchSize << 3);
  for (let i = 0; i < rows; i++) {
    const row = out + (<usize>(i * width) << 2);
    const gradRow = grad + (<usize>(i * width) << 2);
    const noiseRow = noise + (<usize>(i * dNum) << 2);
    for (let c = 0; c < dNum; c++) {
      const o = <usize>c << 2;
      const diff = load<f32>(row + o) - load<f32>(noiseRow + o);
      loss += <f64>(diff * diff * numericScale);
      store<f32>(gradRow + o, 2 * diff * numericScale);
    }
    const t = load<i32>(steps + (<usize>i << 2));
    const a: f32 = t == 0 ? 1 : load<f32>(alphaBarPrev + (<usize>t << 2));
    const b: f32 = 1 - a;
    const alpha = load<f32>(alphas + (<usize>t << 2));
    for (let s = 0; s < nSpans; s++) {
      const offset = dNum + load<i32>(spans + (<usize>(2 * s) << 2));
      const k = load<i32>(spans + (<usize>(2 * s + 1) << 2));
      const c0 = load<i32>(trueClass + (<usize>(i * nSpans + s) << 2));
      const j = load<i32>(noisedClass + (<usize>(i * nSpans + s) << 2));
      const logits = row + (<usize>offset << 2);
      // Double precision with log-space terms: at t = 0 the model's posterior is p0 itself, and
      // a true class whose probability underflows float32 (a logit gap near 90) must still give
      // a finite loss and gradient.
      let max: f64 = <f64>load<f32>(logits);
      for (let c = 1; c < k; c++) max = Math.max(max, <f64>load<f32>(logits + (<usize>c << 2)));
      let sum: f64 = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp(<f64>load<f32>(logits + (<usize>c << 2)) - max);
        store<f64>(p0 + (<usize>c << 3), e);
        sum += e;
      }
      const lse = max + Math.log(sum);
      const rest: f64 = (1 - <f64>alpha) / <f64>k;
      const share: f64 = <f64>b / <f64>k;
      let z: f64 = 0;
      let qTotal: f64 = 0;
      for (let c = 0; c < k; c++) {
        const f: f64 = t == 0 ? 1 : (c == j ? <f64>alpha : 0) + rest;
        const p = load<f64>(p0 + (<usize>c << 3)) / sum;
        store<f64>(p0 + (<usize>c << 3), p);
        z += p * <f64>a * f + share * f;
        qTotal += ((c == c0 ? <f64>a : 0) + share) * f;
      }
      const logZ = Math.log(z);
      let inner: f64 = 0;
      let ce: f64 = 0;
      for (let c = 0; c < k; c++) {
        const f: f64 = t == 0 ? 1 : (c == j ? <f64>alpha : 0) + rest;
        const scale = <f64>a * f;
        const shift = share * f;
        const p = load<f64>(p0 + (<usize>c << 3));
        const u = p * scale + shift;
        const q = (((c == c0 ? <f64>a : 0) + share) * f) / qTotal;
        // p A / u, the share of u the model's p0 carries: exactly 1 where nothing is mixed in.
        const carried: f64 = shift == 0 ? 1 : (p * scale) / u;
        if (q > 0) {
          const logU = shift == 0 ? <f64>load<f32>(logits + (<usize>c << 2)) - lse + Math.log(scale) : Math.log(u);
          ce -= q * (logU - logZ);
        }
        // p_c g_c, with g_c = A_c dCE/du_c = A_c (1/Z - q_c/u_c).
        const pg = (p * scale) / z - q * carried;
        store<f64>(g + (<usize>c << 3), pg);
        inner += pg;
      }
      const gradSpan = gradRow + (<usize>offset << 2);
      for (let c = 0; c < k; c++) {
        const p = load<f64>(p0 + (<usize>c << 3));
        store<f32>(gradSpan + (<usize>c << 2), <f32>(<f64>spanWeight * (load<f64>(g + (<usize>c << 3)) - p * inner)));
      }
      loss += <f64>spanWeight * ce;
    }
  }
  return loss;
}

/**
 * One reverse step of the multinomial diffusion for every categorical span of every row: the
 * model's posterior over the previous class, (a p0_c + (1 - a) / K) f(c) with p0 = softmax(logits),
 * a = alpha-bar_{t-1} (1 at t = 0), f(c) = alpha_t [c = current] + (1 - alpha_t) / K (1 at t = 0),
 * sampled by inversion with one uniform draw per span. classes [rows, nSpans] is updated in place.
 */
export function multinomial_reverse_step(
  out: usize, width: i32, rows: i32, dNum: i32, classes: usize, spans: usize, nSpans: i32,
  t: i32, alpha: f32, a: f32, uniforms: usize, scratch: usize,
): void {
  for (let i = 0; i < rows; i++) {
    const row = out + (<usize>(i * width) << 2);
    for (let s = 0; s < nSpans; s++) {
      const offset = dNum + load<i32>(spans + (<usize>(2 * s) << 2));
      const k = load<i32>(spans + (<usize>(2 * s + 1) << 2));
      const at = classes + (<usize>(i * nSpans + s) << 2);
      const current = load<i32>(at);
      const logits = row + (<usize>offset << 2);
      let max: f32 = load<f32>(logits);
      for (let c = 1; c < k; c++) max = Mathf.max(max, load<f32>(logits + (<usize>c << 2)));
      let norm: f32 = 0;
      for (let c = 0; c < k; c++) {
        const e = Mathf.exp(load<f32>(logits + (<usize>c << 2)) - max);
        store<f32>(scratch + (<usize>c << 2), e);
        norm += e;
      }
      const rest: f32 = (1 - alpha) / <f32>k;
      const mix: f32 = (1 - a) / <f32>k;
      let total: f32 = 0;
      for (let c = 0; c < k; c++) {
        const o = <usize>c << 2;
        const f: f32 = t == 0 ? 1 : (c == current ? alpha : 0) + rest;
        const p = (a * (load<f32>(scratch + o) / norm) + mix) * f;
        store<f32>(scratch + o, p);
        total += p;
      }
      let u = load<f32>(uniforms + (<usize>(i * nSpans + s) << 2)) * total;
      let chosen = k - 1;
      for (let c = 0; c < k; c++) {
        u -= load<f32>(scratch + (<usize>c << 2));
        if (u < 0) {
          chosen = c;
          break;
        }
      }
      store<i32>(at, chosen);
    }
  }
}
