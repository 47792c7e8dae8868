/**
 * The methods gesalp trains, one descriptor each: one line per method in `REGISTRY`, the only
 * list of method ids. Models are created and loaded only through a registry (each imported on
 * use, so commands that only advise stay light); `makeRegistry` builds the shipped one and any
 * other (a library user's, a test's) the same way.
 */
import { join } from 'node:path';
import { unknownNameHint, usageError } from '../core/errors.js';
import type { Table } from '../core/table.js';
import { aim } from './aim/index.js';
import { chooseMethod, chooseMethodPrivately } from './choose-method.js';
import { ctgan } from './ctgan/index.js';
import type { MethodDescriptor } from './descriptor.js';
import { MODEL_JSON, readSavedFile, savedModelError } from './saved-file.js';
import type { Synthesizer } from './synthesizer.js';
import { tabddpm } from './tabddpm/index.js';
import { tvae } from './tvae/index.js';

/** A method's name, as `--method`, reports and model.json give it. */
export type MethodId = string;

export interface MethodChoice {
  readonly id: MethodId;
  readonly reason: string;
}

export interface Registry {
  /** The descriptors, in the order help texts and tables list them. */
  readonly methods: readonly MethodDescriptor[];
  readonly ids: readonly MethodId[];
  has(name: string): boolean;
  /** The descriptor of a known method; an unknown name is exit 2 naming the closest. */
  get(name: string): MethodDescriptor;
}

/** A frozen registry of these descriptors; two with one id are refused (a silent override would hide one). */
export function makeRegistry(descriptors: readonly MethodDescriptor[]): Registry {
  const byId = new Map<string, MethodDescriptor>();
  for (const d of descriptors) {
    if (byId.has(d.id)) throw new Error(`two methods named '${d.id}' in one registry`);
    if (d.id === 'auto') throw new Error("'auto' names the automatic choice, not a method");
    byId.set(d.id, Object.freeze(d));
  }
  const ids = Object.freeze([...byId.keys()]);
  return Object.freeze({
    methods: Object.freeze([...byId.values()]),
    ids,
    has: (name: string) => byId.has(name),
    get(name: string): MethodDescriptor {
      const found = byId.get(name);
      if (!found) throw usageError(`unknown method '${name}'`, unknownNameHint(name, ids));
      return found;
    },
  });
}

/** The methods this build ships: one line per method. */
const SHIPPED = [tabddpm, ctgan, tvae, aim] as const;

export const REGISTRY = makeRegistry(SHIPPED);

/** A parameter of a shipped method's space: rules name parameters by it, so a rename fails to compile. */
export type ParamName = SpaceKey<(typeof SHIPPED)[number]>;
type SpaceKey<D> = D extends { readonly space: infer S } ? keyof S & string : never;

/** A method to train now; `auto` decides from the table, or under DP without reading it. */
export function resolveMethod(name: string, table: Table, privately = false, registry = REGISTRY): MethodChoice {
  if (name === 'auto')
    return privately ? chooseMethodPrivately(registry.methods) : chooseMethod(table, registry.methods);
  if (!registry.has(name))
    throw usageError(`unknown method '${name}'`, unknownNameHint(name, [...registry.ids, 'auto']));
  return { id: name, reason: 'chosen by name' };
}

/** The model saved in `dir`, by the method its model.json names. */
export async function loadModel(dir: string, registry = REGISTRY): Promise<Synthesizer> {
  const text = (
    await readSavedFile(join(dir, MODEL_JSON), {
      missing: `${dir} is not a saved model (no model.json)`,
      hint: 'Point {load_model} at a folder written by {save_model}.',
    })
  ).toString('utf8');
  let method: unknown;
  try {
    method = (JSON.parse(text) as { method?: unknown } | null)?.method;
  } catch {
    throw savedModelError(
      `${dir} is not a saved model (no readable model.json)`,
      'Point {load_model} at a folder written by {save_model}.',
    );
  }
  if (typeof method !== 'string' || !registry.has(method))
    throw savedModelError(`${dir}/model.json names no method this build can load ('${String(method)}')`);
  return registry.get(method).load(dir);
}
