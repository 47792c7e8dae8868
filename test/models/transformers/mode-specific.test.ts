import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import type { CategoricalColumn, NumericColumn, Table } from '../../../src/core/table.js';
import { responsibilities } from '../../../src/models/transformers/bayesian-mixture.js';
import { decodeModeRows, encodeModeRows } from '../../../src/models/transformers/mode-codec.js';
import { fitModeLayout, type ModeLayout } from '../../../src/models/transformers/mode-layout.js';
import { lcg } from '../../helpers/random.js';

const ROWS = 400;
const DAY = 86400;

function makeTable(): Table {
  const next = lcg(21);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const age = Float64Array.from({ length: ROWS }, (_, i) =>
    Math.round(i % 3 === 0 ? 25 + 3 * normal() : 60 + 5 * normal()),
  );
  const price = Float64Array.from({ length: ROWS }, () => Math.round((20 + 4 * normal()) * 100) / 100);
  const day = Float64Array.from({ length: ROWS }, () => DAY * Math.round(18000 + 200 * normal()));
  const income = Float64Array.from({ length: ROWS }, () => (next() < 0.2 ? NaN : 1000 + 100 * normal()));
  const constant = new Float64Array(ROWS).fill(3);
  const city = Int32Array.from({ length: ROWS }, () => (next() < 0.1 ? -1 : Math.floor(next() * 3) * 2));
  return {
    rowCount: ROWS,
    columns: [
      { name: 'age', kind: 'numeric', values: age },
      { name: 'price', kind: 'numeric', values: price },
      { name: 'day', kind: 'datetime', values: day },
      { name: 'income', kind: 'numeric', values: income },
      { name: 'constant', kind: 'numeric', values: constant },
      { name: 'city', kind: 'categorical', codes: city, levels: ['Oslo', 'Bergen', 'Rome', 'Lima', 'Kyiv'] },
    ],
  };
}

const table = makeTable();
const layout = fitModeLayout(table, createRng(3));
const encoded = encodeModeRows(layout, table, createRng(4));
const numericValues = (t: Table, c: number) => (t.columns[c] as NumericColumn).values;

/** Encoded rows as a decoder's logits: each one-hot scaled so that its softmax is one-hot to within e^-40. */
function asLogits(rows: Float32Array): Float32Array {
  const out = rows.slice();
  for (const span of layout.spans.filter((s) => s.activation === 'softmax'))
    for (let at = span.start; at < out.length; at += layout.width)
      for (let k = 0; k < span.size; k++) out[at + k] *= 40;
  return out;
}

