/**
 * The per-row pass over a block of squared distances: add each reference's categorical
 * mismatches (one table lookup per group), find the row's nearest reference in [from, to),
 * and lower each reference's best-so-far. One fused loop, specialised for up to three groups,
 * because in V8 every pass over a row costs about 3-5 ns per element here, several times the
 * matMul's share.
 */

export interface RowScan {
  /** Squared numeric distances of the block, row-major; the row starts at `offset`. */
  readonly d: Float32Array;
  readonly offset: number;
  /** Per group: the query's mismatch table and each reference's signature. */
  readonly tables: Float32Array[];
  readonly signatures: Int32Array[];
  readonly colMin: Float32Array;
  readonly colNearest: Int32Array;
  /** The global index of this query, recorded as a reference's nearest. */
  readonly query: number;
}

/** Returns the index in [from, to) of the nearest reference. */
export function scanRow(scan: RowScan, from: number, to: number): number {
  const { tables, signatures } = scan;
  switch (tables.length) {
    case 0:
      return scan0(scan.d, scan.offset, from, to, scan.colMin, scan.colNearest, scan.query);
    case 1:
      return scan1(scan.d, scan.offset, from, to, scan.colMin, scan.colNearest, scan.query, tables[0], signatures[0]);
    case 2:
      return scan2(scan.d, scan.offset, from, to, scan.colMin, scan.colNearest, scan.query, tables[0], signatures[0], tables[1], signatures[1]);
    default:
      for (let g = 3; g < tables.length; g++) addGroup(scan.d, scan.offset, from, to, tables[g], signatures[g]);
      return scan3(scan.d, scan.offset, from, to, scan.colMin, scan.colNearest, scan.query, tables[0], signatures[0], tables[1], signatures[1], tables[2], signatures[2]);
  }
}

function addGroup(d: Float32Array, offset: number, from: number, to: number, t: Float32Array, s: Int32Array): void {
  for (let j = from; j < to; j++) d[offset + j] += t[s[j]];
}

function scan0(d: Float32Array, offset: number, from: number, to: number, colMin: Float32Array, colNearest: Int32Array, query: number): number {
  let best = Infinity;
  let arg = from;
  for (let j = from; j < to; j++) {
    const v = d[offset + j];
    if (v < best) {
      best = v;
      arg = j;
    }
    if (v < colMin[j]) {
      colMin[j] = v;
      colNearest[j] = query;
    }
  }
  return arg;
}

function scan1(d: Float32Array, offset: number, from: number, to: number, colMin: Float32Array, colNearest: Int32Array, query: number, t0: Float32Array, s0: Int32Array): number {
  let best = Infinity;
  let arg = from;
  for (let j = from; j < to; j++) {
    const v = d[offset + j] + t0[s0[j]];
    if (v < best) {
      best = v;
      arg = j;
    }
    if (v < colMin[j]) {
      colMin[j] = v;
      colNearest[j] = query;
    }
  }
  return arg;
}

function scan2(
  d: Float32Array,
  offset: number,
  from: number,
  to: number,
  colMin: Float32Array,
  colNearest: Int32Array,
  query: number,
  t0: Float32Array,
  s0: Int32Array,
  t1: Float32Array,
  s1: Int32Array,
): number {
  let best = Infinity;
  let arg = from;
  for (let j = from; j < to; j++) {
    const v = d[offset + j] + t0[s0[j]] + t1[s1[j]];
    if (v < best) {
      best = v;
      arg = j;
    }
    if (v < colMin[j]) {
      colMin[j] = v;
      colNearest[j] = query;
    }
  }
  return arg;
}

function scan3(
  d: Float32Array,
  offset: number,
  from: number,
  to: number,
  colMin: Float32Array,
  colNearest: Int32Array,
  query: number,
  t0: Float32Array,
  s0: Int32Array,
  t1: Float32Array,
  s1: Int32Array,
  t2: Float32Array,
  s2: Int32Array,
): number {
  let best = Infinity;
  let arg = from;
  for (let j = from; j < to; j++) {
    const v = d[offset + j] + t0[s0[j]] + t1[s1[j]] + t2[s2[j]];
    if (v < best) {
      best = v;
      arg = j;
    }
    if (v < colMin[j]) {
      colMin[j] = v;
      colNearest[j] = query;
    }
  }
  return arg;
}
