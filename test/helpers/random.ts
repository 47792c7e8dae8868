/** Deterministic test data, independent of the code under test's own generator. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

export function randomValues(
  n: number,
  seed: number,
  options: { missing?: number; round?: number } = {},
): Float64Array {
  const next = lcg(seed);
  return Float64Array.from({ length: n }, () => {
    if (options.missing && next() < options.missing) return NaN;
    const v = next() * 10 - 3;
    return options.round ? Math.round(v * options.round) / options.round : v;
  });
}

export function randomCodes(n: number, levels: number, seed: number, missing = 0): Int32Array {
  const next = lcg(seed);
  return Int32Array.from({ length: n }, () => (missing && next() < missing ? -1 : Math.floor(next() * levels)));
}