describe('mode-specific normalisation', () => {
  it('lays out contiguous spans that cover the width, in column order', () => {
    let at = 0;
    for (const span of layout.spans) {
      expect(span.start).toBe(at);
      expect(span.size).toBeGreaterThan(0);
      expect(span.activation).toBe(span.role === 'value' ? 'tanh' : 'softmax');
      if (span.role === 'value') expect(span.size).toBe(1);
      if (span.role === 'missing-indicator') expect(span.size).toBe(2);
      at += span.size;
    }
    expect(at).toBe(layout.width);
    expect(layout.spans.map((s) => s.column)).toEqual([...layout.spans.map((s) => s.column)].sort((a, b) => a - b));
    expect(layout.spans.filter((s) => s.role === 'missing-indicator').map((s) => s.column)).toEqual([3]);
    // Categorical columns only, as the reference's conditional vector; the missing class last.
    expect(layout.discreteSpans.map((s) => layout.spans[s].column)).toEqual([5]);
    expect(layout.categorical[0].codes).toEqual([0, 2, 4, -1]);
    expect(layout.numeric[0].modes.length).toBeGreaterThanOrEqual(2);
    expect(layout.numeric[4].modes).toHaveLength(1);
    expect(layout.numeric.map((p) => p.step)).toEqual([1, 0.01, DAY, expect.any(Number), 1]);
    expect(layout.numeric[3].step).toBeLessThanOrEqual(1e-6);
  });

  it('encodes one-hot softmax spans and scalars inside +-0.99', () => {
    for (let i = 0; i < ROWS; i++)
      for (const span of layout.spans) {
        const cells = Array.from(
          encoded.subarray(i * layout.width + span.start, i * layout.width + span.start + span.size),
        );
        if (span.activation === 'tanh') expect(Math.abs(cells[0])).toBeLessThanOrEqual(Math.fround(0.99));
        else {
          expect(cells.filter((v) => v === 1)).toHaveLength(1);
          expect(cells.filter((v) => v !== 0 && v !== 1)).toHaveLength(0);
        }
      }
  });

  it('decodes the encoded rows back to the table: numbers on their step, categories and gaps exactly', () => {
    const decoded = decodeModeRows(layout, encoded, table);
    for (const c of [0, 1, 2, 4])
      expect(Array.from(numericValues(decoded, c))).toEqual(Array.from(numericValues(table, c)));
    const income = numericValues(table, 3);
    const back = numericValues(decoded, 3);
    for (let i = 0; i < ROWS; i++) {
      if (Number.isNaN(income[i])) expect(back[i]).toBeNaN();
      else expect(Math.abs(back[i] - income[i])).toBeLessThan(1e-9 * 1000 + 1e-4); // float32 scalar, no step
    }
    expect(Array.from((decoded.columns[5] as CategoricalColumn).codes)).toEqual(
      Array.from((table.columns[5] as CategoricalColumn).codes),
    );
    expect(decoded.columns.map((c) => [c.name, c.kind])).toEqual(table.columns.map((c) => [c.name, c.kind]));
  });

  it.each([0, 1])("draws each value's mode from its responsibilities, never a mode with none (column %p)", (column) => {
    const part = layout.numeric[column];
    const modeStart = layout.spans[part.modeSpan].start;
    const values = numericValues(table, column);
    const resp = new Float64Array(part.modes.length);
    const expected = new Float64Array(part.modes.length);
    const variance = new Float64Array(part.modes.length);
    const counts = new Float64Array(part.modes.length);
    for (let i = 0; i < ROWS; i++) {
      responsibilities(part.modes, values[i], resp);
      const k = Array.from(
        encoded.subarray(i * layout.width + modeStart, i * layout.width + modeStart + resp.length),
      ).indexOf(1);
      expect(resp[k]).toBeGreaterThan(0);
      counts[k]++;
      resp.forEach((r, j) => {
        expected[j] += r;
        variance[j] += r * (1 - r);
      });
    }
    // Sampled (not the argmax): each mode's count is within 4 sd of its summed responsibilities.
    counts.forEach((count, k) =>
      expect(Math.abs(count - expected[k])).toBeLessThanOrEqual(4 * Math.sqrt(variance[k]) + 1e-9),
    );
    // Price is one normal fitted with overlapping modes: there the choice is a real draw.
    if (column === 1) expect(variance.some((v) => v > 10)).toBe(true);
  });

  it('clips a value far from every kept mode at +-0.99 and decodes it inside the seen range', () => {
    const values = Float64Array.from({ length: 801 }, (_, i) => (i === 800 ? 1000 : Math.sin(i) * 2));
    const outlier: Table = { rowCount: 801, columns: [{ name: 'x', kind: 'numeric', values }] };
    const fitted = fitModeLayout(outlier, createRng(1));
    // One value in 801 weighs under 0.005: its mode is dropped, so it goes to a kept one.
    expect(fitted.numeric[0].modes.every((m) => m.mean < 100)).toBe(true);
    const rows = encodeModeRows(fitted, outlier, createRng(2));
    expect(rows[800 * fitted.width]).toBe(Math.fround(0.99));
    const back = numericValues(decodeModeRows(fitted, rows, outlier), 0);
    expect(back[800]).toBeLessThan(1000);
    const wild = new Float32Array(fitted.width * 2);
    wild[0] = 50;
    wild[1] = 1;
    wild[fitted.width] = -50;
    wild[fitted.width + 1] = 1;
    const [high, low] = numericValues(decodeModeRows(fitted, wild, outlier), 0);
    const mode = fitted.numeric[0].modes[0];
    expect(high).toBeCloseTo(Math.min(mode.mean + 4 * mode.sd, 1000), 9);
    expect(low).toBeGreaterThanOrEqual(Math.min(...values));
  });

  it('survives JSON: a parsed layout decodes the same table', () => {
    const parsed = JSON.parse(JSON.stringify(layout)) as ModeLayout;
    expect(parsed).toEqual(layout);
    expect(decodeModeRows(parsed, encoded, table)).toEqual(decodeModeRows(layout, encoded, table));
  });

  it('adds sampling noise to the scalars only, scaled by the sigma at each value column', () => {
    const sigmas = new Float32Array(layout.width);
    const logits = asLogits(encoded);
    const quiet = decodeModeRows(layout, logits, table, { sigmas, rng: createRng(9) });
    expect(quiet).toEqual(decodeModeRows(layout, encoded, table));
    const priceAt = layout.spans[layout.numeric[1].valueSpan].start;
    sigmas[priceAt] = 0.2;
    const noisy = decodeModeRows(layout, logits, table, { sigmas, rng: createRng(9) });
    for (const c of [0, 2, 3, 4, 5]) expect(noisy.columns[c]).toEqual(quiet.columns[c]);
    const shifted = numericValues(noisy, 1).filter((v, i) => v !== numericValues(quiet, 1)[i]);
    expect(shifted.length).toBeGreaterThan(ROWS / 2);
  });

  it("draws each softmax span's class from the softmax of its logits when sampling, where plain decoding takes the argmax", () => {
    const city = layout.categorical[0];
    const { start, size } = layout.spans[city.span];
    const rows = 20000;
    const missingAt = layout.spans[layout.numeric[3].missingSpan].start;
    const data = new Float32Array(rows * layout.width);
    for (let r = 0; r < rows; r++) {
      data.set(encoded.subarray(0, layout.width), r * layout.width);
      // Logits log(1), log(2), ...: class k is drawn with probability (k + 1) / (1 + 2 + ... + size).
      for (let k = 0; k < size; k++) data[r * layout.width + start + k] = Math.log(k + 1);
      // income's missing indicator: logits log 3 (present) and 0 (missing), so a quarter is missing.
      data[r * layout.width + missingAt] = Math.log(3);
      data[r * layout.width + missingAt + 1] = 0;
    }
    const codesOf = (t: Table) => (t.columns[city.column] as CategoricalColumn).codes;
    const drawn = codesOf(
      decodeModeRows(layout, data, table, { sigmas: new Float32Array(layout.width), rng: createRng(2) }),
    );
    const total = (size * (size + 1)) / 2;
    city.codes.forEach((code, k) => {
      const share = drawn.filter((c) => c === code).length / rows;
      const p = (k + 1) / total;
      // Four standard deviations of a share of 20,000 draws.
      expect(Math.abs(share - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / rows));
    });
    expect(new Set(codesOf(decodeModeRows(layout, data, table)))).toEqual(new Set([city.codes[size - 1]]));
    const missingShare = (t: Table) => numericValues(t, 3).filter(Number.isNaN).length / rows;
    const sampled = decodeModeRows(layout, data, table, { sigmas: new Float32Array(layout.width), rng: createRng(3) });
    expect(Math.abs(missingShare(sampled) - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / rows));
    expect(missingShare(decodeModeRows(layout, data, table))).toBe(0);
  });

  it('fits on the given statistics instead of the table, reading nothing from it', () => {
    const empty: Table = {
      rowCount: 0,
      columns: [
        { name: 'n', kind: 'numeric', values: new Float64Array(0) },
        { name: 'c', kind: 'categorical', codes: new Int32Array(0), levels: ['a', 'b', 'c'] },
      ],
    };
    const fitted = fitModeLayout(empty, createRng(1), {
      values: () => Float64Array.from([1, 2, 3, 50, 51, 52, NaN]),
      levels: () => [2, 0],
    });
    expect(fitted.numeric[0]).toMatchObject({ min: 1, max: 52, step: 1 });
    expect(fitted.numeric[0].missingSpan).toBeGreaterThan(-1);
    expect(fitted.categorical[0].codes).toEqual([2, 0]);
    // A level missing from the given list encodes as no class at all.
    const row: Table = {
      rowCount: 1,
      columns: [
        { name: 'n', kind: 'numeric', values: Float64Array.from([2]) },
        { name: 'c', kind: 'categorical', codes: Int32Array.from([1]), levels: ['a', 'b', 'c'] },
      ],
    };
    const span = fitted.spans[fitted.categorical[0].span];
    expect(Array.from(encodeModeRows(fitted, row, createRng(1)).subarray(span.start, span.start + span.size))).toEqual([
      0, 0,
    ]);
  });

  it('gives a column with no values no spans, and decodes it as missing', () => {
    const gaps: Table = {
      rowCount: 3,
      columns: [
        { name: 'none', kind: 'numeric', values: Float64Array.from([NaN, NaN, NaN]) },
        { name: 'c', kind: 'categorical', codes: Int32Array.from([0, 1, 0]), levels: ['a', 'b'] },
      ],
    };
    const fitted = fitModeLayout(gaps, createRng(1));
    expect(fitted.spans.map((s) => s.column)).toEqual([1]);
    const back = decodeModeRows(fitted, encodeModeRows(fitted, gaps, createRng(1)), gaps);
    expect(Array.from(numericValues(back, 0)).every(Number.isNaN)).toBe(true);
    expect(Array.from((back.columns[1] as CategoricalColumn).codes)).toEqual([0, 1, 0]);
  });
});
