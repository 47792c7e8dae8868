/**
 * The library's options refused as the CLI refuses its flags (issue 25's hostile review): numbers
 * that are not finite or out of range, options that cannot go together, drafted declarations under
 * DP; and errors that name options, phrased with flags by the CLI, leaving user text alone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/api/generate.js';
import { declarationOf } from '../../src/api/metadata.js';
import { sampleDb, type SampleDbOptions } from '../../src/api/sample-db.js';
import { checkTargetColumns } from '../../src/api/target-columns.js';
import { flagOf } from '../../src/commands/flag-names.js';
import { GesalpError } from '../../src/core/errors.js';
import { parseThresholdFlags } from '../../src/metrics/thresholds.js';
import { REGISTRY } from '../../src/models/registry.js';
import { parseGrid } from '../../src/optimizer/grid.js';
import { numeric, table } from '../helpers/tables.js';

const PENGUINS = 'fixtures/penguins/penguins.csv';

/** The error a call rejects with (they all stop before reading or training). */
async function refusal(call: Promise<unknown>): Promise<GesalpError> {
  try {
    await call;
  } catch (error) {
    return error as GesalpError;
  }
  throw new Error('the call was not refused');
}

describe('generate (the library) refuses options before any work', () => {
  it.each([
    [{ epsilon: 1, total_epsilon: NaN }, 'total_epsilon', /total_epsilon NaN is not a number > 0/],
    [{ epsilon: NaN }, 'epsilon', /epsilon NaN is not a number > 0/],
    [{ epsilon: -1 }, 'epsilon', /epsilon -1 is not/],
    [{ epsilon: 1, delta: 1 }, 'delta', /delta 1 is not a number in \(0, 1\)/],
    [{ max_attempts: 0 }, 'max_attempts', /max_attempts 0 is not a whole number >= 1/],
    [{ holdout_fraction: Infinity }, 'holdout_fraction', /holdout_fraction Infinity/],
    [{ epsilon: 101 }, 'epsilon', /epsilon 101 is above 100/],
    [{ epsilon: 2, total_epsilon: 1 }, 'total_epsilon', /total_epsilon 1 is below the 2 one attempt may spend/],
    [{ epsilon: 1, max_attempts: 3, total_epsilon: 3 }, 'public_validation', /3 DP attempts need public rows/],
    [{ grid: { n_iter: [] } }, 'grid', /grid lists no values for n_iter/],
    [{ evaluate: false }, 'evaluate', /evaluate false applies to sampling a saved model/],
    [{ params: { n_iter: 300 }, grid: { n_iter: [100, 200] } }, 'grid', /n_iter is set in both params and grid/],
    [{ validation_fraction: 0.5, holdout_fraction: 0.5 }, 'validation_fraction', /leave no rows to train on/],
  ] as const)('%o: refused naming %s', async (options, option, message) => {
    const error = await refusal(generate(PENGUINS, options));
    expect(error).toBeInstanceOf(GesalpError);
    expect({ option: error.option, exit: error.exitCode >= 2 && error.exitCode <= 5 }).toEqual({ option, exit: true });
    expect(error.message).toMatch(message);
  });

  it('is phrased with the flags by the CLI: the same error, other words for the options', async () => {
    const error = await refusal(generate(PENGUINS, { epsilon: 2, total_epsilon: 1 }));
    const flagOf = (option: string) => `--${option.replaceAll('_', '-')}`;
    expect(error.phrased(flagOf)).toEqual({
      message: '--total-epsilon 1 is below the 2 one attempt may spend',
      hint: 'Give --total-epsilon 2 or more, or a smaller epsilon.',
    });
    expect(error.exitCode).toBe(5);
  });
});

describe('option-named errors', () => {
  it('leave user text alone: a column called {net_income} is not an option', () => {
    const t = table(numeric('x', [1, 2, 3]));
    let error: GesalpError | undefined;
    try {
      checkTargetColumns(t, { target: '{net_income}' });
    } catch (e) {
      error = e as GesalpError;
    }
    expect(error!.message).toMatch(/^target \{net_income\}: no such column/);
    expect(error!.phrased((o) => `--${o}`).message).toMatch(/^--target \{net_income\}: no such column/);
  });
});

