/**
 * A trained TabDDPM on disk: model.json (parameters, layout, column names, kinds and levels,
 * training summary, weight shapes) and weights.bin (the averaged weights as float32). Each
 * file is written atomically, weights first, so model.json only ever describes a whole set.
 */
import { join } from 'node:path';
import { readModelJson } from '../model-json.js';
import { makeModelFolder, MODEL_JSON, readSavedWeights, savedModelError } from '../saved-file.js';
import { TABDDPM_WEIGHTS } from './files.js';
import { writeFileAtomic } from '../../core/io/atomic-write.js';
import type { ColumnTemplate } from '../column-template.js';
import { inSpace } from '../space.js';
import type { FitSummary } from '../synthesizer.js';
import { categoricalWidth, type Layout } from '../transformers/layout.js';
import { checkModelFile } from './model-file-check.js';
import { denoiserShapes, weightCount, type TrainedDenoiser } from './denoiser.js';
import { TABDDPM_FIXED_DEFAULTS, TABDDPM_SPACE, type TabDdpmParams } from './space.js';

export const MODEL_FORMAT = 'gesalp-tabddpm/1';

export interface SavedTabDdpm {
  readonly params: TabDdpmParams;
  readonly layout: Layout;
  readonly columns: ColumnTemplate[];
  readonly training: FitSummary | null;
  /** Training rows' edge shares for the spread check; null in models saved before they were kept. */
  readonly edgeShares: number[] | null;
  readonly weights: TrainedDenoiser;
}

interface ModelFile {
  readonly format: string;
  readonly method: 'ddpm';
  readonly params: TabDdpmParams;
  readonly layout: Layout;
  readonly columns: ColumnTemplate[];
  readonly training: FitSummary | null;
  readonly edge_shares?: number[] | null;
  readonly shapes: number[][];
}

export async function saveTabDdpm(dir: string, saved: SavedTabDdpm): Promise<void> {
  await makeModelFolder(dir);
  const { weights, shape } = saved.weights;
  const bytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  await writeFileAtomic(join(dir, TABDDPM_WEIGHTS), bytes);
  const file: ModelFile = {
    format: MODEL_FORMAT,
    method: 'ddpm',
    params: saved.params,
    layout: saved.layout,
    columns: saved.columns,
    training: saved.training,
    edge_shares: saved.edgeShares,
    shapes: denoiserShapes(shape),
  };
  await writeFileAtomic(join(dir, MODEL_JSON), `${JSON.stringify(file)}\n`);
}

export async function loadTabDdpm(dir: string): Promise<SavedTabDdpm> {
  const file = await readModelFile(dir);
  const shape = { inputWidth: file.shapes[0][0], layers: file.params.layers, width: file.params.width };
  const values = await readSavedWeights(dir, TABDDPM_WEIGHTS, weightCount(shape));
  const weights = { shape, weights: values };
  return {
    params: file.params,
    layout: file.layout,
    columns: file.columns,
    training: file.training,
    edgeShares: file.edge_shares ?? null,
    weights,
  };
}

async function readModelFile(dir: string): Promise<ModelFile> {
  const read = await readModelJson<ModelFile>(dir, MODEL_FORMAT);
  checkModelFile(read, `${dir}/model.json`);
  const file = { ...read, params: withSamplingDefaults(read.params) };
  const params = (file.params ?? {}) as Record<string, number>;
  const bad = Object.entries(TABDDPM_SPACE).filter(([name, spec]) => !inSpace(spec, params[name]));
  const width = file.layout.numeric.length + categoricalWidth(file.layout);
  const shapesOk =
    Array.isArray(file.shapes) && file.shapes.length === 2 * (file.params.layers + 4) && file.shapes[0]?.[0] === width;
  if (bad.length || !shapesOk) {
    throw savedModelError(
      `${dir}/model.json has invalid parameters (${bad.map(([n]) => n).join(', ') || 'weight shapes'})`,
    );
  }
  return file;
}

/**
 * Models saved before the strided sampler have no sample_steps or sample_eta: they sample with the
 * full schedule (sample_steps = num_timesteps), so a saved model keeps giving the rows it gave.
 */
function withSamplingDefaults(params: TabDdpmParams | undefined): TabDdpmParams {
  if (!params || typeof params !== 'object') return params as unknown as TabDdpmParams;
  const saved = params as Partial<TabDdpmParams>;
  return {
    ...params,
    sample_steps: saved.sample_steps ?? params.num_timesteps,
    sample_eta: saved.sample_eta ?? TABDDPM_FIXED_DEFAULTS.sample_eta,
  };
}
