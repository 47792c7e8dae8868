/**
 * Identifier and personal-data columns (SPEC section 9, issue 27): found before training, never
 * learned, dropped by default with the rule that matched, or written as fresh values of the same
 * format (--keep-id), none of them real.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInputs } from '../../src/core/io/load-inputs.js';
import { detectIdentifiers } from '../../src/core/schema/identifiers.js';
import { readCsvText } from '../helpers/csv.js';
import { gesalp, ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gesalp-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUICK = ['--n-iter', '2', '--param', 'num_timesteps=20', '--param', 'ema=0.9', '--seed', '1', '--threads', '1'];
const WORDS = ['bright', 'quiet', 'storm', 'penguin', 'rock', 'shore', 'ice', 'fish', 'wing', 'nest', 'egg', 'krill'];

/** penguins plus a unique email, a unique integer id, a phone number and a 95 %-distinct free-text note. */
function penguinsWithIdentifiers(): { path: string; rows: string[][]; header: string[] } {
  const [headerLine, ...lines] = readFileSync(join(ROOT, 'fixtures/penguins/penguins.csv'), 'utf8').trim().split('\n');
  const header = [...headerLine.split(','), 'email', 'member_no', 'phone', 'note'];
  const rows = lines.map((line, i) => [
    ...line.split(','),
    `bird.${i}.${WORDS[i % WORDS.length]}@colony.org`,
    String(100000 + i),
    `+44 20 7946 ${String(1000 + i).padStart(4, '0')}`,
    // Every 25th note repeats the one before: about 96 % distinct.
    i % 25 === 24 ? `seen near ${WORDS[(i - 1) % 12]} ${i - 1}` : `seen near ${WORDS[i % 12]} ${i}`,
  ]);
  const path = join(dir, 'penguins-ids.csv');
  writeFileSync(path, [header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
  return { path, rows, header };
}

describe('identifier detection', () => {
  it('flags PassengerId and Name on titanic, and not Age, Fare, SibSp or Parch', async () => {
    const { tables } = await loadInputs([join(ROOT, '../shared/datasets/titanic_train.csv')], {});
    const found = detectIdentifiers(tables[0], true);
    const names = found.map((f) => f.column);
    expect(names).toEqual(expect.arrayContaining(['PassengerId', 'Name']));
    for (const kept of ['Age', 'Fare', 'SibSp', 'Parch']) expect(names).not.toContain(kept);
    // Under DP only the names may be read: Name by its name, PassengerId by its name saying id.
    expect(detectIdentifiers(tables[0], false).map((f) => f.column)).toEqual(['PassengerId', 'Name']);
  });

  it('keeps a unique whole-number measurement of a small table (a weight in grams over 60 rows)', async () => {
    const path = join(dir, 'weights.csv');
    const grams = Array.from({ length: 60 }, (_, i) => 3000 + i * 37 + (i % 7) * 3);
    writeFileSync(path, `weight_g,colour\n${grams.map((g, i) => `${g},${['red', 'blue'][i % 2]}`).join('\n')}\n`);
    const { tables } = await loadInputs([path], {});
    expect(detectIdentifiers(tables[0], true)).toEqual([]);
  });
});

describe('gesalp generate with identifier columns', () => {
  const input = penguinsWithIdentifiers();

  it('drops them by default, naming each column and its rule on the terminal and in the report', async () => {
    const out = join(dir, 'dropped.csv');
    const r = gesalp(['generate', input.path, '-o', out, ...QUICK], { cwd: dir });
    expect([0, 4]).toContain(r.code);
    const written = await readCsvText(readFileSync(out, 'utf8'));
    for (const column of ['email', 'member_no', 'phone', 'note']) {
      expect(written.header).not.toContain(column);
      expect(r.stderr).toMatch(new RegExp(`column '${column}' (holds personal data|is an identifier)`));
    }
    expect(written.header).toEqual(input.header.slice(0, 7));
    const report = JSON.parse(readFileSync(join(dir, 'dropped.report.json'), 'utf8'));
    expect(report.identifiers.map((f: { column: string; action: string }) => [f.column, f.action])).toEqual([
      ['email', 'dropped'],
      ['member_no', 'dropped'],
      ['phone', 'dropped'],
      ['note', 'dropped'],
    ]);
    expect(report.identifiers[0]).toMatchObject({ kind: 'pii', pii: 'email', rule: expect.stringMatching(/name/) });
    expect(report.identifiers[3].rule).toMatch(/distinct values in 344 rows/);
  });

  it('writes fresh values of the same format with --keep-id: unique, and none of them real', async () => {
    const out = join(dir, 'kept.csv');
    const r = gesalp(['generate', input.path, '-o', out, '--keep-id', 'email,member_no,phone,note', ...QUICK], {
      cwd: dir,
    });
    expect([0, 4]).toContain(r.code);
    const written = await readCsvText(readFileSync(out, 'utf8'));
    expect(written.header).toEqual(input.header);
    const column = (name: string) => written.rows.map((row) => row[written.header.indexOf(name)]);
    const real = (name: string) => new Set(input.rows.map((row) => row[input.header.indexOf(name)]));
    for (const name of ['email', 'member_no', 'phone', 'note']) {
      const values = column(name);
      expect(new Set(values).size).toBe(values.length);
      for (const value of values) expect(real(name).has(value)).toBe(false);
    }
    for (const email of column('email')) expect(email).toMatch(/^[^\s@]+@example\.com$/);
    for (const id of column('member_no')) expect(id).toMatch(/^\d{6}$/);
    for (const phone of column('phone')) expect(phone).toMatch(/^\+\d\d \d\d \d{4} \d{4}$/);
    const report = JSON.parse(readFileSync(join(dir, 'kept.report.json'), 'utf8'));
    expect(report.identifiers.every((f: { action: string }) => f.action === 'regenerated')).toBe(true);
  });

  it('refuses --keep-id on a column that is not an identifier (exit 2)', () => {
    const r = gesalp(['generate', input.path, '--keep-id', 'Island', ...QUICK], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--keep-id names 'Island', which is not an identifier column/);
  });
});
