/** Softmax of values[from .. from+size) into out[0 .. size), shifted by the maximum so exp cannot overflow. */
export function softmaxInto(out: Float64Array, values: ArrayLike<number>, from: number, size: number): void {
  let max = -Infinity;
  for (let c = 0; c < size; c++) max = Math.max(max, values[from + c]);
  let total = 0;
  for (let c = 0; c < size; c++) total += out[c] = Math.exp(values[from + c] - max);
  for (let c = 0; c < size; c++) out[c] /= total;
}
