import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { Table } from '../../../src/core/table.js';
import { TVAE_FIXED_DEFAULTS } from '../../../src/models/tvae/space.js';
import { epsilonSpent } from '../../../src/privacy/rdp-accountant.js';
import { smallDpFitOptions, smallDpTable } from '../../helpers/dp-table.js';

// Worker threads run compiled JavaScript, so the fits below drive the build that `npm test` makes first.
const dist = (path: string) => fileURLToPath(new URL(`../../../dist/src/${path}`, import.meta.url));

describe('TVAE with a privacy target', () => {
  const params = { ...TVAE_FIXED_DEFAULTS, n_iter: 3, batch_size: 20, embedding_dim: 8 };
  const privacy = { epsilon: 3, delta: 1e-4, maxGradNorm: 1, rows: 100 };

  it('spends at most the target, states what the accountant says, and fits its layout from the statistics alone', async () => {
    const { useBackend } = await import(dist('core/backend.js'));
    const { Tvae } = await import(dist('models/tvae/model.js'));
    await useBackend('fused');
    const fitOn = async (table: Table) => {
      const model = new Tvae(params);
      const fit = await model.fit(table, smallDpFitOptions(privacy));
      return { model, fit };
    };
    const { model, fit } = await fitOn(smallDpTable(100));
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
    const other = await fitOn(smallDpTable(100, 'zz-rare'));
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
    await expect(model.fit(smallDpTable(50), { seed: 1, threads: 1, backend: 'wasm', privacy })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('per-example gradients'),
    });
  });
});
