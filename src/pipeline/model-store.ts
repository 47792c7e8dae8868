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
import { readOptionalSavedFile, savedModelError } from '../models/saved-file.js';
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
  if (privacy) await redactTraining(dir);
  await writeFileAtomic(join(dir, SPLIT_FILE), `${JSON.stringify(split, null, 2)}\n`);
  // A model trained without DP must not inherit the record of one saved into the same folder before.
  if (privacy) await writeFileAtomic(join(dir, PRIVACY_FILE), `${JSON.stringify(privacy, null, 2)}\n`);
  else await rm(join(dir, PRIVACY_FILE), { force: true });
}

/**
 * A DP model's model.json keeps no loss curve and no times: the loss is computed on training rows
 * outside the accountant, and the times grow with the private row count. Every method keeps its
 * fit summary under `training`, so this is the one place that strips them.
 */
async function redactTraining(dir: string): Promise<void> {
  const path = join(dir, 'model.json');
  const file = JSON.parse(await readFile(path, 'utf8')) as { training?: Record<string, unknown> | null };
  if (file.training)
    file.training = {
      ...file.training,
      seconds: 0,
      stepsPerSecond: 0,
      samplesPerSecond: 0,
      epochLoss: [],
    };
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
