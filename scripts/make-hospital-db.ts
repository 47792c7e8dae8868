/** Writes fixtures/hospital.db, the embedded SQLite default of sample-db. Run: npm run fixtures:hospital */
import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { HOSPITAL_COLUMNS, HOSPITAL_TABLE, hospitalRecords } from './hospital-records.js';

const target = new URL('../../fixtures/hospital.db', import.meta.url).pathname;
const temporary = `${target}.tmp`;
if (existsSync(temporary)) rmSync(temporary);
const db = new Database(temporary);
db.exec(`create table ${HOSPITAL_TABLE} (${HOSPITAL_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`);
const insert = db.prepare(`insert into ${HOSPITAL_TABLE} values (${HOSPITAL_COLUMNS.map(() => '?').join(', ')})`);
let rows = 0;
db.transaction(() => {
  for (const record of hospitalRecords()) {
    insert.run(...record);
    rows++;
  }
})();
db.exec('vacuum');
db.close();
renameSync(temporary, target);
process.stdout.write(`${target}: ${rows} rows in ${HOSPITAL_TABLE}\n`);
