/**
 * sample-db on a 1,000,000-row PostgreSQL table at 1 % (target: peak memory under 200 MB), and
 * the same table read whole as the contrast that shows the memory does not grow with the rows.
 * Needs a server: GESALP_BENCH_PG_URL and GESALP_BENCH_PG_PASSWORD (as .ci/databases.sh sets up).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { knexConfig } from '../src/sample-db/connection.js';
import { measure, writeResults } from './measure.js';

const TABLE = 'bench_patients_1m';
const ROWS = 1_000_000;

async function ensureTable(url: string, password: string | undefined): Promise<void> {
  const knex = knexFactory(knexConfig({ client: 'pg', connection: url, password }));
  try {
    const existing = await knex.raw(`select count(*)::int as n from information_schema.tables where table_name = ?`, [
      TABLE,
    ]);
    if (existing.rows[0].n > 0 && (await knex(TABLE).count<{ n: string }[]>('* as n'))[0].n === String(ROWS)) return;
    process.stderr.write(`creating ${TABLE} with ${ROWS} rows...\n`);
    await knex.schema.dropTableIfExists(TABLE);
    await knex.raw(`create table ${TABLE} as
      select g as id, (random() * 100)::int as age, case when random() < 0.5 then 'F' else 'M' end as sex,
             lpad(((random() * 999)::int)::text, 5, '0') as zip, (array['flu','asthma','fracture','diabetes'])[1 + (random() * 3)::int] as diagnosis,
             round((110 + random() * 50)::numeric, 1)::float8 as systolic_bp, md5(g::text) as note
      from generate_series(1, ${ROWS}) g`);
    await knex.raw(`analyze ${TABLE}`);
  } finally {
    await knex.destroy();
  }
}

export async function benchSampleDb(): Promise<void> {
  const url = process.env.GESALP_BENCH_PG_URL;
  if (!url) {
    process.stderr.write('sample-db benchmark skipped: set GESALP_BENCH_PG_URL and GESALP_BENCH_PG_PASSWORD\n');
    return;
  }
  await ensureTable(url, process.env.GESALP_BENCH_PG_PASSWORD);
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-db-'));
  try {
    const args = (fraction: string) => [
      'sample-db',
      '--client',
      'pg',
      '--connection',
      url,
      '--password-env',
      'GESALP_BENCH_PG_PASSWORD',
      '--table',
      TABLE,
      '--fraction',
      fraction,
      '--seed',
      '1',
      '--epsilon',
      '1',
      '--sensitive',
      'age,sex',
      '--bounds',
      'age=0:110',
      '--domain',
      'sex=F,M',
      '-o',
      join(dir, `sample-${fraction}.csv`),
      '--audit-log',
      join(dir, 'audit.jsonl'),
      '--ledger',
      join(dir, 'ledger.json'),
    ];
    const rows = (stdout: string) => ({ rows: (JSON.parse(stdout) as { rows: number }).rows });
    writeResults('sample-db', 'gesalp sample-db', [
      measure(
        {
          name: `PostgreSQL ${ROWS.toLocaleString('en-US')} rows, --fraction 0.01`,
          args: args('0.01'),
          target: { mb: 200 },
        },
        rows,
      ),
      measure(
        { name: `PostgreSQL ${ROWS.toLocaleString('en-US')} rows, --fraction 1 (every row streamed)`, args: args('1') },
        rows,
      ),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
