import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parameterTables } from '../../src/optimizer/parameter-tables.js';
import { RULES } from '../../src/optimizer/rules/index.js';

describe('PARAMETER_TABLES.md', () => {
  const committed = readFileSync(fileURLToPath(new URL('../../PARAMETER_TABLES.md', import.meta.url)), 'utf8');

  it('is what the rules and spaces generate now (run npm run docs:params after changing them)', () => {
    expect(committed).toBe(parameterTables());
  });

  it('names every rule and says that it corrects the inverted DP rows', () => {
    for (const rule of RULES) expect(committed).toContain(`\`${rule.id}\``);
    expect(committed).toMatch(/had these two rows inverted; these tables correct them/);
  });

  it('says where each method caps its steps, and that n_iter stays epochs', () => {
    expect(committed).toContain(
      '| over 20K training rows, up to 100,000 steps | 700 |\n| over 20K training rows, steps capped at 100,000 | ceil(100,000 / steps per epoch) |',
    );
    for (const method of ['CTGAN', 'TVAE']) {
      expect(committed).toContain(`### ${method} epochs, steps capped at 20,000 on large tables`);
      expect(committed).toMatch(
        new RegExp(
          `${method.toLowerCase()}-size-n-iter[^#]*\\| reference default, steps capped at 20,000 \\| ceil\\(20,000 / steps per epoch\\) \\|`,
        ),
      );
    }
    expect(committed).toMatch(/n_iter is still epochs: `--n-iter` sets epochs whatever the size/);
  });
});
