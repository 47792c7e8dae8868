/**
 * The synthesizers gesalp knows, by method name, and which of them this build trains. Models are
 * created and loaded only here (each imported on use, so commands that only advise stay light).
 */
import { join } from 'node:path';
import { inputError, unknownNameHint, usageError } from '../core/errors.js';
import type { Table } from '../core/table.js';
import { AIM_FILES } from './aim/files.js';
import { AIM_SPACE, type AimParams } from './aim/space.js';
import { chooseMethod, chooseMethodPrivately } from './choose-method.js';
import { CTGAN_FILES } from './ctgan/files.js';
import { CTGAN_SPACE, type CtganParams } from './ctgan/space.js';
import { MODEL_JSON, readSavedFile } from './saved-file.js';
import type { Space } from './space.js';
import type { Synthesizer } from './synthesizer.js';
import { TABDDPM_FILES } from './tabddpm/files.js';
import { TABDDPM_SPACE, type TabDdpmParams } from './tabddpm/space.js';
import { TVAE_FILES } from './tvae/files.js';
import { TVAE_SPACE, type TvaeParams } from './tvae/space.js';

export interface MethodInfo {
  readonly id: string;
  readonly title: string;
  readonly space: Space;
  /** False for methods whose space is declared (so the optimizer can advise on them) but which this build does not train. */
  readonly trainable: boolean;
  /**
   * True for methods trained in epochs over the rows (n_iter, batch_size, checkpoints, DP-SGD);
   * false for one that is not (AIM measures marginals in rounds): the pipeline then skips epoch
   * arithmetic and checkpoints.
   */
  readonly trainsByEpochs: boolean;
  /**
   * Whether its DP fit reads the numeric columns' quantiles (the neural methods' transforms do);
   * when it does, preprocessing releases them for bounds declared without them.
   */
  readonly readsQuantiles: boolean;
  /** A new, untrained model with these parameters (every name of the space). */
  readonly create?: (params: Readonly<Record<string, number>>) => Promise<Synthesizer>;
  /** A model saved by its `save`. */
  readonly load?: (dir: string) => Promise<Synthesizer>;
  /** The files its `save` writes into a model folder. */
  readonly files: readonly string[];
  /** Before training: a warning when this table would make the model's network very large (null when it will not). */
  readonly memoryWarning?: (table: Table, params: Readonly<Record<string, number>>) => Promise<string | null>;
}

const tabddpm = () => import('./tabddpm/model.js');
const ctgan = () => import('./ctgan/model.js');
const tvae = () => import('./tvae/model.js');
const aim = () => import('./aim/model.js');

export const MODELS = Object.freeze({
  ddpm: {
    id: 'ddpm',
    title: 'TabDDPM (Gaussian + multinomial diffusion)',
    space: TABDDPM_SPACE,
    trainable: true,
    trainsByEpochs: true,
    readsQuantiles: true,
    create: async (params) => new (await tabddpm()).TabDdpm(params as TabDdpmParams),
    load: async (dir) => (await tabddpm()).TabDdpm.load(dir),
    files: TABDDPM_FILES,
    memoryWarning: async (table, params) =>
      (await import('./tabddpm/memory-warning.js')).tabDdpmMemoryWarning(table, params),
  },
  ctgan: {
    id: 'ctgan',
    title: 'CTGAN (conditional GAN)',
    space: CTGAN_SPACE,
    trainable: true,
    trainsByEpochs: true,
    readsQuantiles: true,
    create: async (params) => new (await ctgan()).Ctgan(params as CtganParams),
    load: async (dir) => (await ctgan()).Ctgan.load(dir),
    files: CTGAN_FILES,
  },
  tvae: {
    id: 'tvae',
    title: 'TVAE (variational autoencoder)',
    space: TVAE_SPACE,
    trainable: true,
    trainsByEpochs: true,
    readsQuantiles: true,
    create: async (params) => new (await tvae()).Tvae(params as TvaeParams),
    load: async (dir) => (await tvae()).Tvae.load(dir),
    files: TVAE_FILES,
  },
  aim: {
    id: 'aim',
    title: 'AIM (select, measure, generate over a graphical model; McKenna et al. 2022)',
    space: AIM_SPACE,
    trainable: true,
    trainsByEpochs: false,
    readsQuantiles: false,
    create: async (params) => new (await aim()).Aim(params as AimParams),
    load: async (dir) => (await aim()).Aim.load(dir),
    files: AIM_FILES,
  },
} as const satisfies Record<string, MethodInfo>);

