/** Fake patient records, seeded: the embedded sample-db table (no real person is in it). */
import { createRng } from '../src/core/rng.js';

export const HOSPITAL_TABLE = 'patient_records';
export const HOSPITAL_ROWS = 20000;
export const HOSPITAL_SEED = 20261122;

export const HOSPITAL_COLUMNS = [
  ['id', 'integer primary key'],
  ['age', 'integer'],
  ['sex', 'varchar(8)'],
  ['zip', 'varchar(5)'],
  ['diagnosis', 'varchar(32)'],
  ['admitted_on', 'date'],
  ['length_of_stay', 'integer'],
  ['systolic_bp', 'double precision'],
  ['insurance', 'varchar(16)'],
  ['readmitted', 'integer'],
] as const;

export type PatientRecord = [
  number,
  number,
  string | null,
  string,
  string,
  string,
  number,
  number | null,
  string,
  number,
];

const DIAGNOSES = [
  'hypertension',
  'diabetes',
  'asthma',
  'pneumonia',
  'fracture',
  'migraine',
  'appendicitis',
  'heart failure',
];
const INSURANCE = ['public', 'private', 'none'];

export function* hospitalRecords(rows = HOSPITAL_ROWS, seed = HOSPITAL_SEED): Generator<PatientRecord> {
  const rng = createRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  for (let id = 1; id <= rows; id++) {
    const age = Math.max(0, Math.min(104, Math.round(52 + 19 * normal())));
    const sex = rng.next() < 0.01 ? null : rng.next() < 0.52 ? 'F' : 'M';
    const zip = String(10000 + rng.int(400) * 7).padStart(5, '0');
    const diagnosis = DIAGNOSES[Math.min(DIAGNOSES.length - 1, Math.floor(-Math.log(1 - rng.next()) * 2.2))];
    const day = new Date(Date.UTC(2024, 0, 1) + rng.int(730) * 86400000).toISOString().slice(0, 10);
    const stay = Math.max(1, Math.round(Math.exp(1.1 + 0.6 * normal() + (age > 70 ? 0.4 : 0))));
    const bp = rng.next() < 0.03 ? null : Math.round((118 + 0.35 * age + 14 * normal()) * 10) / 10;
    const insurance = INSURANCE[age >= 65 ? 0 : rng.next() < 0.6 ? 1 : rng.next() < 0.8 ? 0 : 2];
    const readmitted = rng.next() < 0.08 + (stay > 7 ? 0.1 : 0) ? 1 : 0;
    yield [id, age, sex, zip, diagnosis, day, stay, bp, insurance, readmitted];
  }
}
