/**
 * Issue 28 item 13: what each sensitive column's mechanism does, as figures (the Laplace scale and
 * where its bounds come from, randomized response's keep probability and categories), the words
 * and warnings made of them, the metadata's copy, and the clamp (post-processing) of noised numbers.
 */
import { describe, expect, it } from '@jest/globals';
import { GesalpError } from '../../src/core/errors.js';
import { keepProbability } from '../../src/privacy/mechanisms.js';
import type { CatalogueColumn } from '../../src/sample-db/catalogue.js';
import { columnFigures, noiseExceedsRange, type ColumnFigures } from '../../src/sample-db/column-figures.js';
import { columnWords } from '../../src/sample-db/column-lines.js';
import { planPrivacy, type PlanInput, type SensitiveColumn } from '../../src/sample-db/privacy-plan.js';
import { privacyReport } from '../../src/sample-db/privacy-report.js';
import { checkRequest } from '../../src/sample-db/request-checks.js';
import { clampTo, columnNoise } from '../../src/sample-db/row-noise.js';

const AGE: CatalogueColumn = { name: 'age', type: 'integer', numeric: true, integer: true };
const BP: CatalogueColumn = { name: 'bp', type: 'real', numeric: true, integer: false };
const DIAGNOSIS: CatalogueColumn = { name: 'diagnosis', type: 'text', numeric: false, integer: false };
const DOMAIN = ['asthma', 'diabetes', 'flu'];

const plan = (overrides: Partial<PlanInput>) =>
  planPrivacy({
    epsilon: 1,
    sensitive: ['age', 'diagnosis'],
    bounds: { age: [0, 110] },
    domains: { diagnosis: DOMAIN },
    fraction: 0.05,
    seeded: false,
    columns: [AGE, DIAGNOSIS],
    ...overrides,
  })!;

/** The library's own words: each option by its key. */
const own = (option: string) => option;
const flag = (option: string) => `--${option}`;

describe('columnFigures', () => {
  it('gives a declared numeric column its Laplace scale, median noise and scale over range', () => {
    const [age] = plan({}).columns.map(columnFigures);
    expect(age).toMatchObject({
      name: 'age',
      mechanism: 'laplace',
      epsilon: 0.5,
      bounds: [0, 110],
      boundsFrom: 'declared',
      scale: 220,
      scaleToRange: 2,
      clamp: false,
    });
    expect(age.mechanism === 'laplace' && age.medianNoise).toBeCloseTo(220 * Math.LN2, 9);
    expect(noiseExceedsRange(age)).toBe(true);
  });

  it('gives a categorical column its keep probability over the domain plus missing', () => {
    const [, diagnosis] = plan({}).columns.map(columnFigures);
    expect(diagnosis).toEqual({
      name: 'diagnosis',
      mechanism: 'randomized_response',
      epsilon: 0.5,
      domainFrom: 'declared',
      estimationEpsilon: 0,
      categories: 4,
      keepProbability: keepProbability(0.5, 4),
    });
    expect(noiseExceedsRange(diagnosis)).toBe(false);
  });

  it('leaves the scale and keep probability unknown while bounds and domains are still to be estimated', () => {
    const figures = plan({ bounds: {}, domains: {} }).columns.map(columnFigures);
    expect(figures[0]).toMatchObject({ boundsFrom: 'estimated', estimationEpsilon: 0.05, scaleToRange: 1 / 0.45 });
    expect(figures[0]).not.toHaveProperty('scale');
    expect(figures[0]).not.toHaveProperty('bounds');
    expect(figures[1]).toMatchObject({ domainFrom: 'estimated', estimationEpsilon: 0.05 });
    expect(figures[1]).not.toHaveProperty('keepProbability');
    expect(figures[1]).not.toHaveProperty('categories');
  });

  it('does not flag a column whose noise is within its range', () => {
    const [age] = plan({ sensitive: ['age'], domains: {}, epsilon: 4 }).columns.map(columnFigures);
    expect(age).toMatchObject({ scale: 27.5, scaleToRange: 0.25 });
    expect(noiseExceedsRange(age)).toBe(false);
  });
});

