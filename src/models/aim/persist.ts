/**
 * A fitted AIM model on disk: model.json (parameters, columns, coders, the potentials' cliques,
 * the row total, the training summary) and potentials.bin (the log-potentials as float64, -inf
 * included, one clique after another). Each file is written atomically, potentials first, so
 * model.json only ever describes a whole set.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/io/atomic-write.js';
import type { ColumnTemplate } from '../column-template.js';
import { readModelJson } from '../model-json.js';
import { makeModelFolder, MODEL_JSON, readSavedFile, savedModelError } from '../saved-file.js';
import { inSpace } from '../space.js';
import type { FitSummary } from '../synthesizer.js';
import { binCount, type ColumnCoder } from './discretise/coder.js';
import { cellCount } from './factor.js';
import { GraphicalModel } from './graphical-model.js';
import { AIM_POTENTIALS } from './files.js';
import { checkAimFile } from './model-file-check.js';
import { AIM_SPACE, type AimParams } from './space.js';

export const MODEL_FORMAT = 'gesalp-aim/1';

export interface SavedAim {
  readonly params: AimParams;
  readonly columns: ColumnTemplate[];
  readonly coders: ColumnCoder[];
  readonly model: GraphicalModel;
  readonly training: FitSummary | null;
}

interface ModelFile {
  readonly format: string;
  readonly method: 'aim';
  readonly params: AimParams;
  readonly columns: ColumnTemplate[];
  readonly coders: ColumnCoder[];
  readonly total: number;
  readonly potentials: { clique: number[] }[];
  readonly training: FitSummary | null;
}

export async function saveAim(dir: string, saved: SavedAim): Promise<void> {
  await makeModelFolder(dir);
  const { potentials, total } = saved.model;
  const values = new Float64Array(potentials.reduce((n, p) => n + p.values.length, 0));
  let at = 0;
  for (const p of potentials) {
    values.set(p.values, at);
    at += p.values.length;
  }
  await writeFileAtomic(join(dir, AIM_POTENTIALS), new Uint8Array(values.buffer));
  const file: ModelFile = {
    format: MODEL_FORMAT,
    method: 'aim',
    params: saved.params,
    columns: saved.columns,
    coders: saved.coders,
    total,
    potentials: potentials.map((p) => ({ clique: [...p.clique] })),
    training: saved.training,
  };
  await writeFileAtomic(join(dir, MODEL_JSON), `${JSON.stringify(file)}\n`);
}

export async function loadAim(dir: string): Promise<SavedAim> {
  const file = await readModelJson<ModelFile>(dir, MODEL_FORMAT);
  checkAimFile(file, `${dir}/model.json`);
  const params = (file.params ?? {}) as Record<string, number>;
  const bad = Object.entries(AIM_SPACE).filter(([name, spec]) => !inSpace(spec, params[name]));
  if (bad.length) throw savedModelError(`${dir}/model.json has invalid parameters (${bad.map(([n]) => n).join(', ')})`);
  const sizes = file.coders.map(binCount);
  const cells = file.potentials.map((p) => cellCount(sizes, p.clique));
  const bytes = await readSavedFile(join(dir, AIM_POTENTIALS));
  const expected = cells.reduce((a, b) => a + b, 0) * 8;
  if (bytes.byteLength !== expected)
    throw savedModelError(
      `${dir}/potentials.bin has ${bytes.byteLength} bytes where model.json expects ${expected}`,
      'The folder is damaged: save the model again with {save_model}.',
    );
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (all.some((v) => Number.isNaN(v) || v === Infinity))
    throw savedModelError(
      `${dir}/potentials.bin holds values that are not log-potentials`,
      'The folder is damaged: save the model again with {save_model}.',
    );
  let at = 0;
  const potentials = file.potentials.map((p, k) => {
    const values = all.slice(at, at + cells[k]);
    at += cells[k];
    return { clique: p.clique, values };
  });
  return {
    params: file.params,
    columns: file.columns,
    coders: file.coders,
    model: new GraphicalModel(sizes, potentials, file.total),
    training: file.training,
  };
}
