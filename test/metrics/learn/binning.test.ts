import { applyBinnings, fitBinnings, MAX_BINS } from '../../../src/metrics/learn/binning.js';

describe('feature binning', () => {
  it('gives each of few distinct values its own bin and missing the last bin', () => {
    const values = Float64Array.of(3, 1, 2, NaN, 1, 3);
    const [binning] = fitBinnings([{ name: 'x', kind: 'numeric', values }]);
    expect(binning.binCount).toBe(4);
    expect(Array.from(binning.cuts!)).toEqual([1.5, 2.5]);
    const data = applyBinnings([binning], [{ name: 'x', kind: 'numeric', values: Float64Array.of(0, 1, 2.4, 9, NaN) }]);
    expect(Array.from(data.bins[0])).toEqual([0, 0, 1, 2, 3]);
  });

  it('caps a continuous column at 255 bins with about equal counts', () => {
    const values = Float64Array.from({ length: 100_000 }, (_, i) => Math.sin(i) * 1000);
    const [binning] = fitBinnings([{ name: 'x', kind: 'numeric', values }]);
    expect(binning.binCount).toBe(MAX_BINS);
    const { bins } = applyBinnings([binning], [{ name: 'x', kind: 'numeric', values }]);
    const counts = new Array<number>(MAX_BINS).fill(0);
    for (const b of bins[0]) counts[b]++;
    expect(counts[MAX_BINS - 1]).toBe(0);
    expect(Math.max(...counts.slice(0, -1))).toBeLessThan((3 * 100_000) / 254);
  });

  it('keeps categories natively and folds the rarest when there are too many', () => {
    const codes = Int32Array.from({ length: 3000 }, (_, i) => (i < 2000 ? i % 300 : 7));
    const [binning] = fitBinnings([{ name: 'c', kind: 'categorical', codes, levels: 300 }]);
    expect(binning.binCount).toBe(MAX_BINS);
    const data = applyBinnings(
      [binning],
      [{ name: 'c', kind: 'categorical', codes: Int32Array.of(7, -1), levels: 300 }],
    );
    expect(data.bins[0][0]).toBe(0); // the most frequent level keeps a bin of its own
    expect(data.bins[0][1]).toBe(MAX_BINS - 1);
  });
});
