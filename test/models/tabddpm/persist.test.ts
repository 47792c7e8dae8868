import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../../src/core/rng.js';
import { columnTemplate } from '../../../src/models/column-template.js';
import { spanGeometry } from '../../../src/models/tabddpm/batch.js';
import { initialWeights } from '../../../src/models/tabddpm/denoiser.js';
import { TabDdpm } from '../../../src/models/tabddpm/model.js';
import { TABDDPM_FIXED_DEFAULTS, type TabDdpmParams } from '../../../src/models/tabddpm/space.js';
import { fitLayout, spanSizes } from '../../../src/models/transformers/layout.js';
import { categorical, numeric, table } from '../../helpers/tables.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A TabDDPM with seeded random weights over a small table's layout (sampling needs no training). */
function untrained(params: Partial<TabDdpmParams>): TabDdpm {
  const rows = table(
    numeric(
      'x',
      Array.from({ length: 30 }, (_, i) => i / 3),
    ),
    categorical(
      'c',
      Array.from({ length: 30 }, (_, i) => i % 3),
      ['a', 'b', 'c'],
    ),
  );
  const layout = fitLayout(rows);
  const full = { ...TABDDPM_FIXED_DEFAULTS, n_iter: 1, batch_size: 16, num_timesteps: 40, width: 16, ...params };
  const shape = {
    inputWidth: layout.numeric.length + spanGeometry(spanSizes(layout)).width,
    layers: full.layers,
    width: full.width,
  };
  return new TabDdpm(full, {
    layout,
    columns: rows.columns.map(columnTemplate),
    model: { shape, weights: initialWeights(shape, createRng(3)) },
    training: null,
    edgeShares: null,
  });
}

async function saved(model: TabDdpm): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-ddpm-persist-'));
  dirs.push(dir);
  await model.save(dir);
  return dir;
}

const rowsOf = async (model: TabDdpm) => (await model.sample(200, { seed: 4 })).table;

describe('a saved TabDDPM and its sampler steps', () => {
  it('saves sample_steps and sample_eta and samples the same rows once loaded', async () => {
    const model = untrained({ sample_steps: 8, sample_eta: 0.5 });
    const dir = await saved(model);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).params).toMatchObject({
      sample_steps: 8,
      sample_eta: 0.5,
    });
    const loaded = await TabDdpm.load(dir);
    expect(loaded.params).toMatchObject({ sample_steps: 8, sample_eta: 0.5 });
    expect(await rowsOf(loaded)).toEqual(await rowsOf(model));
  });

  it('loads a model saved before sample_steps existed with the full schedule, sampling the rows it always did', async () => {
    const full = untrained({ sample_steps: 40 });
    const dir = await saved(untrained({ sample_steps: 8 }));
    const file = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete file.params.sample_steps;
    delete file.params.sample_eta;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(file));
    const loaded = await TabDdpm.load(dir);
    expect(loaded.params).toMatchObject({ num_timesteps: 40, sample_steps: 40 });
    expect(await rowsOf(loaded)).toEqual(await rowsOf(full));
    expect(await rowsOf(loaded)).not.toEqual(await rowsOf(untrained({ sample_steps: 8 })));
  });

  it('refuses a saved sample_steps outside its space', async () => {
    const dir = await saved(untrained({}));
    const file = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    file.params.sample_steps = 0;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(file));
    await expect(TabDdpm.load(dir)).rejects.toThrow(/invalid parameters \(sample_steps\)/);
  });
});
