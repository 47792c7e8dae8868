import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../src/core/rng.js';
import { standardNormal } from '../../src/core/stats/random.js';
import type { Table } from '../../src/core/table.js';
import type { FitOptions, FitSummary } from '../../src/models/synthesizer.js';
import type { ResolvedParam } from '../../src/models/resolve-params.js';
import type { TableMetadata } from '../../src/core/schema/metadata.js';
import { generate } from '../../src/pipeline/generate.js';
import type { GenerateRequest } from '../../src/pipeline/generate-request.js';
import {
  attemptRefusal,
  planPrivacy,
  type PrivacyBudget,
  type PrivacyRequest,
} from '../../src/pipeline/privacy-plan.js';
import { FakeSynthesizer } from '../helpers/fake-synthesizer.js';
import { requestDefaults } from '../helpers/generate-request.js';
import { categorical, numeric, table } from '../helpers/tables.js';

const ROWS = 1500;

function realTable(seed = 5): Table {
  const rng = createRng(seed);
  const x = Array.from({ length: ROWS }, () => 50 + 10 * standardNormal(rng));
  const y = Array.from({ length: ROWS }, () => 3 * standardNormal(rng));
  const c = Array.from({ length: ROWS }, () => (rng.next() < 0.3 ? 0 : 1));
  return table(numeric('x', x), numeric('y', y), categorical('c', c, ['a', 'b']));
}

/** The fake model, answering a DP request as DP-SGD would: spends 90 % of its target. */
class FakeDpSynthesizer extends FakeSynthesizer {
  seen: FitOptions | undefined;
  override async fit(data: Table, options: FitOptions): Promise<FitSummary> {
    this.seen = options;
    const summary = await super.fit(data, options);
    const p = options.privacy;
    this.training = {
      ...summary,
      epochLoss: [1, 0.5],
      ...(p
        ? {
            privacy: {
              targetEpsilon: p.epsilon,
              spentEpsilon: 0.9 * p.epsilon,
              delta: p.delta,
              noiseMultiplier: 1.1,
              sampleRate: 0.05,
              steps: 100,
              maxGradNorm: p.maxGradNorm,
            },
          }
        : {}),
    };
    return this.training;
  }
}

const privacy = (over: Partial<PrivacyRequest> = {}): PrivacyRequest => ({
  epsilon: 5,
  totalEpsilon: 5,
  delta: 1e-5,
  maxGradNorm: 1,
  preprocessingFraction: 0.1,
  ...over,
});

// y spreads over many powers of two (too few rows per bucket at this share): declared public.
// y is declared whole: bounds and quantiles (bounds alone would release its quantiles for a method that reads them).
const METADATA: TableMetadata = {
  draftedFromData: false,
  columns: new Map([['y', { min: -15, max: 15, quantiles: [-15, -2, 0, 2, 15] }]]),
};

/** Public rows from the same population, none of them the input's. */
const publicRows = (): { table: Table; path: string } => ({ table: realTable(11), path: 'public.csv' });

const models: FakeDpSynthesizer[] = [];
function request(overrides: Partial<GenerateRequest>, n = 400): GenerateRequest {
  const params: ResolvedParam[] = [{ name: 'n_iter', value: n, source: 'test' }];
  return {
    ...requestDefaults(),
    input: { path: 'real.csv', rows: ROWS, columns: 3, bytes: 1, sha256: 'f'.repeat(64) },
    schema: {
      columns: ['x', 'y', 'c'].map((name) => ({ name, kind: name === 'c' ? 'categorical' : 'numeric', reason: 't' })),
    },
    metadata: METADATA,
    overrides: params,
    earlyStop: true,
    create: async (_method, values) => {
      const model = new FakeDpSynthesizer(values);
      models.push(model);
      return model;
    },
    ...overrides,
  };
}

