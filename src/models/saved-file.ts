/**
 * Reading a file of a saved model folder: only a regular file is read. A pipe (a FIFO planted as
 * weights.bin) would block the read for ever and a device (/dev/zero) never end; both are refused
 * at once, as the audit log refuses them. The file is opened without blocking, then checked.
 */
import { constants } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { optionError, type GesalpError } from '../core/errors.js';
import { writeFileAtomic } from '../core/io/atomic-write.js';

/** How to mend a saved model that cannot be read (`{save_model}`: the CLI says --save-model). */
export const RESAVE = 'Save the model again with {save_model}.';

/**
 * A saved model that cannot be loaded: an input error about the load_model option (exit 3), whose
 * texts name options as `{load_model}` and `{save_model}`.
 */
export const savedModelError = (message: string, hint: string = RESAVE): GesalpError =>
  optionError('input', 'load_model', message, hint, ['save_model']);

export interface SavedFileMessages {
  /** The message when the file does not exist (default: "PATH is missing"). */
  readonly missing?: string;
  readonly hint?: string;
}

/** The whole file, or an input error (exit 3) when it is missing, unreadable or not a regular file. */
export async function readSavedFile(path: string, messages: SavedFileMessages = {}): Promise<Buffer> {
  const bytes = await readOptionalSavedFile(path, messages);
  if (bytes === null) throw savedModelError(messages.missing ?? `${path} is missing`, messages.hint ?? RESAVE);
  return bytes;
}

/** As readSavedFile, but null when the file does not exist (a folder saved without it). */
export async function readOptionalSavedFile(path: string, messages: SavedFileMessages = {}): Promise<Buffer | null> {
  const hint = messages.hint ?? RESAVE;
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw savedModelError(`cannot read ${path}: ${code ?? String(error)}`, hint);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw savedModelError(
        `${path} is not a regular file (${info.isFIFO() ? 'a pipe' : info.isDirectory() ? 'a folder' : 'a device or socket'}): a saved model's files are plain files`,
        hint,
      );
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** `count` float32 weights from the folder's file `name`, every one finite, or an input error saying the folder is damaged. */
export async function readSavedWeights(dir: string, name: string, count: number): Promise<Float32Array> {
  const bytes = await readSavedFile(join(dir, name));
  const damaged = `The folder is damaged: ${RESAVE.toLowerCase()}`;
  if (bytes.byteLength !== count * 4)
    throw savedModelError(
      `${dir}/${name} has ${bytes.byteLength} bytes where model.json expects ${count * 4}`,
      damaged,
    );
  const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (!weights.every(Number.isFinite))
    throw savedModelError(`${dir}/${name} holds weights that are not finite numbers`, damaged);
  return weights;
}

/**
 * Weights as the folder's file `name` (float32, written atomically); null removes the file, so
 * that one left by an earlier save into the folder does not pass for this model's.
 */
export async function writeSavedWeights(dir: string, name: string, weights: Float32Array | null): Promise<void> {
  const path = join(dir, name);
  if (weights) await writeFileAtomic(path, new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
  else await rm(path, { force: true });
}

/** The file name every saved model describes itself in. */
export const MODEL_JSON = 'model.json';

/** The folder --save-model writes into, created when missing; an input error (exit 3) naming why it cannot be. */
export async function makeModelFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw optionError(
      'input',
      'save_model',
      `cannot create the model folder ${dir}: ${error.code}`,
      'Choose a writable folder for {save_model}.',
    );
  });
}
