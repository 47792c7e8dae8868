/**
 * A saved model folder as generate keeps it: what the model writes (its own files, through the
 * registry) and, beside them, split.json, the split it was trained on, so a later run on the same
 * input is still evaluated against its holdout, and for a DP model privacy.json, its DP record, so
 * that rows sampled from it later carry the guarantee they have (SPEC section 8).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { loadModel, REGISTRY, type Registry } from '../models/registry.js';
import { MODEL_JSON, readOptionalSavedFile, savedModelError } from '../models/saved-file.js';
import type { Synthesizer } from '../models/synthesizer.js';
import { parsePrivacyRecord, type PrivacyRecord } from './privacy-record.js';
import { parseSplitRecord, type SplitRecord } from './split-record.js';

const SPLIT_FILE = 'split.json';
const PRIVACY_FILE = 'privacy.json';

/**
 * The files a model folder may hold, for the output guard: every method's own list (what the
 * folder holds depends on the method its model.json names, which may not be readable yet), the
 * split and the DP record.
 */
export const modelFiles = (dir: string, registry = REGISTRY): { role: string; path: string }[] =>
  [...new Set([...registry.methods.flatMap((m) => m.files), SPLIT_FILE, PRIVACY_FILE])].map((name) => ({
    role: `the model file`,
    path: join(dir, name),
  }));

export async function saveTrained(
  model: Synthesizer,
  split: SplitRecord,
  dir: string,
  privacy: PrivacyRecord | null = null,
): Promise<void> {
  await model.save(dir);
  if (privacy) await redactTraining(dir, privacy);
  await writeFileAtomic(join(dir, SPLIT_FILE), `${JSON.stringify(split, null, 2)}\n`);
  // A model trained without DP must not inherit the record of one saved into the same folder before.
  if (privacy) await writeFileAtomic(join(dir, PRIVACY_FILE), `${JSON.stringify(privacy, null, 2)}\n`);
  else await rm(join(dir, PRIVACY_FILE), { force: true });
}

/**
 * model.json's own copy of a DP model's totals (`privacy_chain`): with it, a privacy.json edited or
 * copied from another model, which would lower the budget a fine-tuning chain composes, no longer
 * agrees with the model it lies beside and is refused (checkPrivacyRecord).
 */
interface PrivacyChain {
  readonly total_epsilon: number;
  readonly total_delta: number;
  /** The totals of the DP model this one fine-tuned (0: trained from zero). */
  readonly init_from_epsilon: number;
  readonly init_from_delta: number;
}

const chainOf = (record: PrivacyRecord): PrivacyChain => ({
  total_epsilon: record.total_epsilon,
  total_delta: record.total_delta,
  init_from_epsilon: record.composition?.init_from_epsilon ?? 0,
  init_from_delta: record.composition?.init_from_delta ?? 0,
});

/**
 * A DP model's model.json keeps no loss curve and no times: the loss is computed on training rows
 * outside the accountant, and the times grow with the private row count. Every method keeps its
 * fit summary under `training`, so this is the one place that strips them; it also records the
 * DP totals there (privacy_chain).
 */
async function redactTraining(dir: string, privacy: PrivacyRecord): Promise<void> {
  const path = join(dir, MODEL_JSON);
  const file = JSON.parse(await readFile(path, 'utf8')) as {
    training?: Record<string, unknown> | null;
    privacy_chain?: PrivacyChain;
  };
  if (file.training)
    file.training = {
      ...file.training,
      seconds: 0,
      stepsPerSecond: 0,
      samplesPerSecond: 0,
      epochLoss: [],
    };
  file.privacy_chain = chainOf(privacy);
  await writeFileAtomic(path, JSON.stringify(file));
}

