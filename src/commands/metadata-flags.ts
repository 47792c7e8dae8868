/**
 * --schema and --public-bounds: the table's metadata files (SPEC section 9), read before the input
 * and merged into the one declaration the library takes. Under DP a draft is refused (a person must
 * review it first), and --discrete/--continuous are declarations of kind like the file's.
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

export interface MetadataFlags {
  readonly schema?: string;
  readonly publicBounds?: string;
  readonly discrete?: readonly string[];
  readonly continuous?: readonly string[];
}

/**
 * The declaration: the metadata file, then the public bounds file's entries over it, then (under DP)
 * the kind flags for columns neither declares; `file` names them in errors. Undefined: nothing declared.
 */
export function readMetadata(
  flags: MetadataFlags,
  privateRun: boolean,
): { value: TableMetadata; file: string } | undefined {
  const files = [
    ['--schema', flags.schema],
    ['--public-bounds', flags.publicBounds],
  ].flatMap(([flag, path]) =>
    path ? [{ flag: flag!, path, metadata: parseMetadata(readSmallFile(flag!, path), path) }] : [],
  );
  if (privateRun) for (const f of files) refuseDraft(f.metadata, f.path);
  const columns = new Map<string, ColumnMetadata>();
  for (const f of files)
    for (const [name, column] of f.metadata.columns) columns.set(name, { ...columns.get(name), ...column });
  if (privateRun) {
    for (const name of flags.discrete ?? [])
      if (!columns.get(name)?.kind) columns.set(name, { ...columns.get(name), kind: 'categorical' });
    for (const name of flags.continuous ?? [])
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
    file: files.map((f) => f.path).join(' + ') || '--discrete/--continuous',
  };
}

/** The file's text, refused (exit 3) when it is not a regular file of reasonable size. */
function readSmallFile(flag: string, path: string): string {
  const hint = `Give ${flag} a JSON metadata file (draft one with gesalp schema INPUT).`;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw inputError(`${flag} ${path} is not a regular file`, hint);
    if (stat.size > METADATA_MAX_BYTES)
      throw inputError(
        `${flag} ${path} is ${stat.size} bytes, more than ${METADATA_MAX_BYTES}: not a metadata file`,
        hint,
      );
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof GesalpError) throw error;
    throw inputError(`cannot read ${flag} ${path}: ${(error as Error).message}`, hint);
  }
}
