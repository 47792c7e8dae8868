/**
 * Streams the sampled rows through each sensitive column's mechanism into the sink, as CSV. With
 * amplification claimed, the sample is drawn here (a CSPRNG coin per row), the rows scanned are
 * counted against the table's declared least size, and the lines are released shuffled once the
 * whole table was read: nothing leaves before that, so a refusal or a failure releases no row.
 */
import type { Knex } from 'knex';
import { GesalpError, optionError } from '../core/errors.js';
import type { CatalogueColumn } from './catalogue.js';
import type { Client } from './connection.js';
import { csvLine, formulaCells } from './csv-rows.js';
import { poissonCoin } from './poisson-coin.js';
import type { PrivacyPlan } from './privacy-plan.js';
import { columnNoise } from './row-noise.js';
import { streamRows } from './row-stream.js';
import type { RowSink } from './sample-db.js';
import { ShuffledLines } from './shuffled-lines.js';

export interface StreamSampleOptions {
  readonly timeoutMs: number;
  readonly excelSafe: boolean;
  readonly signal?: AbortSignal;
  /** Sample in the client with rate q, and release shuffled only if at least minRows rows were scanned. */
  readonly clientSample?: { readonly q: number; readonly minRows: number };
}

/** Returns the rows written and how many text cells looked like spreadsheet formulas. */
export async function streamSample(
  knex: Knex,
  client: Client,
  query: Knex.Raw,
  columns: readonly CatalogueColumn[],
  plan: PrivacyPlan | null,
  sink: RowSink,
  options: StreamSampleOptions,
): Promise<{ rows: number; formulas: number }> {
  const noise = columns.map((c) => {
    const sensitive = plan?.columns.find((p) => p.name === c.name);
    return sensitive ? columnNoise(sensitive) : undefined;
  });
  const header = csvLine(
    columns.map((c) => c.name),
    options.excelSafe,
  );
  const line = (row: Record<string, unknown>) => {
    const values = columns.map((c, k) => (noise[k] ? noise[k]!(row[c.name]) : row[c.name]));
    return { text: csvLine(values, options.excelSafe), formulas: formulaCells(values) };
  };
  const stream = streamRows(knex, client, query, { timeoutMs: options.timeoutMs });
  if (options.clientSample) return sampleInClient(stream, line, header, sink, options, options.clientSample);
  await sink.write(header);
  let rows = 0;
  let formulas = 0;
  for await (const row of stream) {
    const out = line(row);
    formulas += out.formulas;
    await sink.write(out.text);
    rows++;
    if (options.signal?.aborted)
      throw new GesalpError('interrupted', `stopped by Ctrl-C after ${rows} rows; the rows written are charged`);
  }
  return { rows, formulas };
}

async function sampleInClient(
  stream: AsyncGenerator<Record<string, unknown>>,
  line: (row: Record<string, unknown>) => { text: string; formulas: number },
  header: string,
  sink: RowSink,
  options: StreamSampleOptions,
  sample: { readonly q: number; readonly minRows: number },
): Promise<{ rows: number; formulas: number }> {
  const coin = poissonCoin(sample.q);
  const lines = new ShuffledLines();
  let scanned = 0;
  let formulas = 0;
  try {
    for await (const row of stream) {
      scanned++;
      if (options.signal?.aborted)
        throw new GesalpError('interrupted', 'stopped by Ctrl-C before any row was released; nothing is charged');
      if (!coin()) continue;
      const out = line(row);
      formulas += out.formulas;
      await lines.add(out.text);
    }
    // The delta claimed holds for tables of at least minRows rows: a smaller one releases nothing.
    if (scanned < sample.minRows)
      throw Object.assign(
        optionError(
          'input',
          'min_rows',
          `the table has fewer rows than {min_rows} ${sample.minRows} says: nothing was released, and the query is charged (the refusal itself tells the table is smaller)`,
          'Give {min_rows} a number the table is known to reach (a public fact, not one read from the table), or drop it to charge the full epsilon without amplification.',
        ),
        { readTable: true },
      );
    await sink.write(header);
    const rows = lines.count;
    await lines.drain((text) => sink.write(text));
    return { rows, formulas };
  } finally {
    await lines.discard();
  }
}
