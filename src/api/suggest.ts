/**
 * suggest as a library call: the parameters to use for a method and a table, each with the rule
 * behind it; from a previous run, the optimizer's changes on top of its parameters; with a target
 * epsilon, the DP-SGD settings the accountant gives. `gesalp suggest --json` prints the same.
 */
import { describeDialect, type DialectRequest } from '../core/io/dialect.js';
import { optionError } from '../core/errors.js';
import { detectIdentifiers } from '../core/schema/identifiers.js';
import { REGISTRY, type Registry } from '../models/registry.js';
import { spanGeometry } from '../models/tabddpm/batch.js';
import { fitLayout, spanSizes } from '../models/transformers/layout.js';
import { encodedWidth } from '../optimizer/evidence.js';
import { suggest as suggestFor, type Suggestion } from '../optimizer/suggest.js';
import type { ApiHooks } from './hooks.js';
import { readInputs, type TableInput } from './inputs.js';
import { describeRun, trainingRows } from './run-description.js';

export interface SuggestOptions {
  /** Default: the previous report's method, else the registry's first (TabDDPM). */
  readonly method?: string;
  /** The table to train on: its size and layout decide the defaults (read exactly, never under DP). */
  readonly input?: TableInput;
  readonly dialect?: DialectRequest;
  /** Instead of the input: its rows and columns. */
  readonly rows?: number;
  readonly cols?: number;
  /** Rows generate keeps out of training (default 0.2). */
  readonly holdout_fraction?: number;
  /** A previous run's report (a path or the parsed document): its parameters with the optimizer's changes. */
  readonly previous?: string | object;
  /** A DP-SGD target epsilon: adds the noise multiplier that meets it. */
  readonly epsilon?: number;
  readonly delta?: number;
  readonly max_grad_norm?: number;
  readonly registry?: Registry;
}

/** What the result says besides the suggestion: the encoded width the estimate used, and whether it was guessed. */
export interface SuggestResult extends Suggestion {
  /** Numeric columns plus one class per category level: from the input, else the previous report's schema. */
  readonly input_width: number;
  /** Neither an input nor a report's schema gave the layout: every column was taken as numeric. */
  readonly width_guessed: boolean;
}

export async function suggest(options: SuggestOptions, hooks: ApiHooks = {}): Promise<SuggestResult> {
  const registry = options.registry ?? REGISTRY;
  // A previous run is advised on as the method it ran, unless another is named (issue 28 item 10).
  const previous = options.previous
    ? describeRun({ report: options.previous, ...(options.method ? { method: options.method } : {}), registry })
    : undefined;
  const method = previous?.method ?? registry.get(options.method ?? registry.ids[0]).id;
  const size = await tableSize(options, hooks);
  // The layout: the input's, else the schema the previous report holds, else every column numeric.
  const inputWidth = size.inputWidth ?? (previous ? (encodedWidth(previous.evidence.columns) ?? undefined) : undefined);
  const columns = previous?.columns ?? size.columns;
  const result = suggestFor({
    method,
    trainRows: previous?.trainRows ?? size.trainRows,
    columns,
    ...(inputWidth !== undefined ? { inputWidth } : {}),
    previous,
    registry,
    dp:
      options.epsilon === undefined
        ? undefined
        : { epsilon: options.epsilon, delta: options.delta, maxGradNorm: options.max_grad_norm ?? 1 },
  });
  return { ...result, input_width: inputWidth ?? columns, width_guessed: inputWidth === undefined };
}

async function tableSize(
  options: SuggestOptions,
  hooks: ApiHooks,
): Promise<{ trainRows: number; columns: number; inputWidth?: number }> {
  const holdout = options.holdout_fraction ?? 0.2;
  if (options.input !== undefined) {
    if (options.epsilon !== undefined)
      hooks.warn?.(
        'suggest reads the input exactly: the row count and layout below are not DP releases (generate under DP releases its own)',
      );
    const loaded = await readInputs([options.input], {
      dialect: options.dialect,
      onRead: (file) => file.dialect && hooks.info?.(describeDialect(file.path, file.dialect)),
    });
    // The columns generate would set aside before training (identifiers, personal data) are left out here too.
    const identifiers = detectIdentifiers(loaded.tables[0], true);
    for (const f of identifiers)
      hooks.warn?.(
        `column '${f.column}' is left out, as generate leaves it: ${f.kind === 'pii' ? 'personal data' : 'an identifier'} (${f.rule})`,
      );
    const ids = new Set(identifiers.map((f) => f.column));
    const table = { ...loaded.tables[0], columns: loaded.tables[0].columns.filter((c) => !ids.has(c.name)) };
    const layout = fitLayout(table);
    return {
      trainRows: trainingRows(table.rowCount, holdout),
      columns: table.columns.length,
      inputWidth: layout.numeric.length + spanGeometry(spanSizes(layout)).width,
    };
  }
  if (options.rows !== undefined && options.cols !== undefined)
    return { trainRows: trainingRows(options.rows, holdout), columns: options.cols };
  if (options.previous) return { trainRows: 0, columns: 0 };
  throw optionError(
    'usage',
    'rows',
    'the size of the data is not known',
    'Give {input} FILE, or {rows} N {cols} M, or {previous} REPORT.json.',
    ['input', 'cols', 'previous'],
  );
}
