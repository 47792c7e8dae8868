/**
 * The columns' statistics a database-backed fit may use, from the metadata file alone: the same
 * public statistics generate builds from a declaration (src/privacy/preprocessing), for every
 * column whose kind and bounds or categories are declared; undefined for a numeric or date column
 * whose bounds are not (under DP the caller releases them from noisy histograms over public
 * edges, without DP they come from aggregates). A categorical column must be declared: its levels
 * would need a GROUP BY over the raw column.
 */
import type { ColumnStatistics } from '../core/column-statistics.js';
import { optionError } from '../core/errors.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import type { Column, Table } from '../core/table.js';
import { declaredKind, planPreprocessing, releaseColumns } from '../privacy/preprocessing/preprocess.js';
import type { SourceColumn } from './source.js';

export async function declaredStatistics(
  columns: readonly SourceColumn[],
  metadata: TableMetadata | undefined,
  privateRun: boolean,
): Promise<(ColumnStatistics | undefined)[]> {
  const declared = metadata?.columns ?? new Map();
  if (privateRun && metadata?.draftedFromData)
    throw optionError(
      'usage',
      'schema',
      'the metadata file is a draft written from the data ("drafted_from_data": true): under DP it is not public',
      'Review it, then remove the "drafted_from_data" marker: that is the declaration that it is public.',
    );
  const plan = planPreprocessing(
    columns.map((c) => c.name),
    declared,
    true,
    false,
  );
  const undeclared = plan.columns.filter((c) => c.need !== 'nothing');
  // A numeric or date column's bounds can be released from histograms over public edges; a level list cannot.
  const refused = undeclared.filter(
    (c) => c.kind === 'categorical' || (c.kind === null && columnOf(columns, c.name).kind === 'categorical'),
  );
  if (refused.length)
    throw optionError(
      'usage',
      'schema',
      `${refused.map((c) => `'${c.name}'`).join(', ')}: categories not declared; a table read in the database releases no level read from its rows`,
      'Declare them in the metadata file ({schema}): {"columns": {"age": {"kind": "integer", "min": 0, "max": 120}, "sex": {"kind": "categorical", "categories": ["F", "M"]}}}.',
    );
  const known = plan.columns.filter((c) => c.need === 'nothing');
  if (!known.length) return columns.map(() => undefined);
  // Only declared columns: releaseColumns reads nothing of these (empty) columns, it recasts the declarations.
  const empty: Table = {
    rowCount: 0,
    columns: known.map((c): Column => {
      const kind = declaredKind(c.declared)!;
      return kind === 'categorical'
        ? { name: c.name, kind, codes: new Int32Array(0), levels: [] }
        : { name: c.name, kind, values: new Float64Array(0) };
    }),
  };
  const released = await releaseColumns(
    empty,
    planPreprocessing(
      known.map((c) => c.name),
      declared,
      true,
      false,
    ),
    { epsilon: 1, delta: 0 },
  );
  return columns.map((c) => {
    const k = known.findIndex((x) => x.name === c.name);
    return k >= 0 ? released.statistics[k] : undefined;
  });
}

function columnOf(columns: readonly SourceColumn[], name: string): SourceColumn {
  return columns.find((c) => c.name === name)!;
}
