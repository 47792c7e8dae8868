/**
 * Under DP the synthetic table the library returns carries only released level lists (SPEC section
 * 8): a category held by a few private rows is not released, so its name must appear nowhere, not
 * even as an unused level of the returned table; and the evaluation against public rows, whose
 * levels are the released ones, reads the same lists.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/api/generate.js';
import { ROOT } from '../helpers/cli.js';
import { writePenguinsBounds } from '../helpers/penguins-bounds.js';

const dir = mkdtempSync(join(tmpdir(), 'gesalp-private-levels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'Secret-Island';
const [header, ...lines] = readFileSync(join(ROOT, 'fixtures/penguins/penguins.csv'), 'utf8').trim().split('\n');
const island = header.split(',').indexOf('Island');
/** Three private rows on an island no public row and no release names. */
const secretRows = lines.slice(0, 3).map((line) => {
  const cells = line.split(',');
  cells[island] = SECRET;
  return cells.join(',');
});
const PRIVATE = join(dir, 'private.csv');
const PUBLIC = join(dir, 'public.csv');
writeFileSync(PRIVATE, `${[header, ...lines.filter((_, i) => i % 4 !== 3), ...secretRows].join('\n')}\n`);
writeFileSync(PUBLIC, `${[header, ...lines.filter((_, i) => i % 4 === 3)].join('\n')}\n`);

describe('generate under DP with public validation rows', () => {
  it('returns a synthetic table whose level lists are the released ones, and a report without the secret level', async () => {
    const result = await generate(PRIVATE, {
      method: 'aim',
      epsilon: 2,
      seed: 1,
      metadata: writePenguinsBounds(dir),
      public_validation: PUBLIC,
      preprocessing_fraction: 0.5,
    });
    const column = result.synthetic.columns[island] as { levels: string[] };
    expect(column.levels).not.toContain(SECRET);
    expect(JSON.stringify(result.report)).not.toContain(SECRET);
    expect(result.report.evaluation).not.toBeNull();
  });
});