describe('columnWords', () => {
  const words = (figures: ColumnFigures[], clamp = false, name = flag) => columnWords(figures, { clamp }, name);

  it('says the scale and its bounds, the keep probability and categories, one line per column', () => {
    const { lines } = words(plan({}).columns.map(columnFigures));
    expect(lines).toEqual([
      'age: Laplace noise, epsilon 0.5: scale 220 on bounds 0..110 (declared); half the values move by more than 152',
      `diagnosis: randomized response, epsilon 0.5: keeps a row's value with probability ${Number(keepProbability(0.5, 4).toPrecision(3))} among 4 categories (3 declared, and missing; a uniform guess: 0.25), else another at random`,
    ]);
  });

  it('warns when the noise scale is larger than the range, by how much, and what would help', () => {
    const { warnings } = words(plan({}).columns.map(columnFigures));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^age: the noise scale 220 is 2 times the range 0\.\.110: /);
    for (const help of [
      /a larger --epsilon/,
      /fewer --sensitive columns \(2 share it now\)/,
      /narrower --bounds/,
      /--clamp/,
    ])
      expect(warnings[0]).toMatch(help);
    // No warning where the noise fits the range.
    expect(words(plan({ sensitive: ['age'], domains: {}, epsilon: 4 }).columns.map(columnFigures)).warnings).toEqual(
      [],
    );
  });

  it('says plainly, in a dry run, which figures estimated bounds and domains will set at run time', () => {
    const { lines, warnings } = words(plan({ bounds: {}, domains: {} }).columns.map(columnFigures));
    expect(lines[0]).toMatch(
      /^age: Laplace noise, epsilon 0\.45: bounds to be estimated at run time with epsilon 0\.05 \(a dry run reads no data\), so the noise scale is not known yet; it will be 2\.22 times the estimated range$/,
    );
    expect(lines[1]).toMatch(/categories to be estimated at run time .* so the keep probability is not known yet$/);
    expect(warnings[0]).toMatch(/the noise scale will be 2\.22 times the estimated range/);
    expect(warnings[0]).toMatch(/declared --bounds/);
  });

  it('with clamp: says the values are clamped, drops clamp from the advice, notes categories have nothing to clamp', () => {
    const { lines, warnings } = words(plan({ clamp: true }).columns.map(columnFigures), true);
    expect(lines[0]).toMatch(/; released values clamped to 0\.\.110$/);
    expect(lines[1]).toMatch(/; --clamp does not apply to categories$/);
    expect(warnings[0]).toMatch(/most land on their ends/);
    expect(warnings[0]).not.toMatch(/--clamp/);
  });

  it('with clamp and no numeric sensitive column: says nothing is clamped', () => {
    const figures = plan({ sensitive: ['diagnosis'], bounds: {}, clamp: true }).columns.map(columnFigures);
    expect(words(figures, true).warnings).toEqual(['--clamp: no sensitive column is numeric, so nothing is clamped']);
  });

  it('names options as the caller does: the library words carry no flag', () => {
    const { lines, warnings } = words(plan({ bounds: {}, clamp: true }).columns.map(columnFigures), true, own);
    expect([...lines, ...warnings].join('\n')).not.toMatch(/--/);
    expect(warnings[0]).toMatch(/a larger epsilon/);
  });
});

describe('the metadata', () => {
  it('records per column the scale, bounds_from, keep_probability, categories and clamp', () => {
    const report = privacyReport(plan({ clamp: true })) as { clamp: boolean; columns: Record<string, unknown>[] };
    expect(report.clamp).toBe(true);
    expect(report.columns[0]).toMatchObject({
      column: 'age',
      mechanism: 'laplace',
      bounds: [0, 110],
      bounds_from: 'declared',
      laplace_scale: 220,
      scale_to_range: 2,
      clamp: true,
    });
    expect(report.columns[1]).toMatchObject({
      column: 'diagnosis',
      domain_from: 'declared',
      categories: 4,
      keep_probability: keepProbability(0.5, 4),
    });
    expect(report.columns[1]).not.toHaveProperty('clamp');
  });

  it('says in a dry run that the figures of estimated bounds and domains are set at run time', () => {
    const report = privacyReport(plan({ bounds: {}, domains: {} })) as { columns: Record<string, unknown>[] };
    expect(report.columns[0]).toMatchObject({
      bounds: 'estimated at run time',
      bounds_from: 'estimated',
      laplace_scale: expect.stringMatching(/set at run time/),
      scale_to_range: 1 / 0.45,
    });
    expect(report.columns[1]).toMatchObject({
      domain_from: 'estimated',
      keep_probability: expect.stringMatching(/set at run time/),
      categories: expect.stringMatching(/set at run time/),
    });
  });
});

