/**
 * A trained CTGAN on disk: model.json (parameters, the mode-specific layout, column names, kinds
 * and levels, the category counts the conditional vectors draw from, the training summary) and
 * generator.bin (the generator's weights as float32; the discriminator is not needed to sample).
 * Each file is written atomically, weights first, so model.json only ever describes a whole set.
 */
import { join } from 'node:path';
import { readModelJson } from '../model-json.js';
import { makeModelFolder, MODEL_JSON, readSavedFile, savedModelError } from '../saved-file.js';
import { CTGAN_WEIGHTS } from './files.js';
import { writeFileAtomic } from '../../core/io/atomic-write.js';
import type { ColumnTemplate } from '../column-template.js';
import { weightCount } from '../nn/spec.js';
import { inSpace } from '../space.js';
import type { FitSummary } from '../synthesizer.js';
import type { ModeLayout } from '../transformers/mode-layout.js';
import { checkCtganFile } from './model-file-check.js';
import { CTGAN_SPACE, type CtganParams } from './space.js';
import { generatorOf, type CtganShape } from './steps.js';

export const MODEL_FORMAT = 'gesalp-ctgan/1';

export interface SavedCtgan {
  readonly params: CtganParams;
  readonly layout: ModeLayout;
  readonly columns: ColumnTemplate[];
  readonly categoryCounts: number[][];
  readonly training: FitSummary | null;
  /** The generator's hidden sizes and its weights. */
  readonly generatorDims: readonly number[];
  readonly weights: Float32Array;
}

interface ModelFile {
  readonly format: string;
  readonly method: 'ctgan';
  readonly params: CtganParams;
  readonly layout: ModeLayout;
  readonly columns: ColumnTemplate[];
  readonly category_counts: number[][];
  readonly training: FitSummary | null;
  readonly generator_dims: number[];
}

/** The generator's shape as sampling needs it (the discriminator's sizes play no part). */
export const samplingShape = (saved: Pick<SavedCtgan, 'params' | 'layout' | 'generatorDims'>): CtganShape => ({
  layout: saved.layout,
  embedding: saved.params.embedding_dim,
  generatorDims: saved.generatorDims,
  discriminatorDims: [],
  pac: saved.params.pac,
});

export async function saveCtgan(dir: string, saved: SavedCtgan): Promise<void> {
  await makeModelFolder(dir);
  const { weights } = saved;
  await writeFileAtomic(
    join(dir, CTGAN_WEIGHTS),
    new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
  );
  const file: ModelFile = {
    format: MODEL_FORMAT,
    method: 'ctgan',
    params: saved.params,
    layout: saved.layout,
    columns: saved.columns,
    category_counts: saved.categoryCounts,
    training: saved.training,
    generator_dims: [...saved.generatorDims],
  };
  await writeFileAtomic(join(dir, MODEL_JSON), `${JSON.stringify(file)}\n`);
}

export async function loadCtgan(dir: string): Promise<SavedCtgan> {
  const file = await readModelFile(dir);
  const saved = {
    params: file.params,
    layout: file.layout,
    columns: file.columns,
    categoryCounts: file.category_counts,
    training: file.training,
    generatorDims: file.generator_dims,
  };
  const bytes = await readSavedFile(join(dir, CTGAN_WEIGHTS));
  const total = weightCount(generatorOf(samplingShape(saved)));
  if (bytes.byteLength !== total * 4)
    throw savedModelError(
      `${dir}/generator.bin has ${bytes.byteLength} bytes where model.json expects ${total * 4}`,
      'The folder is damaged: save the model again with {save_model}.',
    );
  const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (!weights.every(Number.isFinite))
    throw savedModelError(
      `${dir}/generator.bin holds weights that are not finite numbers`,
      'The folder is damaged: save the model again with {save_model}.',
    );
  return { ...saved, weights };
}

async function readModelFile(dir: string): Promise<ModelFile> {
  const file = await readModelJson<ModelFile>(dir, MODEL_FORMAT);
  checkCtganFile(file, `${dir}/model.json`);
  const params = (file.params ?? {}) as Record<string, number>;
  const bad = Object.entries(CTGAN_SPACE).filter(([name, spec]) => !inSpace(spec, params[name]));
  const dims = file.generator_dims;
  if (bad.length || !Array.isArray(dims) || dims.some((d) => !(Number.isInteger(d) && d > 0)))
    throw savedModelError(
      `${dir}/model.json has invalid parameters (${bad.map(([n]) => n).join(', ') || 'generator_dims'})`,
    );
  return file;
}
