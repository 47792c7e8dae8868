/**
 * A trained CTGAN on disk: model.json (parameters, the mode-specific layout, column names, kinds
 * and levels, the category counts the conditional vectors draw from, the training summary) and
 * generator.bin (the generator's weights as float32; the discriminator is not needed to sample)
 * and, from format 2, discriminator.bin (the critic's weights, with its sizes and pac in model.json:
 * what fine-tuning needs besides). Format 1 folders still load, to sample only. Each file is
 * written atomically, weights first, so model.json only ever describes a whole set.
 */
import { join } from 'node:path';
import { readModelJson } from '../model-json.js';
import { makeModelFolder, MODEL_JSON, readSavedWeights, savedModelError, writeSavedWeights } from '../saved-file.js';
import { CTGAN_CRITIC, CTGAN_WEIGHTS } from './files.js';
import { writeFileAtomic } from '../../core/io/atomic-write.js';
import type { ColumnTemplate } from '../column-template.js';
import { weightCount } from '../nn/spec.js';
import { inSpace } from '../space.js';
import type { FitSummary } from '../synthesizer.js';
import type { ModeLayout } from '../transformers/mode-layout.js';
import { checkCtganFile } from './model-file-check.js';
import { CTGAN_SPACE, type CtganParams } from './space.js';
import { discriminatorOf, generatorOf, type CtganShape } from './steps.js';

export const MODEL_FORMAT = 'gesalp-ctgan/2';
/** Before the critic was kept: samples, cannot be fine-tuned. */
const SAMPLING_FORMAT = 'gesalp-ctgan/1';

/** The critic as saved: its hidden sizes, the rows it judges together and its weights. */
export interface SavedCritic {
  readonly dims: readonly number[];
  readonly pac: number;
  readonly weights: Float32Array;
}

export interface SavedCtgan {
  readonly params: CtganParams;
  readonly layout: ModeLayout;
  readonly columns: ColumnTemplate[];
  readonly categoryCounts: number[][];
  readonly training: FitSummary | null;
  /** The generator's hidden sizes and its weights. */
  readonly generatorDims: readonly number[];
  readonly weights: Float32Array;
  /** Null: a format 1 folder, which cannot be fine-tuned. */
  readonly critic: SavedCritic | null;
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
  /** Format 2: the critic's hidden sizes and pac. */
  readonly discriminator_dims?: number[];
  readonly discriminator_pac?: number;
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
  await writeSavedWeights(dir, CTGAN_WEIGHTS, saved.weights);
  const { critic } = saved;
  await writeSavedWeights(dir, CTGAN_CRITIC, critic?.weights ?? null);
  const file: ModelFile = {
    format: critic ? MODEL_FORMAT : SAMPLING_FORMAT,
    method: 'ctgan',
    params: saved.params,
    layout: saved.layout,
    columns: saved.columns,
    category_counts: saved.categoryCounts,
    training: saved.training,
    generator_dims: [...saved.generatorDims],
    ...(critic ? { discriminator_dims: [...critic.dims], discriminator_pac: critic.pac } : {}),
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
  const weights = await readSavedWeights(dir, CTGAN_WEIGHTS, weightCount(generatorOf(samplingShape(saved))));
  let critic: SavedCritic | null = null;
  if (file.format === MODEL_FORMAT) {
    const dims = file.discriminator_dims!;
    const pac = file.discriminator_pac!;
    const shape = { ...samplingShape(saved), discriminatorDims: dims, pac };
    critic = { dims, pac, weights: await readSavedWeights(dir, CTGAN_CRITIC, weightCount(discriminatorOf(shape))) };
  }
  return { ...saved, weights, critic };
}

async function readModelFile(dir: string): Promise<ModelFile> {
  const file = await readModelJson<ModelFile>(dir, [SAMPLING_FORMAT, MODEL_FORMAT]);
  checkCtganFile(file, `${dir}/model.json`);
  const params = (file.params ?? {}) as Record<string, number>;
  const bad = Object.entries(CTGAN_SPACE).filter(([name, spec]) => !inSpace(spec, params[name]));
  const sizes = (dims: unknown) => Array.isArray(dims) && dims.every((d) => Number.isInteger(d) && (d as number) > 0);
  const criticBad =
    file.format === MODEL_FORMAT &&
    (!sizes(file.discriminator_dims) || !inSpace(CTGAN_SPACE.pac, file.discriminator_pac as number));
  if (bad.length || !sizes(file.generator_dims) || criticBad)
    throw savedModelError(
      `${dir}/model.json has invalid parameters (${bad.map(([n]) => n).join(', ') || (criticBad ? 'discriminator_dims, discriminator_pac' : 'generator_dims')})`,
    );
  return file;
}