describe('clamp', () => {
  const laplaceColumn = (clamp: boolean, integer = true): SensitiveColumn => ({
    name: 'age',
    mechanism: 'laplace',
    epsilon: 0.5,
    integer,
    bounds: [0, 110],
    source: 'declared',
    estimationEpsilon: 0,
    clamp,
  });

  it('is planned for numeric columns only, and changes no charge', () => {
    const clamped = plan({ clamp: true });
    const plain = plan({});
    expect(clamped.columns.map((c) => c.clamp)).toEqual([true, false]);
    expect(clamped.effectiveEpsilon).toBe(plain.effectiveEpsilon);
    expect(clamped.effectiveDelta).toBe(plain.effectiveDelta);
    expect(clamped.rowEpsilonCharged).toBe(plain.rowEpsilonCharged);
  });

  it('keeps every clamped release inside the bounds; unclamped ones leave them (scale 220 on 0..110)', () => {
    const draws = 2000;
    for (const integer of [true, false]) {
      const clamped = columnNoise(laplaceColumn(true, integer));
      const plain = columnNoise(laplaceColumn(false, integer));
      const inside = (x: unknown) => (x as number) >= 0 && (x as number) <= 110;
      const c = Array.from({ length: draws }, (_, i) => clamped(i % 111));
      const p = Array.from({ length: draws }, (_, i) => plain(i % 111));
      expect(c.every(inside)).toBe(true);
      // From x in 0..110 the noise stays inside with probability at most P(|L| <= 55) = 1 - e^(-55/220) = 0.221.
      const share = p.filter(inside).length / draws;
      expect(share).toBeLessThan(0.23 + 5 * Math.sqrt((0.23 * 0.77) / draws));
      expect(share).toBeGreaterThan(0.05);
      // Clamped values pile at the bounds: the share outside, unclamped, equals the share at the ends, clamped.
      const ends = c.filter((x) => x === 0 || x === 110).length / draws;
      expect(Math.abs(ends - (1 - share))).toBeLessThan(5 * Math.sqrt(0.25 / draws) * 2);
    }
  });

  it('clamps an integer column into the whole numbers inside fractional bounds', () => {
    const clamp = clampTo(0.5, 10.5, true);
    expect([clamp(-4), clamp(3), clamp(11)]).toEqual([1, 3, 10]);
    expect(clampTo(0.5, 10.5, false)(11)).toBe(10.5);
    // No whole number inside: the bounds themselves.
    expect(clampTo(0.2, 0.8, true)(5)).toBe(0.8);
  });

  it('is refused without a sensitive column: only noised values have bounds to keep', () => {
    const request = { sensitive: [], bounds: {}, domains: {}, fraction: 1, clamp: true };
    for (const extra of [{ raw: true }, {}, { epsilon: 1 }]) {
      let error: unknown;
      try {
        checkRequest({ ...request, ...extra });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GesalpError);
      expect(error).toMatchObject({ kind: 'usage', option: 'clamp' });
      expect((error as Error).message).toMatch(
        /^clamp keeps noised values inside their bounds, and no column is sensitive/,
      );
    }
  });

  it('covers a real-valued column next to an integer one', () => {
    const figures = plan({
      sensitive: ['age', 'bp'],
      bounds: { age: [0, 110], bp: [80, 200] },
      columns: [AGE, BP],
      clamp: true,
    }).columns;
    expect(figures.map((c) => [c.name, c.clamp])).toEqual([
      ['age', true],
      ['bp', true],
    ]);
  });
});
