/** What the throughput benchmarks' children train on: generate's training split of a file, and a method's defaults for it. */
import { loadInputs } from '../src/core/io/load-inputs.js';
import { splitRows } from '../src/core/split.js';
import { takeRows, type Table } from '../src/core/table.js';
import { REGISTRY, type MethodId } from '../src/models/registry.js';
import { sizeDefaults } from '../src/optimizer/size-defaults.js';

/** The file's training rows (generate's default split, seed 0) and every parameter's default for them, with `epochs`. */
export async function defaultTraining(
  file: string,
  method: MethodId,
  epochs: number,
): Promise<{ train: Table; params: Record<string, number> }> {
  const { tables } = await loadInputs([file], {});
  const train = takeRows(tables[0], splitRows(tables[0], { seed: 0, fraction: 0.2 }).train);
  const defaults = Object.fromEntries(
    Object.entries(sizeDefaults(REGISTRY.get(method), train.rowCount, train.columns.length)).map(([k, v]) => [
      k,
      v.value,
    ]),
  );
  return { train, params: { ...defaults, n_iter: epochs } };
}
