/** Tables as learner inputs: the feature columns (all but the target) and the target itself. */
import { isNumeric, type Table } from '../../core/table.js';
import type { FeatureInput } from './binning.js';

/** Every column of `table` except those named in `exclude`, as learner features. */
export function tableFeatures(table: Table, exclude: readonly string[] = []): FeatureInput[] {
  return table.columns
    .filter((c) => !exclude.includes(c.name))
    .map((c) =>
      isNumeric(c)
        ? { name: c.name, kind: 'numeric', values: c.values }
        : { name: c.name, kind: 'categorical', codes: c.codes, levels: c.levels.length },
    );
}

/** Rows `indices` of features. */
export function takeFeatureRows(features: readonly FeatureInput[], indices: ArrayLike<number>): FeatureInput[] {
  return features.map((f) =>
    f.kind === 'numeric'
      ? { ...f, values: Float64Array.from({ length: indices.length }, (_, i) => f.values[indices[i]]) }
      : { ...f, codes: Int32Array.from({ length: indices.length }, (_, i) => f.codes[indices[i]]) },
  );
}
