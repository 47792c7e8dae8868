/** A saved model's model.json, read and checked for its format: the part every method's loader shares. */
import { join } from 'node:path';
import { MODEL_JSON, readSavedFile, savedModelError } from './saved-file.js';

/** The parsed model.json of `dir`, whose `format` must be `format` (or one of them); the caller checks the rest of its shape. */
export async function readModelJson<File extends { format?: unknown }>(
  dir: string,
  format: string | readonly string[],
): Promise<File> {
  const formats = typeof format === 'string' ? [format] : format;
  const text = (
    await readSavedFile(join(dir, MODEL_JSON), {
      missing: `${dir} is not a saved model (no model.json)`,
      hint: 'Point {load_model} at a folder written by {save_model}.',
    })
  ).toString('utf8');
  let file: File;
  try {
    file = JSON.parse(text) as File;
  } catch {
    throw savedModelError(`${dir}/model.json is not valid JSON`);
  }
  if (!formats.includes(file?.format as string))
    throw savedModelError(
      `${dir}/model.json has format '${String(file?.format)}', expected '${formats[formats.length - 1]}'`,
      'Save the model again with this version of gesalp.',
    );
  return file;
}
