/** Streams the sampled rows through each sensitive column's mechanism into the sink, as CSV. */
import type { Knex } from 'knex';
import { GesalpError } from '../../core/errors.js';
import type { CatalogueColumn } from './catalogue.js';
import type { Client } from './connection.js';
import { csvLine, formulaCells } from './csv-rows.js';
import type { PrivacyPlan } from './privacy-plan.js';
import { columnNoise } from './row-noise.js';
import { streamRows } from './row-stream.js';
import type { RowSink } from './sample-db.js';

/** Returns the rows written and how many text cells looked like spreadsheet formulas. */
export async function streamSample(
  knex: Knex,
  client: Client,
  query: Knex.Raw,
  columns: readonly CatalogueColumn[],
  plan: PrivacyPlan | null,
  sink: RowSink,
  options: { readonly timeoutMs: number; readonly excelSafe: boolean; readonly signal?: AbortSignal },
): Promise<{ rows: number; formulas: number }> {
  const noise = columns.map((c) => {
    const sensitive = plan?.columns.find((p) => p.name === c.name);
    return sensitive ? columnNoise(sensitive) : undefined;
  });
  await sink.write(
    csvLine(
      columns.map((c) => c.name),
      options.excelSafe,
    ),
  );
  let rows = 0;
  let formulas = 0;
  for await (const row of streamRows(knex, client, query, { timeoutMs: options.timeoutMs })) {
    const values = columns.map((c, k) => (noise[k] ? noise[k]!(row[c.name]) : row[c.name]));
    formulas += formulaCells(values);
    await sink.write(csvLine(values, options.excelSafe));
    rows++;
    if (options.signal?.aborted)
      throw new GesalpError('interrupted', `stopped by Ctrl-C after ${rows} rows; the rows written are charged`);
  }
  return { rows, formulas };
}