/** The model in `dir`, its split and its DP record (null when the folder has none). */
export async function loadTrained(
  dir: string,
  registry: Registry = REGISTRY,
): Promise<{ model: Synthesizer; split: SplitRecord | null; privacy: PrivacyRecord | null }> {
  const model = await loadModel(dir, registry);
  try {
    const split = await readOptional(join(dir, SPLIT_FILE), parseSplitRecord);
    const privacy = await readOptional(join(dir, PRIVACY_FILE), parsePrivacyRecord);
    checkPrivacyRecord(model, privacy, dir);
    checkPrivacyChain(privacy, await readOptional(join(dir, MODEL_JSON), chainIn), dir);
    return { model, split, privacy };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * A model trained under DP-SGD keeps its accountant's figures in its own model.json: a folder whose
 * privacy.json is missing, or disagrees with them, would let its rows pass for something they are not.
 */
function checkPrivacyRecord(model: Synthesizer, record: PrivacyRecord | null, dir: string): void {
  const own = model.training?.privacy;
  const hint = 'Save the model again with {save_model}, from a run with the privacy budget you mean.';
  if (own && !record)
    throw savedModelError(`${dir} holds a model trained under DP, but its privacy.json is missing`, hint);
  if (!record) return;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a), Math.abs(b));
  const agrees =
    own &&
    close(record.target_epsilon, own.targetEpsilon) &&
    close(record.spent_epsilon, own.spentEpsilon) &&
    // DP-SGD states a noise multiplier; a zCDP method (aim) states none there.
    (record.noise_multiplier === null
      ? own.noiseMultiplier === undefined
      : own.noiseMultiplier !== undefined && close(record.noise_multiplier, own.noiseMultiplier)) &&
    record.total_epsilon >= record.target_epsilon * (1 - 1e-9);
  if (!agrees)
    throw savedModelError(`${dir}/privacy.json does not match the training record in ${dir}/model.json`, hint);
}

/** model.json's privacy_chain (null: a model trained without DP, or saved before it was kept). */
function chainIn(value: unknown, path: string): PrivacyChain | null {
  const chain = (value as { privacy_chain?: unknown } | null)?.privacy_chain;
  if (chain === undefined || chain === null) return null;
  const fields: (keyof PrivacyChain)[] = ['total_epsilon', 'total_delta', 'init_from_epsilon', 'init_from_delta'];
  const record = chain as Record<string, unknown>;
  if (typeof chain !== 'object' || fields.some((f) => typeof record[f] !== 'number' || !((record[f] as number) >= 0)))
    throw savedModelError(`${path}: "privacy_chain" is not the DP totals of a saved model (${fields.join(', ')})`);
  return chain as PrivacyChain;
}

/**
 * A DP record's totals are what a later fine-tuning run composes (src/pipeline/init-from.ts), so
 * they must be the model's: a composition must add up (total = this run + the model it
 * fine-tuned), and where model.json keeps its own copy (privacy_chain) privacy.json must agree
 * with it. An edited or copied privacy.json would otherwise silently shrink the chain's total.
 * Folders saved before model.json kept the copy still load (the composition is still checked).
 */
function checkPrivacyChain(record: PrivacyRecord | null, chain: PrivacyChain | null, dir: string): void {
  const file = join(dir, PRIVACY_FILE);
  const hint =
    'Restore the privacy.json saved with this model, or train again with {save_model} from a run with the privacy budget you mean.';
  if (chain && !record)
    throw savedModelError(
      `${dir} holds a model trained under DP (its model.json says so), but its privacy.json is missing`,
      hint,
    );
  if (!record) return;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1e-9, Math.abs(a), Math.abs(b));
  const c = record.composition;
  if (c !== undefined && c !== null) {
    const adds =
      typeof c === 'object' &&
      close(record.total_epsilon, c.this_run_epsilon + c.init_from_epsilon) &&
      close(record.total_delta, c.this_run_delta + c.init_from_delta);
    if (!adds)
      throw savedModelError(
        `${file} does not add up: its total epsilon ${record.total_epsilon} (delta ${record.total_delta}) is not this run's ${c.this_run_epsilon} plus the fine-tuned model's ${c.init_from_epsilon} (delta ${c.this_run_delta} plus ${c.init_from_delta})`,
        hint,
      );
  }
  if (!chain) return;
  const agrees =
    close(record.total_epsilon, chain.total_epsilon) &&
    close(record.total_delta, chain.total_delta) &&
    close(c?.init_from_epsilon ?? 0, chain.init_from_epsilon) &&
    close(c?.init_from_delta ?? 0, chain.init_from_delta);
  if (!agrees)
    throw savedModelError(
      `${file} does not match the DP totals ${join(dir, MODEL_JSON)} records (total epsilon ${chain.total_epsilon}${chain.init_from_epsilon ? `, of which ${chain.init_from_epsilon} from the model it fine-tuned` : ''}; privacy.json says ${record.total_epsilon}): an edited or copied privacy.json would understate what the model's training spent`,
      hint,
    );
}

/** A JSON file of the folder, parsed; null when the folder has none. Only a regular file is read (saved-file.ts). */
async function readOptional<T>(path: string, parse: (value: unknown, path: string) => T): Promise<T | null> {
  const bytes = await readOptionalSavedFile(path);
  if (bytes === null) return null;
  try {
    return parse(JSON.parse(bytes.toString('utf8')), path);
  } catch (error) {
    if (error instanceof SyntaxError) throw savedModelError(`${path} is not valid JSON`);
    throw error;
  }
}
