/**
 * Identifier and personal-data columns (SPEC section 9) leave the table before anything reads it,
 * declared in the metadata file or detected (src/core/schema/identifiers.ts; under DP by name
 * only), and are never learned. By default they are dropped from the output; a column the user
 * keeps gets fresh values of the same format after sampling, never a real one.
 */
import { optionError, usageError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { FreshIdentifiers } from '../core/schema/fresh-identifiers.js';
import { detectIdentifiers, type IdentifierFinding } from '../core/schema/identifiers.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import type { Column, Table } from '../core/table.js';

export interface IdentifierRequest {
  /** Look for identifiers in the names (and, outside DP, the values); declared ones are set aside either way. */
  readonly detect: boolean;
  /** Identifier columns written with fresh values instead of dropped. */
  readonly keep: readonly string[];
}

export const DETECT_IDENTIFIERS: IdentifierRequest = { detect: true, keep: [] };

/** What the report says of each: the finding and whether it was dropped or regenerated. */
export interface IdentifierRecord extends IdentifierFinding {
  readonly action: 'dropped' | 'regenerated';
}

export interface SetAside {
  /** The table without them: what every model, metric and release reads. */
  readonly table: Table;
  readonly records: IdentifierRecord[];
  /** Kept columns: where they stood and, outside DP, their real values (templates and the values to avoid). */
  readonly kept: { readonly finding: IdentifierFinding; readonly index: number; readonly real: Column | null }[];
  readonly said: string[];
}

/** Salt of the fresh values' generator, so it shares no stream with the model of the same seed. */
const FRESH_SALT = 0x1dfe;

export function setAsideIdentifiers(
  table: Table,
  metadata: TableMetadata | undefined,
  request: IdentifierRequest,
  privateRun: boolean,
): SetAside {
  const declaredKind = (name: string) => metadata?.columns.get(name)?.kind;
  const declared: IdentifierFinding[] = table.columns.flatMap((c) => {
    const meta = metadata?.columns.get(c.name);
    if (meta?.kind !== 'identifier' && meta?.kind !== 'pii') return [];
    const pii = meta.kind === 'pii' && meta.pii ? { pii: meta.pii as IdentifierFinding['pii'] } : {};
    return [{ column: c.name, kind: meta.kind, ...pii, rule: `declared ${meta.kind} in the metadata file` }];
  });
  // A column whose kind the metadata declares otherwise is learned as declared.
  const detected = request.detect
    ? detectIdentifiers(table, !privateRun).filter((f) => declaredKind(f.column) === undefined)
    : [];
  const findings = [...declared, ...detected];
  const names = new Set(findings.map((f) => f.column));
  for (const name of request.keep)
    if (!names.has(name))
      throw optionError(
        'usage',
        'keep_id',
        `{keep_id} names '${name}', which is not an identifier column here (found: ${[...names].join(', ') || 'none'})`,
        `Name one of the columns that were set aside, or leave '${name}' out: it is learned like any other column.`,
      );
  const columns = table.columns.filter((c) => !names.has(c.name));
  if (findings.length && !columns.length)
    throw usageError(
      `every column of the table is an identifier (${[...names].join(', ')}): nothing is left to learn`,
      'Declare the columns that carry information with their kinds in a metadata file, or turn detection off.',
    );
  const records = findings.map((f): IdentifierRecord => ({
    ...f,
    action: request.keep.includes(f.column) ? 'regenerated' : 'dropped',
  }));
  const said = records.map(
    (r) =>
      `column '${r.column}' ${r.kind === 'pii' ? `holds personal data${r.pii ? ` (${r.pii.replace('_', ' ')})` : ''}` : 'is an identifier'}: ${r.rule}. It is never learned; ${r.action === 'dropped' ? 'it is dropped from the output (keep it as a fresh key of the same format with keep_id)' : 'the output holds fresh values of its format, none of them real'}`,
  );
  return {
    table: findings.length ? { rowCount: table.rowCount, columns } : table,
    records,
    kept: findings
      .filter((f) => request.keep.includes(f.column))
      .map((finding) => {
        const index = table.columns.findIndex((c) => c.name === finding.column);
        return { finding, index, real: privateRun ? null : table.columns[index] };
      }),
    said,
  };
}

/**
 * The synthetic rows with the kept identifier columns back where they stood, filled with fresh
 * values: each call puts them into the next chunk of `total` rows in all, their values unique
 * across the chunks (and those one call for all `total` rows gives).
 */
export function freshIdentifierColumns(
  aside: Pick<SetAside, 'kept'>,
  seed: number,
  total: number,
): (synthetic: Table) => Table {
  if (!aside.kept.length) return (synthetic) => synthetic;
  const rng = createRng((seed ^ FRESH_SALT) >>> 0);
  const kept = [...aside.kept]
    .sort((a, b) => a.index - b.index)
    .map((k) => ({ index: k.index, fresh: new FreshIdentifiers(k.finding, k.real, total, rng) }));
  return (synthetic) => {
    const columns = [...synthetic.columns];
    for (const { index, fresh } of kept) columns.splice(index, 0, fresh.next(synthetic.rowCount));
    return { rowCount: synthetic.rowCount, columns };
  };
}
