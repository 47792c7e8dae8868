/**
 * Rows past a chunk are sampled and written a chunk at a time (SPEC section 10): the real CLI
 * samples 2,000,000 rows from a small saved TabDDPM and from AIM while its peak memory stays
 * within a quarter of what 200,000 rows take. The peak is the child's own (getrusage's maxRSS,
 * written when it exits); nothing here is timed. The runs are the default ones, which judge the
 * first chunk: both runs judge the same 50,000 rows, and 2,000,000 rows held in memory (their
 * columns and their CSV text) would add some 200 MB, far past the margin. (Unjudged runs measured
 * 10-35 % apart: the garbage collector's and the allocator's pools grow over the first chunks,
 * then stay; see the issue note.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BIN, gesalp, ROOT } from '../helpers/cli.js';
import { gesalpWithPeak } from '../helpers/peak-memory.js';

const PENGUINS = join(ROOT, 'fixtures/penguins/penguins.csv');
const HEADER = readFileSync(PENGUINS, 'utf8').split('\n')[0];
const dir = mkdtempSync(join(tmpdir(), 'gesalp-streamed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Samples `rows` rows from the saved model into a file; the report, the file and the run's peak RSS (KiB). */
function sample(model: string, rows: number, ...args: string[]) {
  const name = `${model}-${rows}`;
  const out = join(dir, `${name}.csv`);
  const peakFile = join(dir, `${name}.peak`);
  const r = gesalpWithPeak(
    [
      'generate',
      PENGUINS,
      '--load-model',
      join(dir, model),
      '-n',
      String(rows),
      '--seed',
      '3',
      '-o',
      out,
      '--no-color',
      ...args,
    ],
    peakFile,
    { cwd: dir, timeout: 240_000 },
  );
  expect(r.status).toBe(0);
  expect(r.stderr).toContain(
    `sampled and wrote ${rows.toLocaleString('en-US')} rows, 50,000 at a time; the metrics judge the first 50,000`,
  );
  const report = JSON.parse(readFileSync(join(dir, `${name}.report.json`), 'utf8'));
  return { out, report, peak: r.peak };
}

/** Reads the file as a stream: its lines (the header, then rows of 7 fields) and its hash. */
async function wellFormed(path: string): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  const stream = createReadStream(path);
  stream.on('data', (data) => hash.update(data));
  let rows = -1;
  let bad = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (rows === -1) expect(line).toBe(HEADER);
    else if (line.split(',').length !== 7 || line.includes('"')) bad++;
    rows++;
  }
  expect(bad).toBe(0);
  expect(readFileSync(path).subarray(-1).toString()).toBe('\n');
  return { rows, sha256: hash.digest('hex') };
}

/** 2,000,000 rows against 200,000: both files whole and as the report says, and the peak flat. */
async function expectFlat(model: string, ...args: string[]): Promise<void> {
  const small = sample(model, 200_000, ...args);
  const large = sample(model, 2_000_000, ...args);
  for (const [run, rows] of [
    [small, 200_000],
    [large, 2_000_000],
  ] as const) {
    expect(run.report.output).toMatchObject({ rows, chunk_rows: 50_000, evaluated_rows: 50_000 });
    expect(run.report.evaluation.inputs.synthetic).toMatchObject({ rows, sha256: run.report.output.sha256 });
    expect(await wellFormed(run.out)).toEqual({ rows, sha256: run.report.output.sha256 });
  }
  // The first chunk is the same rows whatever -n: chunk 0 takes the run's seed.
  const head = (path: string) => readFileSync(path, 'utf8').slice(0, 500_000);
  expect(head(large.out)).toBe(head(small.out));
  // Flat: ten times the rows, at most a quarter more memory (a failure shows both peaks, in KiB).
  const peaks = { model, small: small.peak, large: large.peak };
  expect({ ...peaks, flat: large.peak < 1.25 * small.peak }).toEqual({ ...peaks, flat: true });
  // Nothing but the outputs: no temporary file left beside them.
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

describe('gesalp generate -n 2000000 (rows in chunks, constant memory)', () => {
  beforeAll(() => {
    const ddpm = gesalp(
      [
        'generate',
        PENGUINS,
        '--n-iter',
        '5',
        '--batch-size',
        '64',
        '--param',
        'num_timesteps=20',
        '--param',
        'layers=1',
        '--param',
        'width=16',
        '--threads',
        '1',
        '--seed',
        '1',
        '--save-model',
        join(dir, 'ddpm'),
        '-o',
        join(dir, 'ddpm-train.csv'),
        '-q',
      ],
      { cwd: dir },
    );
    expect(ddpm.code).toBe(0);
    const aim = gesalp(
      [
        'generate',
        PENGUINS,
        '--method',
        'aim',
        '--seed',
        '1',
        '--save-model',
        join(dir, 'aim'),
        '-o',
        join(dir, 'aim-train.csv'),
        '-q',
      ],
      { cwd: dir },
    );
    expect(aim.code).toBe(0);
  }, 120_000);

  it('streams TabDDPM rows to the file while the peak memory stays flat', async () => {
    // 5 denoising steps keep it short.
    await expectFlat('ddpm', '--param', 'sample_steps=5');
  }, 240_000);

  it('streams AIM rows to the file while the peak memory stays flat', async () => {
    await expectFlat('aim');
  }, 240_000);

  it('streams to stdout with -o -', () => {
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'generate',
        PENGUINS,
        '--load-model',
        join(dir, 'aim'),
        '-n',
        '60000',
        '--no-eval',
        '-o',
        '-',
        '--report',
        join(dir, 'stdout.report.json'),
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 120_000 },
    );
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(60_001);
    const report = JSON.parse(readFileSync(join(dir, 'stdout.report.json'), 'utf8'));
    expect(report.output.sha256).toBe(createHash('sha256').update(r.stdout).digest('hex'));
    expect(existsSync(join(dir, '-'))).toBe(false);
  }, 120_000);
});
