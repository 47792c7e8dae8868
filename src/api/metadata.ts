/**
 * The table's metadata files (SPEC section 9), read before the input and merged into the one
 * declaration the library takes. Under DP a draft is refused (a person must review it first), and
 * the kind lists (discrete, continuous) are declarations of kind like the files'.
 */
import { readFileSync, statSync } from 'node:fs';
import { GesalpError, inputError } from '../core/errors.js';
import {
  METADATA_MAX_BYTES,
  parseMetadata,
  refuseDraft,
  type ColumnMetadata,
  type TableMetadata,
} from '../core/schema/metadata.js';

/** A declaration read from its files, and the files' names for messages. */
export interface Declaration {
  readonly value: TableMetadata;
  readonly file: string;
}

/** A metadata file's path, or a declaration already read (the CLI reads its files naming its flags). */
export type MetadataInput = string | Declaration;

/**
 * The declaration of a metadata option: the file read (`option` names it in messages), or the one
 * given, checked as a file is (under DP a draft is refused), with the kind lists merged.
 */
export function declarationOf(
  input: MetadataInput | undefined,
  option: string,
  privateRun: boolean,
  kinds: DeclaredKinds = {},
): Declaration | undefined {
  if (typeof input === 'string') return readMetadataFiles([{ role: option, path: input }], privateRun, kinds);
  if (input && privateRun) refuseDraft(input.value, input.file);
  return mergeDeclarations(input ? [{ path: input.file, metadata: input.value }] : [], privateRun, kinds);
}

/** A metadata file and what the caller calls it in messages (a flag, or an option's name). */
export interface MetadataFile {
  readonly role: string;
  readonly path: string;
}

export interface DeclaredKinds {
  readonly discrete?: readonly string[];
  readonly continuous?: readonly string[];
  /** What the caller calls the two lists in messages. */
  readonly role?: string;
}

/**
 * The declaration: each file's entries over the previous ones, then (under DP) the kind lists for
 * columns no file declares; `file` names them in errors. Undefined: nothing declared.
 */
export function readMetadataFiles(
  paths: readonly MetadataFile[],
  privateRun: boolean,
  kinds: DeclaredKinds = {},
): Declaration | undefined {
  const files = paths.map(({ role, path }) => ({ path, metadata: parseMetadata(readSmallFile(role, path), path) }));
  if (privateRun) for (const f of files) refuseDraft(f.metadata, f.path);
  return mergeDeclarations(files, privateRun, kinds);
}

/** Each file's entries over the previous ones, then (under DP) the kind lists for columns no file declares. */
function mergeDeclarations(
  files: readonly { readonly path: string; readonly metadata: TableMetadata }[],
  privateRun: boolean,
  kinds: DeclaredKinds,
): Declaration | undefined {
  const columns = new Map<string, ColumnMetadata>();
  for (const f of files)
    for (const [name, column] of f.metadata.columns) columns.set(name, { ...columns.get(name), ...column });
  if (privateRun) {
    for (const name of kinds.discrete ?? [])
      if (!columns.get(name)?.kind) columns.set(name, { ...columns.get(name), kind: 'categorical' });
    for (const name of kinds.continuous ?? [])
      if (!columns.get(name)?.kind) columns.set(name, { ...columns.get(name), kind: 'numeric' });
  }
  if (!files.length && !columns.size) return undefined;
  const rows = files.map((f) => f.metadata.rows).find((r) => r !== undefined);
  // Each file's constraints hold, each naming its own file in errors.
  const constraints = files.flatMap((f) => f.metadata.constraints ?? []);
  return {
    value: {
      draftedFromData: files.some((f) => f.metadata.draftedFromData),
      ...(rows ? { rows } : {}),
      columns,
      ...(constraints.length ? { constraints } : {}),
    },
    file: files.map((f) => f.path).join(' + ') || (kinds.role ?? 'the declared kinds'),
  };
}

/** The file's text, refused (exit 3) when it is not a regular file of reasonable size. */
function readSmallFile(role: string, path: string): string {
  const hint = `Give ${role} a JSON metadata file (draft one with gesalp schema INPUT).`;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw inputError(`${role} ${path} is not a regular file`, hint);
    if (stat.size > METADATA_MAX_BYTES)
      throw inputError(
        `${role} ${path} is ${stat.size} bytes, more than ${METADATA_MAX_BYTES}: not a metadata file`,
        hint,
      );
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof GesalpError) throw error;
    throw inputError(`cannot read ${role} ${path}: ${(error as Error).message}`, hint);
  }
}
