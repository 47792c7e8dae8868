/** The rounding a column's values were recorded at: what sampled values are rounded back to. */

/** The coarsest of 1e-0 .. 1e-6 that every value is a multiple of (0 when none fits: no rounding). */
export function decimalStep(values: Float64Array): number {
  for (let decimals = 0; decimals <= 6; decimals++) {
    const scale = 10 ** decimals;
    if (values.every((v) => Math.abs(v * scale - Math.round(v * scale)) <= 1e-9 * Math.max(1, Math.abs(v * scale))))
      return 1 / scale;
  }
  return 0;
}

/** Dates keep the granularity they were recorded at: days, hours, minutes or seconds. */
export function dateStep(values: Float64Array): number {
  return [86400, 3600, 60, 1].find((step) => values.every((v) => v % step === 0)) ?? 0;
}
