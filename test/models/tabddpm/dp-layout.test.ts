import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ColumnStatistics } from '../../../src/core/column-statistics.js';
import type { Table } from '../../../src/core/table.js';
import { layoutFromStatistics } from '../../../src/models/transformers/layout.js';
import { categorical, numeric, table } from '../../helpers/tables.js';

/** Training runs in worker threads from the build, as in the golden test. */
const dist = (path: string) => fileURLToPath(new URL(`../../../dist/src/${path}`, import.meta.url));

const STATISTICS: ColumnStatistics[] = [
  { kind: 'numeric', name: 'x', min: 0, max: 100, quantiles: [0, 25, 50, 75, 100], step: 1, missing: true },
  { kind: 'categorical', name: 'c', levels: ['a', 'b', '(other)'], placeholder: '(other)', missing: true },
];

function rows(rareValue: number, rareLevel: string): Table {
  const n = 40;
  const x = Array.from({ length: n }, (_, i) => (i === 0 ? rareValue : 20 + i));
  const codes = Array.from({ length: n }, (_, i) => (i === 0 ? 2 : i % 2));
  return table(numeric('x', x), categorical('c', codes, ['a', 'b', rareLevel]));
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The saved model.json's layout and columns after one epoch on `data` with the statistics. */
async function savedLayout(data: Table): Promise<unknown> {
  const { TabDdpm } = await import(dist('models/tabddpm/model.js'));
  const { useBackend } = await import(dist('core/backend.js'));
  await useBackend('cpu');
  const model = new TabDdpm({
    n_iter: 1,
    batch_size: 16,
    lr: 0.002,
    weight_decay: 1e-4,
    num_timesteps: 10,
    layers: 1,
    width: 16,
    dropout: 0,
    ema: 0.9,
  });
  await model.fit(data, { seed: 1, threads: 1, backend: 'cpu', statistics: STATISTICS });
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-dp-layout-'));
  dirs.push(dir);
  await model.save(dir);
  model.dispose();
  const saved = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  return { layout: saved.layout, columns: saved.columns, edgeShares: saved.edgeShares ?? null };
}

describe('TabDDPM under DP preprocessing', () => {
  it('fits its layout from the statistics alone: every level, a missing indicator, the stated range and rounding', () => {
    const layout = layoutFromStatistics(STATISTICS);
    expect(layout.numeric).toEqual([
      { column: 0, quantiles: [0, 25, 50, 75, 100], min: 0, max: 100, step: 1, missingSpan: 0 },
    ]);
    expect(layout.spans).toEqual([
      { column: 0, role: 'missing-indicator', codes: [0, 1] },
      { column: 1, role: 'category', codes: [0, 1, 2, -1] },
    ]);
  });

  it('saves the same layout and level lists when a rare value and a rare category of the rows change', async () => {
    const first = await savedLayout(rows(-5000, 'held-by-one-row'));
    const second = await savedLayout(rows(99, 'another-rare-one'));
    expect(first).toMatchObject({
      layout: { numeric: [{ min: 0, max: 100 }] },
      columns: [{}, { levels: ['a', 'b', '(other)'] }],
    });
    expect(first).toEqual(second);
    // Nothing of the rows: the rare level is not in the saved levels, and no edge shares are kept.
    expect(JSON.stringify(first)).not.toMatch(/held-by-one-row|-5000/);
  }, 60000);
});
