/**
 * Copies the fixture table from fixtures/hospital.db into PostgreSQL or MySQL/MariaDB (CI loads
 * it so the same sample-db suite runs on all three engines).
 * Usage: node dist/scripts/load-hospital.js pg|mysql URL   (password in GESALP_LOAD_PASSWORD)
 */
import knexFactory from 'knex';
import { HOSPITAL_COLUMNS, HOSPITAL_TABLE, hospitalRecords } from './hospital-records.js';
import { knexConfig, parseClient } from '../src/sample-db/connection.js';

const [clientName, url] = process.argv.slice(2);
const client = parseClient(clientName);
const config = knexConfig({ client, connection: url, password: process.env.GESALP_LOAD_PASSWORD });
const knex = knexFactory({ ...config, pool: { min: 1, max: 1 } });
try {
  await knex.schema.dropTableIfExists(HOSPITAL_TABLE);
  await knex.raw(`create table ${HOSPITAL_TABLE} (${HOSPITAL_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  const names = HOSPITAL_COLUMNS.map(([n]) => n);
  let batch: Record<string, unknown>[] = [];
  let rows = 0;
  for (const record of hospitalRecords()) {
    batch.push(Object.fromEntries(names.map((n, i) => [n, record[i]])));
    if (batch.length === 1000) {
      await knex(HOSPITAL_TABLE).insert(batch);
      rows += batch.length;
      batch = [];
    }
  }
  if (batch.length) await knex(HOSPITAL_TABLE).insert(batch);
  rows += batch.length;
  process.stdout.write(`loaded ${rows} rows into ${client} ${HOSPITAL_TABLE}\n`);
} finally {
  await knex.destroy();
}
