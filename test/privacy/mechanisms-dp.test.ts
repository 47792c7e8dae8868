/**
 * Empirical differential privacy on neighbouring inputs, modelled on Google's statistical tester: run
 * the mechanism many times on x and on a neighbour x' (differing by the full sensitivity), bucket the
 * outputs, and check every bucket's counts against the e^epsilon bound with a tolerance from the sample
 * size. A mechanism with too little noise must fail the same check.
 */
import { describe, expect, it } from '@jest/globals';
import { laplace, laplaceMechanism, randomizedResponse } from '../../src/privacy/mechanisms.js';
import { bucketCounts, dpViolations } from '../helpers/statistics.js';

const runs = 40000;
const sample = (draw: () => number) => Array.from({ length: runs }, draw);

/** Buckets a third of the scale wide, from 5 scales below lo to 5 above hi (the tails are open buckets). */
const edgesFor = (lo: number, hi: number, scale: number) => {
  const width = scale / 3;
  const count = Math.ceil((hi - lo + 10 * scale) / width);
  return Array.from({ length: count + 1 }, (_, i) => lo - 5 * scale + i * width);
};

describe('laplaceMechanism on neighbours lo and hi', () => {
  it.each([
    [0, 1, 1],
    [0, 100, 0.5],
    [-2.5, 7.25, 2],
  ])('on [%s, %s] stays within e^eps = e^%s in every bucket', (lo, hi, eps) => {
    const edges = edgesFor(lo, hi, (hi - lo) / eps);
    const a = bucketCounts(
      sample(() => laplaceMechanism(lo, lo, hi, eps)),
      edges,
    );
    const b = bucketCounts(
      sample(() => laplaceMechanism(hi, lo, hi, eps)),
      edges,
    );
    expect(dpViolations(a, b, eps)).toEqual([]);
  });

  it('fails the check with a third less noise than epsilon needs', () => {
    const eps = 1;
    const edges = edgesFor(0, 1, 1);
    const a = bucketCounts(
      sample(() => laplaceMechanism(0, 0, 1, 1.5 * eps)),
      edges,
    );
    const b = bucketCounts(
      sample(() => laplaceMechanism(1, 0, 1, 1.5 * eps)),
      edges,
    );
    expect(dpViolations(a, b, eps).length).toBeGreaterThan(0);
  });

  it('holds for values clamped from outside the bounds', () => {
    const edges = edgesFor(0, 10, 10);
    const a = bucketCounts(
      sample(() => laplaceMechanism(-1e6, 0, 10, 1)),
      edges,
    );
    const b = bucketCounts(
      sample(() => laplaceMechanism(1e6, 0, 10, 1)),
      edges,
    );
    expect(dpViolations(a, b, 1)).toEqual([]);
  });
});

describe('laplace on neighbouring counts', () => {
  it('keeps count and count + 1 within e^eps with scale 1 / eps, and not with scale 1 / (2 eps)', () => {
    const eps = 0.7;
    const edges = edgesFor(40, 41, 1 / eps);
    const noised = (count: number, scale: number) =>
      bucketCounts(
        sample(() => count + laplace(scale)),
        edges,
      );
    expect(dpViolations(noised(40, 1 / eps), noised(41, 1 / eps), eps)).toEqual([]);
    expect(dpViolations(noised(40, 1 / (2 * eps)), noised(41, 1 / (2 * eps)), eps).length).toBeGreaterThan(0);
  });
});

describe('randomizedResponse on neighbouring categories', () => {
  const counts = (draw: () => number, k: number) => {
    const c = new Array<number>(k).fill(0);
    for (let i = 0; i < runs; i++) c[draw()]++;
    return c;
  };

  it.each([
    [2, 0.5],
    [6, 1],
    [20, 2.5],
  ])('over %s categories stays within e^%s, also against an input outside the domain', (k, eps) => {
    const first = counts(() => randomizedResponse(0, k, eps), k);
    const second = counts(() => randomizedResponse(k - 1, k, eps), k);
    const outside = counts(() => randomizedResponse(-1, k, eps), k);
    expect(dpViolations(first, second, eps)).toEqual([]);
    expect(dpViolations(first, outside, eps)).toEqual([]);
  });

  it('fails the check when it keeps the truth as often as epsilon 1.5 would', () => {
    const first = counts(() => randomizedResponse(0, 6, 1.5), 6);
    const second = counts(() => randomizedResponse(5, 6, 1.5), 6);
    expect(dpViolations(first, second, 1).length).toBeGreaterThan(0);
  });
});
