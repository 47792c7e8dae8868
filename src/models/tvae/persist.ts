/**
 * A trained TVAE on disk: model.json (parameters, layout, columns, training summary, shape),
 * weights.bin (the decoder's weights then the sigmas, float32: all that sampling needs) and, from
 * format 2, encoder.bin (the encoder's weights: what fine-tuning needs besides). Format 1 folders
 * still load, to sample only. Each file is written atomically, weights first, so model.json only
 * ever describes a whole set.
 */
import { join } from 'node:path';
import { readModelJson } from '../model-json.js';
import { makeModelFolder, MODEL_JSON, readSavedWeights, savedModelError, writeSavedWeights } from '../saved-file.js';
import { TVAE_ENCODER, TVAE_WEIGHTS } from './files.js';
import { writeFileAtomic } from '../../core/io/atomic-write.js';
import { weightCount } from '../nn/spec.js';
import { inSpace } from '../space.js';
import type { FitSummary } from '../synthesizer.js';
import type { ColumnTemplate } from '../column-template.js';
import { columnsProblem, modeLayoutProblem } from '../transformers/mode-layout-check.js';
import type { ModeLayout } from '../transformers/mode-layout.js';
import type { TvaeDecoder } from './model.js';
import { decoderSpec, encoderSpec, type TvaeShape } from './networks.js';
import { TVAE_SPACE, type TvaeParams } from './space.js';

export const MODEL_FORMAT = 'gesalp-tvae/2';
/** Before the encoder was kept: samples, cannot be fine-tuned. */
const SAMPLING_FORMAT = 'gesalp-tvae/1';

export interface SavedTvae {
  readonly params: TvaeParams;
  readonly layout: ModeLayout;
  readonly columns: ColumnTemplate[];
  readonly training: FitSummary | null;
  readonly decoder: TvaeDecoder;
  /** The encoder's weights (null: a format 1 folder, which cannot be fine-tuned). */
  readonly encoder: Float32Array | null;
}

interface ModelFile {
  readonly format: string;
  readonly method: 'tvae';
  readonly params: TvaeParams;
  readonly layout: ModeLayout;
  readonly columns: ColumnTemplate[];
  readonly training: FitSummary | null;
  readonly shape: TvaeShape;
}

export async function saveTvae(dir: string, saved: SavedTvae): Promise<void> {
  await makeModelFolder(dir);
  const { weights, sigmas, shape } = saved.decoder;
  const flat = new Float32Array(weights.length + sigmas.length);
  flat.set(weights);
  flat.set(sigmas, weights.length);
  await writeFileAtomic(join(dir, TVAE_WEIGHTS), new Uint8Array(flat.buffer));
  const { encoder } = saved;
  await writeSavedWeights(dir, TVAE_ENCODER, encoder);
  const file: ModelFile = {
    format: encoder ? MODEL_FORMAT : SAMPLING_FORMAT,
    method: 'tvae',
    params: saved.params,
    layout: saved.layout,
    columns: saved.columns,
    training: saved.training,
    shape,
  };
  await writeFileAtomic(join(dir, MODEL_JSON), `${JSON.stringify(file)}\n`);
}

export async function loadTvae(dir: string): Promise<SavedTvae> {
  const file = await readModelFile(dir);
  const decoderWeights = weightCount(decoderSpec(file.shape));
  const values = await readSavedWeights(dir, TVAE_WEIGHTS, decoderWeights + file.shape.sigmas);
  const encoder =
    file.format === MODEL_FORMAT
      ? await readSavedWeights(dir, TVAE_ENCODER, weightCount(encoderSpec(file.shape)))
      : null;
  const decoder = {
    shape: file.shape,
    weights: values.subarray(0, decoderWeights),
    sigmas: values.subarray(decoderWeights),
  };
  return {
    params: file.params,
    layout: file.layout,
    columns: file.columns,
    training: file.training,
    decoder,
    encoder,
  };
}

async function readModelFile(dir: string): Promise<ModelFile> {
  const file = await readModelJson<ModelFile>(dir, [SAMPLING_FORMAT, MODEL_FORMAT]);
  const problem = shapeProblem(file);
  if (problem) throw savedModelError(`${dir}/model.json is not a valid saved model: ${problem}`);
  return file;
}

function shapeProblem(file: ModelFile): string | null {
  const params = (file.params ?? {}) as Record<string, number>;
  const bad = Object.entries(TVAE_SPACE).filter(([name, spec]) => !inSpace(spec, params[name]));
  if (bad.length) return `invalid parameters (${bad.map(([n]) => n).join(', ')})`;
  const layoutProblem = columnsProblem(file.columns) ?? modeLayoutProblem(file.layout, file.columns);
  if (layoutProblem) return layoutProblem;
  const shape = file.shape as Partial<TvaeShape> | undefined;
  const scalars = file.layout.spans.filter((s) => s.activation === 'tanh').length;
  if (
    !shape ||
    shape.dataWidth !== file.layout.width ||
    shape.embedding !== params.embedding_dim ||
    shape.sigmas !== scalars
  )
    return '"shape" does not fit the layout and parameters';
  return null;
}