describe('a declaration given as an object', () => {
  const drafted = { value: { draftedFromData: true, columns: new Map() }, file: 'drafted.json' };

  it('is refused under DP when drafted from the data, as the same file would be', () => {
    expect(() => declarationOf(drafted, 'metadata', true)).toThrow(/drafted.json is a draft read from the data/);
    expect(declarationOf(drafted, 'metadata', false)!.value.draftedFromData).toBe(true);
  });

  it('takes the kind lists as public declarations under DP, and only then', () => {
    const kinds = { discrete: ['zip'], continuous: ['age'] };
    const under = declarationOf(undefined, 'metadata', true, kinds)!;
    expect([...under.value.columns]).toEqual([
      ['zip', { kind: 'categorical' }],
      ['age', { kind: 'numeric' }],
    ]);
    expect(declarationOf(undefined, 'metadata', false, kinds)).toBeUndefined();
  });
});

/** What `call` throws (these all throw before any work). */
function thrown(call: () => unknown): GesalpError {
  try {
    call();
  } catch (error) {
    return error as GesalpError;
  }
  throw new Error('the call was not refused');
}

describe('sample-db (the library) names the option at fault, which the CLI phrases as its flag', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-options-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A request refused before any database is opened (the file does not exist). */
  const request = (options: Partial<SampleDbOptions>): SampleDbOptions => ({
    connection: { client: 'sqlite', connection: join(dir, 'absent.db') },
    table: 'patients',
    audit_log: join(dir, 'audit.jsonl'),
    ledger: join(dir, 'ledger.json'),
    ...options,
  });
  const sink = { write: () => undefined };

  it('an epsilon that protects nothing: epsilon, naming sensitive', async () => {
    const error = await refusal(sampleDb(request({ epsilon: 1 }), sink));
    expect({ option: error.option, exit: error.exitCode }).toEqual({ option: 'epsilon', exit: 2 });
    expect(error.message).toBe(
      'epsilon without sensitive would protect nothing: every column would be released as stored',
    );
    expect(error.phrased(flagOf).message).toBe(
      '--epsilon without --sensitive would protect nothing: every column would be released as stored',
    );
  });

  it('domains of a column not protected: domains, which the CLI gives one --domain at a time', async () => {
    const error = await refusal(
      sampleDb(request({ epsilon: 1, sensitive: ['age'], domains: { sex: ['F', 'M'] } }), sink),
    );
    expect(error.option).toBe('domains');
    expect(error.message).toBe("bounds/domains name 'sex', which is not in sensitive");
    expect(error.phrased(flagOf)).toEqual({
      message: "--bounds/--domain name 'sex', which is not in --sensitive",
      hint: 'Add sex to --sensitive, or drop its bounds.',
    });
  });
});

describe('the grid and the thresholds, as name=value items, name their option', () => {
  const space = REGISTRY.get('ddpm').space;

  it('a grid item without values: grid, phrased as --grid', () => {
    const error = thrown(() => parseGrid(['n_iter'], space));
    expect({ option: error.option, exit: error.exitCode }).toEqual({ option: 'grid', exit: 2 });
    expect(error.message).toBe("grid 'n_iter' is not name=v1,v2,...");
    expect(error.phrased(flagOf)).toEqual({
      message: "--grid 'n_iter' is not name=v1,v2,...",
      hint: 'Write it as --grid n_iter=300,500 (repeat --grid for more axes).',
    });
  });

  it('a grid axis twice, and an unknown threshold: the flags that are not the option in kebab-case', () => {
    const twice = thrown(() => parseGrid(['n_iter=100', 'n_iter=200'], space));
    expect(twice.phrased(flagOf).message).toBe('--grid names n_iter twice');
    const threshold = thrown(() => parseThresholdFlags(['ks_man=0.1']));
    expect(threshold.option).toBe('thresholds');
    expect(threshold.message).toBe("thresholds: unknown metric 'ks_man'");
    expect(threshold.phrased(flagOf).message).toBe("--threshold: unknown metric 'ks_man'");
    expect(['params', 'evaluate', 'domains', 'timeout_ms', 'audit_key', 'max_grad_norm'].map(flagOf)).toEqual([
      '--param',
      '--no-eval',
      '--domain',
      '--timeout',
      '--audit-key-file',
      '--max-grad-norm',
    ]);
  });
});
