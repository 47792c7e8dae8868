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
  const g = scratch + (<usize>scratchSize << 2);
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
      let max: f32 = load<f32>(logits);
      for (let c = 1; c < k; c++) max = Mathf.max(max, load<f32>(logits + (<usize>c << 2)));
      let total: f32 = 0;
      for (let c = 0; c < k; c++) {
        const e = Mathf.exp(load<f32>(logits + (<usize>c << 2)) - max);
        store<f32>(p0 + (<usize>c << 2), e);
        total += e;
      }
      const rest: f32 = (1 - alpha) / <f32>k;
      let z: f32 = 0;
      let qTotal: f32 = 0;
      for (let c = 0; c < k; c++) {
        const o = <usize>c << 2;
        const p = load<f32>(p0 + o) / total;
        store<f32>(p0 + o, p);
        const f: f32 = t == 0 ? 1 : (c == j ? alpha : 0) + rest;
        z += p * a * f + (b / <f32>k) * f;
        qTotal += ((c == c0 ? a : 0) + b / <f32>k) * f;
      }
      let inner: f32 = 0;
      let ce: f32 = 0;
      for (let c = 0; c < k; c++) {
        const o = <usize>c << 2;
        const f: f32 = t == 0 ? 1 : (c == j ? alpha : 0) + rest;
        const scale = a * f;
        const p = load<f32>(p0 + o);
        const u = p * scale + (b / <f32>k) * f;
        const q = (((c == c0 ? a : 0) + b / <f32>k) * f) / qTotal;
        if (q > 0) ce -= q * Mathf.log(u / z);
        const gc: f32 = (<f32>1 / z - (q > 0 ? q / u : <f32>0)) * scale;
        store<f32>(g + o, gc);
        inner += gc * p;
      }
      const gradSpan = gradRow + (<usize>offset << 2);
      for (let c = 0; c < k; c++) {
        const o = <usize>c << 2;
        store<f32>(gradSpan + o, spanWeight * load<f32>(p0 + o) * (load<f32>(g + o) - inner));
      }
      loss += <f64>(spanWeight * ce);
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
