/**
 * The JSON state files beside the ledger (the ledger itself, the audit anchors): read strictly,
 * never coerced or repaired, since a wrong value there would let a query through or hide a cut.
 */
import { readFile } from 'node:fs/promises';
import { inputError } from '../../core/errors.js';
import { duplicateKey } from '../../core/io/duplicate-keys.js';

export interface StateFileSpec<T> {
  /** What the file is, for messages: "budget ledger". */
  readonly what: string;
  /** The state when the file does not exist yet. */
  readonly empty: () => T;
  /** What is wrong with a parsed document, or undefined when it has exactly the expected shape. */
  readonly problem: (parsed: unknown) => string | undefined;
  /** What to do when the file is damaged. */
  readonly hint: string;
}

export async function readStateFile<T>(path: string, spec: StateFileSpec<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return spec.empty();
    throw inputError(`cannot read the ${spec.what} ${path}: ${code ?? String(error)}`, spec.hint);
  }
  return parseStateText(path, text, spec);
}

/** The state in `text` (read from `path`), checked as readStateFile checks it. */
export function parseStateText<T>(path: string, text: string, spec: StateFileSpec<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const repeated = parsed === undefined ? undefined : duplicateKey(text);
  // JSON.parse keeps the last of two equal keys: an earlier entry (a target's spend) would vanish.
  const problem =
    parsed === undefined
      ? 'it is not valid JSON'
      : repeated !== undefined
        ? `the key ${repeated} occurs twice`
        : spec.problem(parsed);
  if (problem) throw inputError(`${path} is not a valid gesalp ${spec.what}: ${problem}`, spec.hint);
  return parsed as T;
}
