/**
 * The identifier and personal-data columns of a file read out of core, set aside before the split
 * as generate sets them aside in memory (identifier-columns.ts, SPEC section 9): those the metadata
 * file declares, and, unless detection is off, those detected: outside DP from the names and the
 * values of the file's first `rows` rows (a key counts up in file order, which a sample drawn by
 * hash would scatter; the head costs no scan of the file); under DP from the names alone.
 */
import { join } from 'node:path';
import { loadInputs } from '../core/io/load-inputs.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import type { Table } from '../core/table.js';
import type { FileStatistics } from '../statistics/duckdb-source.js';
import { writeHeadSample } from '../statistics/file-split.js';
import { setAsideIdentifiers, type IdentifierRecord } from './identifier-columns.js';

export interface FileIdentifiers {
  readonly records: IdentifierRecord[];
  /** One line per column set aside, for the terminal and the report's warnings. */
  readonly said: string[];
}

/** The header as a table of no rows: what detection by names reads. */
const namesOnly = (names: readonly string[]): Table => ({
  rowCount: 0,
  columns: names.map((name) => ({ name, kind: 'categorical', codes: new Int32Array(0), levels: [] })),
});

/**
 * `file`: the file's statistics over every column; the head, when it is read, is written to `sampleDir`.
 */
export async function fileIdentifiers(
  file: FileStatistics,
  request: {
    readonly metadata?: TableMetadata;
    readonly detect: boolean;
    readonly privateRun: boolean;
    readonly rows: number;
    readonly sampleDir: string;
  },
): Promise<FileIdentifiers> {
  const names = file.columns.map((c) => c.name);
  let table = namesOnly(names);
  if (request.detect && !request.privateRun) {
    const out = join(request.sampleDir, 'identifier-sample.csv');
    if (await writeHeadSample(file.connection, request.rows, out)) table = (await loadInputs([out], {})).tables[0];
  }
  const aside = setAsideIdentifiers(table, request.metadata, { detect: request.detect, keep: [] }, request.privateRun);
  return { records: aside.records, said: aside.said };
}
