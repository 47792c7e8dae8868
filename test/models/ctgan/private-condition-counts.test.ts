import { describe, expect, it } from '@jest/globals';
import type { ColumnStatistics } from '../../../src/core/column-statistics.js';
import { privateConditionCounts } from '../../../src/models/ctgan/private-condition-counts.js';
import type { ModeLayout } from '../../../src/models/transformers/mode-layout.js';

/** Only what privateConditionCounts reads of a layout: its categorical columns' classes. */
const layout = (categorical: { column: number; codes: number[] }[]) =>
  ({ categorical: categorical.map((c, i) => ({ ...c, span: i })) }) as unknown as ModeLayout;

describe("DP-CTGAN's condition weights", () => {
  const estimated: ColumnStatistics = {
    kind: 'categorical',
    name: 'job',
    levels: ['clerk', 'nurse', '(other)'],
    placeholder: '(other)',
    missing: true,
    counts: [41.7, 12.2, 0],
  };
  const declared: ColumnStatistics = { ...estimated, name: 'city', counts: undefined };

  it('weighs estimated levels by their rounded noisy counts, the placeholder and missing class by nothing', () => {
    expect(privateConditionCounts(layout([{ column: 0, codes: [0, 1, 2, -1] }]), [estimated])).toEqual([
      [42, 12, 0, 0],
    ]);
  });

  it('weighs a declared list, or one whose counts are all zero, uniformly', () => {
    const zero = { ...estimated, counts: [0, 0, 0] };
    expect(privateConditionCounts(layout([{ column: 0, codes: [0, 1, 2] }]), [declared])).toEqual([[1, 1, 1]]);
    expect(privateConditionCounts(layout([{ column: 0, codes: [0, 1, 2] }]), [zero])).toEqual([[1, 1, 1]]);
  });
});
