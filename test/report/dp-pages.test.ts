/**
 * SPEC section 8 for the page (issue 28): under --epsilon, every figure that shows real rows
 * (distributions with their point masses and ECDFs, column shapes, worst columns, heatmaps, top
 * pairs, privacy plots) goes only to the separately named private page with its notice, never to
 * the default page. Runs the built binary: a 3-epoch DP run of the penguins fixture, seconds.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp, ROOT } from '../helpers/cli.js';
import { writePenguinsBounds } from '../helpers/penguins-bounds.js';

const dir = mkdtempSync(join(tmpdir(), 'gesalp-dp-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What only a page judged against real rows may carry. */
const REAL_ROW_FIGURES = [
  /<figure class="column"/,
  /exact_values_marks|ecdf_marks|ks_gap_marks/,
  /<figure class="column-shapes"/,
  /<h4>Worst columns<\/h4>/,
  /<figure class="heatmap"/,
  /<figure class="pair"/,
  /<figure class="(dcr|roc)"/,
];

describe('generate --epsilon --html --private-report', () => {
  it('keeps every real-row figure off the default page and puts them on the private one', () => {
    const r = gesalp(
      [
        'generate',
        join(ROOT, 'fixtures/penguins/penguins.csv'),
        '--epsilon',
        '5',
        '--max-attempts',
        '1',
        '--public-bounds',
        writePenguinsBounds(dir),
        '-o',
        join(dir, 'dp.csv'),
        '--html',
        '--private-report',
        ...['--n-iter', '3', '--param', 'num_timesteps=20', '--threads', '1', '--seed', '3'],
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const published = readFileSync(join(dir, 'dp.report.html'), 'utf8');
    for (const figure of REAL_ROW_FIGURES) expect(published).not.toMatch(figure);
    expect(published).toContain('Differential privacy');
    const secret = readFileSync(join(dir, 'dp.private-report.html'), 'utf8');
    for (const figure of REAL_ROW_FIGURES) expect(secret).toMatch(figure);
    expect(secret).toContain('NOT COVERED BY THE DP GUARANTEE');
    expect(secret.match(/<title>([^<]*)<\/title>/)![1]).toBe(
      'gesalp private evaluation, outside the DP guarantee: dp.csv',
    );
  }, 120000);
});
