/**
 * `gesalp generate --client sqlite ... --method aim` writes rows past a chunk a chunk at a time
 * (SPEC section 10), as `gesalp generate FILE` does: the real CLI writes 2,000,000 rows while its
 * peak memory stays within a quarter of what 200,000 rows take (the child's own maxRSS, as
 * streamed-output.test.ts measures it; nothing is timed), and `-o -` streams them to stdout.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { HOSPITAL_METADATA, HOSPITAL_TABLE } from '../helpers/engines.js';
import { gesalpWithPeak } from '../helpers/peak-memory.js';

const HEADER = 'age,sex,insurance';
const dir = mkdtempSync(join(tmpdir(), 'gesalp-dbstreamed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'schema.json'), JSON.stringify(HOSPITAL_METADATA));

/** `rows` synthetic rows of the shipped table to `out` (a file or -): the run's stdout and peak RSS (KiB). */
function generate(rows: number, out: string) {
  const peakFile = join(dir, `${rows}.peak`);
  const r = gesalpWithPeak(
    [
      'generate',
      ...HOSPITAL_TABLE,
      '--columns',
      'age,sex,insurance',
      '--method',
      'aim',
      '--schema',
      'schema.json',
      '--seed',
      '3',
      '-n',
      String(rows),
      '-o',
      out,
      '--no-color',
    ],
    peakFile,
    { cwd: dir, timeout: 120_000, env: { XDG_STATE_HOME: join(dir, 'state') } },
  );
  expect(r.stderr).toContain(`wrote ${rows.toLocaleString('en-US')} rows to ${out}, 50,000 at a time`);
  expect(r.status).toBe(0);
  return { stdout: r.stdout, peak: r.peak };
}

/** Rows of a file read as a stream: the header once, then rows of three fields. */
async function rowsOf(path: string): Promise<number> {
  let rows = -1;
  let bad = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (rows === -1) expect(line).toBe(HEADER);
    else if (line.split(',').length !== 3 || line === HEADER) bad++;
    rows++;
  }
  expect(bad).toBe(0);
  return rows;
}

describe('gesalp generate --client -n 2000000 (rows in chunks, constant memory)', () => {
  it('writes every row to the file while the peak memory stays flat', async () => {
    const small = generate(200_000, 'small.csv');
    const large = generate(2_000_000, 'large.csv');
    expect(await rowsOf(join(dir, 'small.csv'))).toBe(200_000);
    expect(await rowsOf(join(dir, 'large.csv'))).toBe(2_000_000);
    // Ten times the rows, at most a quarter more memory (a failure shows both peaks, in KiB).
    const peaks = { small: small.peak, large: large.peak };
    expect({ ...peaks, flat: large.peak < 1.25 * small.peak }).toEqual({ ...peaks, flat: true });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);

  it('streams to stdout with -o -: the rows the file gets for that seed', () => {
    const { stdout } = generate(120_000, '-');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(120_001);
    // The first two chunks are those of every run of this seed; the third is shorter here, so drawn apart.
    const head = (text: string) => text.split('\n', 100_001).join('\n');
    expect(head(stdout)).toBe(head(readFileSync(join(dir, 'small.csv'), 'utf8')));
  }, 60_000);
});
