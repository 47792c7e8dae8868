/**
 * The database engines the sample-db suite runs on: SQLite always (the fixture file), PostgreSQL
 * and MySQL/MariaDB when CI (or you) started servers with the fixture table loaded and said where:
 * GESALP_TEST_PG_URL / GESALP_TEST_PG_PASSWORD and GESALP_TEST_MYSQL_URL / GESALP_TEST_MYSQL_PASSWORD.
 */
import { fileURLToPath } from 'node:url';
import type { Client } from '../../src/sample-db/connection.js';

export interface Engine {
  readonly client: Client;
  readonly connection: string;
  readonly password?: string;
  readonly passwordEnv?: string;
}

export const HOSPITAL_DB = fileURLToPath(new URL('../../fixtures/hospital.db', import.meta.url));
/** The shipped SQLite table's connection flags. */
export const HOSPITAL_TABLE = [
  '--client',
  'sqlite',
  '--connection',
  HOSPITAL_DB,
  '--table',
  'patient_records',
] as const;
/** `sample-db` on the shipped SQLite table: the start of most sample-db test commands. */
export const HOSPITAL_SAMPLE_DB = ['sample-db', ...HOSPITAL_TABLE] as const;
/** A metadata file's declarations of three of its columns: what AIM needs to read the table under DP. */
export const HOSPITAL_METADATA = {
  gesalp_metadata: 1,
  columns: {
    age: { kind: 'integer', min: 0, max: 110 },
    sex: { kind: 'categorical', categories: ['F', 'M'] },
    insurance: { kind: 'categorical', categories: ['public', 'private', 'none'] },
  },
};

export function availableEngines(): { engines: Engine[]; skipped: string[] } {
  const engines: Engine[] = [{ client: 'sqlite', connection: HOSPITAL_DB }];
  const skipped: string[] = [];
  for (const [client, prefix] of [
    ['pg', 'GESALP_TEST_PG'],
    ['mysql', 'GESALP_TEST_MYSQL'],
  ] as const) {
    const url = process.env[`${prefix}_URL`];
    if (url)
      engines.push({
        client,
        connection: url,
        password: process.env[`${prefix}_PASSWORD`],
        passwordEnv: `${prefix}_PASSWORD`,
      });
    else skipped.push(`${client}: no server (set ${prefix}_URL)`);
  }
  return { engines, skipped };
}
