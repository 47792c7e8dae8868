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
});
