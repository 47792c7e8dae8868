/**
 * A numeric column's present values in ascending order, as ks_mean and the report's ECDF plots
 * read them. A column of few distinct values (ages, counts, codes: most columns of a large table)
 * is counted and written out value by value, several times faster than sorting every row; the
 * array is the same either way, -0 before 0 as a sort puts them.
 */

/** The non-missing values, sorted ascending. */
export const sortedPresent = (values: Float64Array): Float64Array => countingSort(values) ?? sortPresent(values);

function sortPresent(values: Float64Array): Float64Array {
  let count = 0;
  for (const v of values) if (!Number.isNaN(v)) count++;
  const out = new Float64Array(count);
  let k = 0;
  for (const v of values) if (!Number.isNaN(v)) out[k++] = v;
  return out.sort();
}

/** The sorted values from a count of each distinct one; null once there are too many for that to pay. */
function countingSort(values: Float64Array): Float64Array | null {
  const limit = Math.max(256, values.length >> 4);
  const counts = new Map<number, number>(); // -0 and 0 are one key here; -0s are counted apart
  let negativeZeros = 0;
  let present = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    present++;
    if (Object.is(v, -0)) negativeZeros++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > limit) return null;
  }
  const out = new Float64Array(present);
  let k = 0;
  for (const v of Float64Array.from(counts.keys()).sort()) {
    const count = counts.get(v)!;
    if (v === 0) out.fill(-0, k, k + negativeZeros);
    out.fill(v, v === 0 ? k + negativeZeros : k, k + count);
    k += count;
  }
  return out;
}
