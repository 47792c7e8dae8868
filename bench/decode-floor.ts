/**
 * AIM's decode floor: the training rows put through its bins and decoded back with no noise at
 * all (exact bins, exact fine histograms), so that the benchmark shows what the discretisation
 * costs apart from what the privacy noise costs.
 */
import { alignLevels } from '../src/core/align-levels.js';
import { evaluateTables } from '../src/metrics/evaluate.js';
import { createRng } from '../src/core/rng.js';
import type { Table } from '../src/core/table.js';
import { decodeColumn } from '../src/models/aim/discretise/decode.js';
import { discretise } from '../src/models/aim/discretise/discretise.js';
import { exactMechanisms } from '../src/models/aim/mechanisms.js';
import { AIM_FIXED_DEFAULTS } from '../src/models/aim/space.js';
import { columnTemplate } from '../src/models/column-template.js';

export async function decodeFloor(train: Table, bins = AIM_FIXED_DEFAULTS.bins) {
  const binned = discretise(train, { bins, mechanisms: exactMechanisms });
  const rng = createRng(0);
  const decoded: Table = {
    rowCount: train.rowCount,
    columns: binned.coders.map((coder, j) =>
      decodeColumn(coder, columnTemplate(train.columns[j]), binned.codes[j], rng),
    ),
  };
  const evaluation = await evaluateTables(train, alignLevels(decoded, train), undefined, {
    thresholds: {},
    backend: 'cpu',
    seed: 0,
  });
  const value = (id: string) => evaluation.metrics[id as keyof typeof evaluation.metrics]?.value ?? null;
  return { decoded, ks_mean: value('ks_mean'), tvd_mean: value('tvd_mean'), corr_delta: value('corr_delta') };
}
