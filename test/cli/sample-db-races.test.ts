/**
 * sample-db's budget under races a hostile user runs for real (issue 24): parallel processes,
 * with a symbolic link flipped between the real database and decoys every half millisecond, and
 * with the ledger reached through two hard links.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { gesalp } from '../helpers/cli.js';
import { HOSPITAL_DB, HOSPITAL_SAMPLE_DB } from '../helpers/engines.js';

const BIN = fileURLToPath(new URL('../../bin/gesalp.js', import.meta.url));
const QUERY = ['--columns', 'age', '--epsilon', '1', '--sensitive', 'age', '--bounds', 'age=0:110', '--limit', '3'];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  /** What the run said: shown when it ended neither sampled nor refused. */
  readonly stderr: string;
}

/** Runs gesalp in a child process of its own (not awaited one by one: they race). */
function child(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const process_ = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    process_.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    process_.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function inBatches<T>(jobs: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += size)
    results.push(...(await Promise.all(jobs.slice(i, i + size).map((j) => j()))));
  return results;
}

describe('sample-db under races', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-races-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('never reads the real database once its budget is spent, however fast its link is swapped with decoys', async () => {
    const real = join(dir, 'real.db');
    copyFileSync(HOSPITAL_DB, real);
    // Decoys: the same table with two rows, so a query that read three rows read the real database.
    const decoy = join(dir, 'decoy-0.db');
    copyFileSync(HOSPITAL_DB, decoy);
    const db = new Database(decoy);
    db.exec('delete from patient_records where id > 2; vacuum');
    db.close();
    const decoys = Array.from({ length: 30 }, (_, i) => join(dir, `decoy-${i}.db`));
    for (const copy of decoys.slice(1)) copyFileSync(decoy, copy);
    const ledger = join(dir, 'ledger.json');
    const state = ['--ledger', ledger, '--audit-log', join(dir, 'audit.jsonl')];
    const sample = (connection: string) => [
      'sample-db',
      '--client',
      'sqlite',
      '--connection',
      connection,
      '--table',
      'patient_records',
      ...QUERY,
    ];
    expect(gesalp([...sample(real), '--budget', '1', ...state, '-q']).code).toBe(0);
    // A real process flips swap.db between the real file and the next decoy every 0.5 ms.
    const flipper = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs');
         const [swap, real, ...decoys] = process.argv.slice(1);
         const pause = new Int32Array(new SharedArrayBuffer(4));
         for (let i = 0; ; i++) {
           const target = i % 2 ? decoys[(i >> 1) % decoys.length] : real;
           try { fs.symlinkSync(target, swap + '.tmp'); fs.renameSync(swap + '.tmp', swap); } catch {}
           Atomics.wait(pause, 0, 0, 0.5);
         }`,
        join(dir, 'swap.db'),
        real,
        ...decoys,
      ],
      { stdio: 'ignore' },
    );
    try {
      const runs = await inBatches(
        Array.from(
          { length: 24 },
          (_, i) => () =>
            child([
              ...sample(join(dir, 'swap.db')),
              '--budget',
              '1',
              ...state,
              '--json',
              '-o',
              join(dir, `out-${i}.csv`),
            ]),
        ),
        8,
      );
      const released = runs.filter((r) => r.code === 0).map((r) => JSON.parse(r.stdout));
      // Every query either read a decoy and was charged to it, or was refused.
      expect(runs.every((r) => r.code === 0 || r.code === 5 || r.code === 6)).toBe(true);
      for (const meta of released)
        expect({ rows: meta.rows, charged: meta.target_key }).toEqual({
          rows: 2,
          charged: expect.stringMatching(/decoy-\d+\.db\/main\.patient_records$/),
        });
      expect(released.length).toBeGreaterThan(0);
    } finally {
      flipper.kill();
    }
    const spent = JSON.parse(readFileSync(ledger, 'utf8')).targets[`sqlite:${real}/main.patient_records`].spent;
    expect(spent).toBe(1);
  }, 180000);

  it('keeps one budget for a ledger reached through two hard links, with parallel queries on each', async () => {
    const ledger = join(dir, 'H.json');
    writeFileSync(ledger, `${JSON.stringify({ version: 1, targets: {} })}\n`);
    linkSync(ledger, join(dir, 'Hb.json'));
    // Each name also gets its own TMPDIR: the lock must not depend on it.
    const tmp = [join(dir, 'tmp-a'), join(dir, 'tmp-b')];
    for (const folder of tmp) mkdirSync(folder);
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        child(
          [
            ...HOSPITAL_SAMPLE_DB,
            ...QUERY,
            '--budget',
            '3',
            '--ledger',
            join(dir, i % 2 ? 'Hb.json' : 'H.json'),
            '--audit-log',
            join(dir, 'audit.jsonl'),
            '-q',
            '-o',
            join(dir, `out-${i}.csv`),
          ],
          { TMPDIR: tmp[i % 2] },
        ),
      ),
    );
    expect(runs.filter((r) => r.code !== 0 && r.code !== 5)).toEqual([]);
    expect(runs.filter((r) => r.code === 0)).toHaveLength(3);
    expect(runs.filter((r) => r.code === 5)).toHaveLength(7);
    // Still one file under both names, spent 3.
    expect(statSync(join(dir, 'Hb.json')).ino).toBe(statSync(ledger).ino);
    const targets = JSON.parse(readFileSync(ledger, 'utf8')).targets;
    expect(Object.values(targets).map((t) => (t as { spent: number }).spent)).toEqual([3]);
  }, 120000);

  it('keeps one audit chain for a log reached through two hard links, written with two ledgers at once', async () => {
    const log = join(dir, 'A.jsonl');
    writeFileSync(log, '');
    linkSync(log, join(dir, 'A2.jsonl'));
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        child([
          ...HOSPITAL_SAMPLE_DB,
          ...QUERY,
          '--ledger',
          join(dir, i % 2 ? 'L2.json' : 'L1.json'),
          '--audit-log',
          join(dir, i % 2 ? 'A2.jsonl' : 'A.jsonl'),
          '-q',
          '-o',
          join(dir, `out-${i}.csv`),
        ]),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual(Array(10).fill(0));
    const verified = gesalp(['sample-db', '--verify-audit', log]);
    expect(verified.stdout).toMatch(/10 lines, hash chain intact/);
  }, 120000);
});
