import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { ColumnStatistics } from '../../../src/core/column-statistics.js';
import { createRng } from '../../../src/core/rng.js';
import type { Table } from '../../../src/core/table.js';
import { TVAE_FIXED_DEFAULTS } from '../../../src/models/tvae/space.js';
import { epsilonSpent } from '../../../src/privacy/rdp-accountant.js';

// Worker threads run compiled JavaScript, so the fits below drive the build that `npm test` makes first.
const dist = (path: string) => fileURLToPath(new URL(`../../../dist/src/${path}`, import.meta.url));

function smallTable(rows: number, rare = 'c'): Table {
  const rng = createRng(7);
  const codes = Int32Array.from({ length: rows }, (_, i) => (i === 0 ? 2 : rng.int(2)));
  return {
    rowCount: rows,
    columns: [
      { name: 'x', kind: 'numeric', values: Float64Array.from({ length: rows }, () => 10 + 5 * rng.next()) },
      { name: 'group', kind: 'categorical', codes, levels: ['a', 'b', rare] },
    ],
  };
}

/** What DP preprocessing would release for smallTable: bounds and quantiles of x, and a and b but not the one-row level. */
const STATISTICS: ColumnStatistics[] = [
  { kind: 'numeric', name: 'x', min: 10, max: 15, quantiles: [10, 11, 12.5, 14, 15], step: 0, missing: true },
  { kind: 'categorical', name: 'group', levels: ['a', 'b', '(other)'], placeholder: '(other)', missing: false },
];

describe('TVAE with a privacy target', () => {
  const params = { ...TVAE_FIXED_DEFAULTS, n_iter: 3, batch_size: 20, embedding_dim: 8 };
  const privacy = { epsilon: 3, delta: 1e-4, maxGradNorm: 1 };

  it('spends at most the target, states what the accountant says, and fits its layout from the statistics alone', async () => {
    const { useBackend } = await import(dist('core/backend.js'));
    const { Tvae } = await import(dist('models/tvae/model.js'));
    await useBackend('fused');
    const fitOn = async (table: Table) => {
      const model = new Tvae(params);
      const fit = await model.fit(table, { seed: 3, threads: 2, backend: 'fused', privacy, statistics: STATISTICS });
      return { model, fit };
    };
    const { model, fit } = await fitOn(smallTable(100));
    const p = fit.privacy!;
    expect(p.spentEpsilon).toBeLessThanOrEqual(3);
    expect(p).toMatchObject({ targetEpsilon: 3, delta: 1e-4, maxGradNorm: 1, sampleRate: 0.2, steps: 3 * 5 });
    expect(p.spentEpsilon).toBe(epsilonSpent(p.sampleRate, p.noiseMultiplier, p.steps, p.delta).epsilon);
    const { table } = (await model.sample(50, { seed: 1 })) as { table: Table };
    const group = table.columns[1];
    expect(group.kind === 'categorical' && group.levels).toEqual(['a', 'b', '(other)']);
    const x = table.columns[0];
    if (x.kind !== 'categorical') for (const v of x.values) expect(Number.isNaN(v) || (v >= 10 && v <= 15)).toBe(true);
    // The one-row level is not in the model, whatever it is called in the data.
    const other = await fitOn(smallTable(100, 'zz-rare'));
    const names = (m: { columnNames(): string[] }) => m.columnNames();
    expect(names(other.model)).toEqual(names(model));
    const otherGroup = ((await other.model.sample(50, { seed: 1 })) as { table: Table }).table.columns[1];
    expect(otherGroup.kind === 'categorical' && otherGroup.levels).toEqual(['a', 'b', '(other)']);
    model.dispose();
    other.model.dispose();
  }, 180000);

  it('refuses a TensorFlow.js backend, which has no per-example gradients', async () => {
    const { Tvae } = await import(dist('models/tvae/model.js'));
    const model = new Tvae(params);
    await expect(model.fit(smallTable(50), { seed: 1, threads: 1, backend: 'wasm', privacy })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('per-example gradients'),
    });
  });
});
