import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBudget, recordSpend, spentEpsilon } from '../../src/privacy/budget-ledger.js';
import { GesalpError } from '../../src/core/errors.js';

describe('budget ledger', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-ledger-'));
    path = join(dir, 'ledger.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accumulates spend per target and refuses with exit 5 past the budget', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    await recordSpend(path, 'pg://db/t', 0.6, 'abc', now);
    await recordSpend(path, 'pg://db/t', 0.3, 'def', now);
    await recordSpend(path, 'pg://db/other', 5, 'ghi', now);
    expect(await spentEpsilon(path, 'pg://db/t')).toBeCloseTo(0.9, 12);
    await expect(checkBudget(path, 'pg://db/t', 0.1, 1)).resolves.toBeCloseTo(0.9, 12);
    const error = (await checkBudget(path, 'pg://db/t', 0.2, 1).catch((e: unknown) => e)) as GesalpError;
    expect(error.exitCode).toBe(5);
    expect(error.message).toMatch(/spent 0\.9 \+ this query 0\.2 > budget 1/);
  });
});
