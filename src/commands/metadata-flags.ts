/** --schema and --public-bounds: the table's metadata files, named by their flags in messages. */
import { resolve } from 'node:path';
import { readMetadataFiles } from '../api/metadata.js';
import type { TableMetadata } from '../core/schema/metadata.js';

export interface MetadataFlags {
  readonly schema?: string;
  readonly publicBounds?: string;
  readonly discrete?: readonly string[];
  readonly continuous?: readonly string[];
}

/**
 * The declaration of --schema, then --public-bounds over it, then (under DP) --discrete/--continuous;
 * relative paths from `cwd` when given.
 */
export function readMetadata(
  flags: MetadataFlags,
  privateRun: boolean,
  cwd?: string,
): { value: TableMetadata; file: string } | undefined {
  const files = [
    { role: '--schema', path: flags.schema },
    { role: '--public-bounds', path: flags.publicBounds },
  ].flatMap(({ role, path }) => (path ? [{ role, path: cwd ? resolve(cwd, path) : path }] : []));
  return readMetadataFiles(files, privateRun, { ...flags, role: '--discrete/--continuous' });
}
