/**
 * A saved model folder as generate keeps it: what the model writes (its own files, through the
 * registry) and, beside them, split.json, the split it was trained on, so a later run on the same
 * input is still evaluated against its holdout.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { loadModel, MODELS } from '../models/registry.js';
import { readOptionalSavedFile } from '../models/saved-file.js';
import type { Synthesizer } from '../models/synthesizer.js';
import { parseSplitRecord, type SplitRecord } from './split-record.js';

const SPLIT_FILE = 'split.json';

/**
 * The files a model folder may hold, for the output guard: every method's own list (what the
 * folder holds depends on the method its model.json names, which may not be readable yet) and the split.
 */
export const modelFiles = (dir: string): { role: string; path: string }[] =>
  [...new Set([...Object.values(MODELS).flatMap((m) => m.files), SPLIT_FILE])].map((name) => ({
    role: `the model file`,
    path: join(dir, name),
  }));

export async function saveTrained(model: Synthesizer, split: SplitRecord, dir: string): Promise<void> {
  await model.save(dir);
  await writeFileAtomic(join(dir, SPLIT_FILE), `${JSON.stringify(split, null, 2)}\n`);
}

/** The model in `dir` and its split (null when the folder has none, as models saved without one). */
export async function loadTrained(dir: string): Promise<{ model: Synthesizer; split: SplitRecord | null }> {
  const model = await loadModel(dir);
  let text: string;
  try {
    const bytes = await readOptionalSavedFile(join(dir, SPLIT_FILE));
    if (bytes === null) return { model, split: null };
    text = bytes.toString('utf8');
  } catch (error) {
    model.dispose();
    throw error;
  }
  try {
    return { model, split: parseSplitRecord(JSON.parse(text), join(dir, SPLIT_FILE)) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