export type MethodId = keyof typeof MODELS;

/** A parameter name declared in some method's space: rules name parameters by it, so a rename fails to compile. */
export type ParamName = { [M in MethodId]: keyof (typeof MODELS)[M]['space'] & string }[MethodId];

export const METHOD_IDS = Object.keys(MODELS) as MethodId[];

/**
 * DP-SGD training (generate --epsilon): the optimizer's DP levers are live. A model that cannot
 * train under DP is refused when its training reports no privacy accounting (src/pipeline/attempt.ts).
 */
export const DP_TRAINING = true;

export const TRAINABLE_METHODS: MethodId[] = METHOD_IDS.filter((id) => MODELS[id].trainable);

export interface MethodChoice {
  readonly id: MethodId;
  readonly reason: string;
}

/** A method named on the command line, for describing runs (analyze-failure, suggest): any known method. */
export function knownMethod(name: string): MethodId {
  if (Object.hasOwn(MODELS, name)) return name as MethodId;
  throw usageError(`unknown method '${name}'`, unknownNameHint(name, METHOD_IDS));
}

/** A method to train now: refuses the ones this build cannot train; `auto` decides from the table, or under DP without it. */
export function resolveMethod(name: string, table: Table, privately = false): MethodChoice {
  if (name === 'auto')
    return privately ? chooseMethodPrivately(TRAINABLE_METHODS) : chooseMethod(table, TRAINABLE_METHODS);
  const id = knownMethodOrAuto(name);
  if (!MODELS[id].trainable)
    throw usageError(`method '${name}' is not available in this build of gesalp`, 'Use --method ddpm (or auto).');
  return { id, reason: 'chosen with --method' };
}

function knownMethodOrAuto(name: string): MethodId {
  if (Object.hasOwn(MODELS, name)) return name as MethodId;
  throw usageError(`unknown method '${name}'`, unknownNameHint(name, [...METHOD_IDS, 'auto']));
}

/** A new model of a method this build trains. */
export async function createModel(method: MethodId, params: Readonly<Record<string, number>>): Promise<Synthesizer> {
  const entry: MethodInfo = MODELS[method];
  if (!entry.create)
    throw usageError(`method '${method}' is not available in this build of gesalp`, 'Use --method ddpm (or auto).');
  return entry.create(params);
}

/** The model saved in `dir`, by the method its model.json names. */
export async function loadModel(dir: string): Promise<Synthesizer> {
  const text = (
    await readSavedFile(join(dir, MODEL_JSON), {
      missing: `${dir} is not a saved model (no model.json)`,
      hint: 'Point --load-model at a folder written by --save-model.',
    })
  ).toString('utf8');
  let method: unknown;
  try {
    method = (JSON.parse(text) as { method?: unknown } | null)?.method;
  } catch {
    throw inputError(
      `${dir} is not a saved model (no readable model.json)`,
      'Point --load-model at a folder written by --save-model.',
    );
  }
  const entry: MethodInfo | undefined =
    typeof method === 'string' && Object.hasOwn(MODELS, method) ? MODELS[method as MethodId] : undefined;
  if (!entry?.load)
    throw inputError(
      `${dir}/model.json names no method this build can load ('${String(method)}')`,
      'Save the model again with --save-model.',
    );
  return entry.load(dir);
}