describe('generate under DP (the library pipeline, with a fake DP synthesizer)', () => {
  it('preprocesses once, trains on the rest of the epsilon, and states the total by sequential composition', async () => {
    models.length = 0;
    const result = await generate(realTable(), request({ privacy: privacy() }));
    const p = result.report.privacy!;
    const seen = models[0].seen!;
    // 10 % of 5 in three equal shares: the row count, and the two columns (x, c) not declared; y is public.
    expect(p.preprocessing).toMatchObject({ epsilon: 0.5, fraction: 0.1, public: ['y'], placeholder: '(other)' });
    expect(p.preprocessing.estimated.map((c) => c.column)).toEqual(['(rows)', 'x', 'x', 'c', 'c']);
    const share = 0.5 / 3;
    expect(p.preprocessing.estimated[0].epsilon).toBeCloseTo(share, 5);
    // Each column's share: a quarter for its profile (kind, rounding), the rest for its bounds or categories.
    expect(p.preprocessing.estimated[1].epsilon + p.preprocessing.estimated[2].epsilon).toBeCloseTo(share, 5);
    expect(p.preprocessing.estimated[1].how).toMatch(/noisy profile: numbers/);
    expect(p.preprocessing.estimated[3].how).toMatch(/noisy profile: text/);
    // Calibration reads the released count, never the exact one.
    expect(seen.privacy).toEqual({ epsilon: 4.5, delta: 1e-5 * 0.9, maxGradNorm: 1, rows: p.training_rows });
    expect(p.training_rows).not.toBe(result.split.train_rows);
    expect(seen.statistics).toHaveLength(3);
    // Checkpoints would evaluate on training rows: off without a public validation table.
    expect(seen.checkpoints).toBeUndefined();
    expect(result.report.early_stop).toBeNull();
    expect(p).toMatchObject({ target_epsilon: 4.5, spent_epsilon: 4.05, attempt_epsilon: 5, max_epsilon: 5 });
    // The attempt is charged its planned epsilon, not the smaller figure for the steps it took.
    expect(p.total_epsilon).toBeCloseTo(0.5 + 4.5, 10);
    expect(p.total_epsilon).toBeLessThanOrEqual(p.total_epsilon_limit);
    expect(p.total_delta).toBeCloseTo(1e-5, 15);
    expect(p.early_stop).toMatch(/^off/);
    // The loss curve is computed on training rows outside the accountant.
    expect(result.report.training!.epoch_loss).toEqual([]);
  });

  it('runs a grid over epsilon, counts every point toward the total, and marks the Pareto front', async () => {
    const points = [{ epsilon: 1 }, { epsilon: 2 }];
    const result = await generate(
      realTable(),
      request({
        plan: { kind: 'grid', points },
        privacy: privacy({ epsilon: 2, totalEpsilon: 3, validation: publicRows() }),
      }),
    );
    const p = result.report.privacy!;
    expect(result.report.attempts.map((a) => a.epsilon)).toEqual([1, 2]);
    // Preprocessing at 10 % of the smallest epsilon, once; each point trains on its epsilon minus that.
    expect(p.preprocessing.epsilon).toBeCloseTo(0.1, 12);
    expect(p.attempts.map((a) => a.target_epsilon)).toEqual([0.9, 1.9]);
    expect(p.total_epsilon).toBeCloseTo(0.1 + 0.9 + 1.9, 5);
    expect(p.total_epsilon).toBeLessThanOrEqual(3);
    const fronts = result.report.attempts.map((a) => a.pareto_front);
    expect(fronts[0]).toBe(true);
    expect(fronts.every((f) => typeof f === 'boolean')).toBe(true);
  });

  it('refuses (exit 5) a grid whose points would spend more than the stated total', async () => {
    const points = [{ epsilon: 2 }, { epsilon: 2 }];
    await expect(
      generate(
        realTable(),
        request({
          plan: { kind: 'grid', points },
          privacy: privacy({ epsilon: 2, totalEpsilon: 3, validation: publicRows() }),
        }),
      ),
    ).rejects.toMatchObject({ exitCode: 5 });
  });

  it('gives CTGAN pac 1 under DP with the reason, and refuses (exit 2) another pac the user set', async () => {
    models.length = 0;
    const ctgan = { id: 'ctgan' as const, reason: 'test' };
    const result = await generate(realTable(), request({ method: ctgan, privacy: privacy() }, 50));
    expect(result.report.parameters.find((p) => p.name === 'pac')).toEqual({
      name: 'pac',
      value: 1,
      source: 'DP-SGD: the critic judges one row per example',
    });
    expect(models[0].params.pac).toBe(1);
    const pac10 = [...request({}).overrides, { name: 'pac', value: 10, source: '--param' }];
    await expect(
      generate(realTable(), request({ method: ctgan, privacy: privacy(), overrides: pac10 })),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/ctgan under DP-SGD needs pac 1, not 10/) });
    const grid = { kind: 'grid' as const, points: [{ pac: 1 }, { pac: 5 }] };
    await expect(
      generate(realTable(), request({ method: ctgan, privacy: privacy({ validation: publicRows() }), plan: grid })),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/needs pac 1, not 5/) });
    // Without DP the reference's pac stands.
    const plain = await generate(realTable(), request({ method: ctgan }, 50));
    expect(plain.report.parameters.find((p) => p.name === 'pac')?.value).toBe(10);
  });

  it('refuses (exit 2) a model whose training reports no privacy accounting', async () => {
    await expect(
      generate(realTable(), request({ privacy: privacy(), create: async (_m, v) => new FakeSynthesizer(v) })),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/cannot train with DP-SGD/) });
  });
});

describe('attemptRefusal', () => {
  const budget = { request: privacy({ totalEpsilon: 6 }), preprocessing: { epsilon: 0.5 } } as unknown as PrivacyBudget;
  it('lets an attempt run while preprocessing plus every training stays within the total', () => {
    expect(attemptRefusal(budget, 0.5, 5)).toBeNull();
    expect(attemptRefusal(budget, 5, 1.5)).toBeNull();
  });
  it('stops an attempt that would pass the total, or leave nothing for training', () => {
    expect(attemptRefusal(budget, 5, 2)).toMatch(/total to 6\.5, past the stated 6/);
    expect(attemptRefusal(budget, 0.5, 0.5)).toMatch(/leaves nothing for training/);
  });
});

describe('the default delta under DP', () => {
  it('is set against an upper bound of the noisy count, never a count that noise pushed down to 2', async () => {
    // At epsilon 1e-6 the count's noise is millions of rows: about half the draws floor it at 2.
    const rows = realTable();
    const shape = { firstEpsilon: 1e-6, attempts: 1, holdoutFraction: 0.2, readsQuantiles: false };
    for (let run = 0; run < 20; run++) {
      const budget = await planPrivacy(
        { train: rows, table: rows },
        undefined,
        privacy({ epsilon: 1e-6, delta: undefined }),
        shape,
      );
      expect(budget.delta).toBeLessThan(1 / (10 * rows.rowCount));
    }
  });
});
