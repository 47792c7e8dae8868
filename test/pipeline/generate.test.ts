import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../src/core/rng.js';
import { standardNormal } from '../../src/core/stats/random.js';
import type { Table } from '../../src/core/table.js';
import type { ResolvedParam } from '../../src/models/resolve-params.js';
import type { AttemptPlan } from '../../src/pipeline/attempt-plan.js';
import { generate } from '../../src/pipeline/generate.js';
import type { GenerateRequest } from '../../src/pipeline/generate-request.js';
import { FakeSynthesizer } from '../helpers/fake-synthesizer.js';
import { requestDefaults } from '../helpers/generate-request.js';
import { categorical, numeric, table } from '../helpers/tables.js';

const ROWS = 1500;

function realTable(): Table {
  const rng = createRng(11);
  const x = Array.from({ length: ROWS }, () => 50 + 10 * standardNormal(rng));
  const y = Array.from({ length: ROWS }, () => 3 * standardNormal(rng));
  const c = Array.from({ length: ROWS }, () => (rng.next() < 0.3 ? 0 : 1));
  return table(numeric('x', x), numeric('y', y), categorical('c', c, ['a', 'b']));
}

const fakes: FakeSynthesizer[] = [];

function request(overrides: Partial<GenerateRequest> = {}, params: ResolvedParam[] = []): GenerateRequest {
  return {
    ...requestDefaults(),
    input: { path: 'real.csv', rows: ROWS, columns: 3, bytes: 1, sha256: 'f'.repeat(64) },
    schema: {
      columns: ['x', 'y', 'c'].map((name) => ({
        name,
        kind: name === 'c' ? 'categorical' : 'numeric',
        reason: 'test',
      })),
    },
    rows: ROWS,
    overrides: params,
    create: async (_method, values) => {
      const fake = new FakeSynthesizer(values);
      fakes.push(fake);
      return fake;
    },
    ...overrides,
  };
}

const nIter = (value: number): ResolvedParam => ({ name: 'n_iter', value, source: 'test' });

describe('generate (the library pipeline, with a fake synthesizer)', () => {
  it('retries a failing first attempt with the change the optimizer makes, and keeps the green one', async () => {
    const infos: string[] = [];
    const plan: AttemptPlan = { kind: 'retry', maxAttempts: 4 };
    const result = await generate(realTable(), request({ plan }, [nIter(100)]), { info: (t) => infos.push(t) });
    const { attempts, optimizer } = result.report;
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ all_green: false, kept: false, parameters: { n_iter: 100 } });
    expect(attempts[0].violations.map((v) => v.metric)).toContain('ks_mean');
    expect(attempts[1].changes).toEqual([
      expect.objectContaining({ param: 'n_iter', from: 100, rule: expect.stringMatching(/^tabddpm-ks-/) }),
    ]);
    expect(attempts[1].parameters.n_iter).toBeGreaterThanOrEqual(300);
    expect(attempts[1]).toMatchObject({ all_green: true, kept: true });
    expect(optimizer).toMatchObject({ mode: 'retry', kept_attempt: 2, ending: 'all green at attempt 2' });
    expect(result.report.all_green).toBe(true);
    expect(result.report.parameters.find((p) => p.name === 'n_iter')!.source).toMatch(/after attempt 1/);
    expect(infos.some((t) => t.startsWith('attempt 2/4'))).toBe(true);
    // The model of the attempt that was not kept is freed; the kept one goes back to the caller.
    expect((result.model as FakeSynthesizer).disposed === false && fakes.some((f) => f.disposed)).toBe(true);
  });

  it('switches a failing CTGAN run to TabDDPM with its size defaults, and says why', async () => {
    const infos: string[] = [];
    const methods: string[] = [];
    const plan: AttemptPlan = { kind: 'retry', maxAttempts: 3 };
    // CTGAN (a fake that never learns) at the caps of its KS levers: the next lever is the switch.
    const result = await generate(
      realTable(),
      request(
        {
          method: { id: 'ctgan', reason: 'test' },
          plan,
          create: async (method, values) => {
            methods.push(method);
            return new FakeSynthesizer(values, method === 'ctgan' ? Infinity : 300);
          },
        },
        [nIter(10000), { name: 'batch_size', value: 65536, source: 'test' }],
      ),
      { info: (t) => infos.push(t) },
    );
    const { attempts } = result.report;
    expect(methods.slice(0, 2)).toEqual(['ctgan', 'ddpm']);
    expect(attempts[0]).toMatchObject({ method: 'ctgan', all_green: false });
    expect(attempts[1].method).toBe('ddpm');
    expect(attempts[1].changes).toContainEqual(
      expect.objectContaining({ param: 'method', from: 'ctgan', to: 'ddpm', rule: 'ctgan-ks' }),
    );
    // TabDDPM's own parameters, from its size defaults (CTGAN has no width or num_timesteps).
    expect(Object.keys(attempts[1].parameters)).toEqual(expect.arrayContaining(['width', 'num_timesteps']));
    expect(attempts[1].parameters.batch_size).not.toBe(65536);
    expect(result.report.method).toBe('ddpm');
    expect(result.report.method_reason).toMatch(/switched from ctgan by the optimizer \(ctgan-ks, after attempt 1\)/);
    expect(infos.some((t) => /method ctgan -> ddpm/.test(t))).toBe(true);
  });

  it('runs every point of a grid and keeps the best', async () => {
    const points = [100, 400].flatMap((n) => [32, 64].map((b) => ({ n_iter: n, batch_size: b })));
    const result = await generate(realTable(), request({ plan: { kind: 'grid', points } }));
    const { attempts, optimizer } = result.report;
    expect(attempts.map((a) => [a.parameters.n_iter, a.parameters.batch_size])).toEqual([
      [100, 32],
      [100, 64],
      [400, 32],
      [400, 64],
    ]);
    expect(attempts.filter((a) => a.kept)).toHaveLength(1);
    const kept = attempts.find((a) => a.kept)!;
    expect(kept.all_green).toBe(true);
    expect(kept.parameters.n_iter).toBe(400);
    expect(optimizer).toMatchObject({ mode: 'grid', max_attempts: 4, kept_attempt: kept.attempt });
  });

  it('stops training early at a green checkpoint that no longer improves', async () => {
    const result = await generate(realTable(), request({ earlyStop: true }, [nIter(1000)]));
    const early = result.report.early_stop!;
    expect(early.stopped_at_epoch).not.toBeNull();
    expect(early.stopped_at_epoch!).toBeLessThan(1000);
    expect(early.checkpoints.at(-1)).toMatchObject({ all_green: true, stop: true });
    expect(early.checkpoints.some((c) => !c.all_green)).toBe(true);
    expect(result.report.training).toMatchObject({
      early_stopped: true,
      stopped: false,
      epochs_done: early.stopped_at_epoch,
    });
  });

  it('keeps what was learnt when training is stopped (Ctrl-C once), and writes nothing when everything is (twice)', async () => {
    const stopTraining = new AbortController();
    const result = await generate(
      realTable(),
      request({ stopTraining: stopTraining.signal, plan: { kind: 'retry', maxAttempts: 3 } }, [nIter(500)]),
      {
        training: (p) => {
          if (p.epoch === 349) stopTraining.abort();
        },
      },
    );
    expect(result.report.training).toMatchObject({ stopped: true, epochs_done: 350 });
    expect(result.report.optimizer.ending).toBe('stopped by Ctrl-C');
    expect(result.report.attempts).toHaveLength(1);
    expect(result.synthetic.rowCount).toBe(ROWS);

    const stopAll = new AbortController();
    stopAll.abort();
    await expect(generate(realTable(), request({ stopAll: stopAll.signal }, [nIter(400)]))).rejects.toMatchObject({
      exitCode: 130,
    });
  });

  it('reports a failing sample check as its own check, not as an exception', async () => {
    const spread = { value: 0.5, threshold: 0.2 };
    const result = await generate(
      realTable(),
      request({ create: async (_method, values) => Object.assign(new FakeSynthesizer(values), { spread }) }, [
        nIter(400),
      ]),
    );
    const check = result.report.evaluation!.checks.find((c) => c.metric === 'sample_spread');
    expect(check).toMatchObject({ status: 'fail', value: 0.5, threshold: 0.2, message: 'fake spread' });
    expect(result.report.all_green).toBe(false);
    expect(result.report.violations.map((v) => v.metric)).toEqual(['sample_spread']);
    expect(result.report.attempts[0].samples_at_edges).toBe(true);
  });

  it('records the split, the parameters with their sources and a snake_case training summary', async () => {
    const result = await generate(realTable(), request({}, [nIter(400)]));
    const report = result.report;
    // A keyed hash per row: about a fifth held out (a binomial count), the same for the same key.
    expect(report.split).toEqual({
      rule: 'row_hash',
      seed: 3,
      fraction: 0.2,
      input_sha256: 'f'.repeat(64),
      rows: ROWS,
      train_rows: 1173,
      holdout_rows: 327,
      // A run that makes no choice takes no validation split: every row outside the holdout trains.
      validation: null,
    });
    expect(report.optimizer.judged_on).toBe('holdout');
    expect(report.parameters.find((p) => p.name === 'n_iter')).toEqual(nIter(400));
    expect(report.parameters.find((p) => p.name === 'lr')!.source).toBe('default');
    expect(Object.keys(report.training!)).toEqual(
      expect.arrayContaining(['epochs_done', 'steps_per_second', 'early_stopped']),
    );
    expect(result.csv.split('\n')[0]).toBe('x,y,c');
    expect(report.output.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('judges checkpoints on a validation split, and reports the figures of the untouched holdout', async () => {
    const result = await generate(realTable(), request({ earlyStop: true }, [nIter(300)]));
    const report = result.report;
    expect(report.optimizer.judged_on).toBe('validation split');
    const split = report.split;
    expect(split.validation).toMatchObject({ fraction: 0.1 });
    // About a tenth of the rows, by the same keyed hash; the three sides partition the rows.
    expect(Math.abs(split.validation!.rows! - ROWS / 10)).toBeLessThan(60);
    expect(split.train_rows! + split.holdout_rows! + split.validation!.rows!).toBe(ROWS);
    // The attempt was judged on the validation rows; the report's membership figure reads the holdout.
    expect(report.attempts[0].metrics.mia_auc).not.toBe(Number(report.evaluation!.metrics.mia_auc.value!.toFixed(3)));
    expect(report.early_stop!.checkpoints.length).toBeGreaterThan(0);
  });

  it('warns about cells a spreadsheet would run as formulas, and quotes them when asked', async () => {
    const hostile = realTable();
    const levels = ['=HYPERLINK("http://x")', '@SUM(1)'];
    const tableWithFormulas = {
      ...hostile,
      columns: [...hostile.columns.slice(0, 2), { ...hostile.columns[2], levels }],
    } as Table;
    const warnings: string[] = [];
    const plain = await generate(tableWithFormulas, request({}, [nIter(400)]), { warn: (t) => warnings.push(t) });
    expect(warnings.some((w) => /cells start like a spreadsheet formula/.test(w))).toBe(true);
    expect(plain.csv).toMatch(/^[^\n]*,"=HYPERLINK/m);
    const safe = await generate(tableWithFormulas, request({ excelSafe: true }, [nIter(400)]));
    expect(safe.csv).not.toMatch(/,"?=HYPERLINK/);
    expect(safe.csv).toContain(`'=HYPERLINK`);
  });

  it("warns before TabDDPM's network is built when a column's categories would make it gigabytes, naming the column", async () => {
    const rows = 300_000;
    const ids = Array.from({ length: rows }, (_, i) => i);
    const wide = table(
      numeric(
        'x',
        ids.map((i) => i % 7),
      ),
      categorical(
        'code',
        ids,
        ids.map((i) => `c${i}`),
      ),
    );
    const events: string[] = [];
    const run = generate(
      wide,
      request({
        input: { path: 'wide.csv', rows, columns: 2, bytes: 1, sha256: 'f'.repeat(64) },
        schema: {
          columns: [
            { name: 'x', kind: 'numeric', reason: 'test' },
            { name: 'code', kind: 'categorical', reason: 'test' },
          ],
        },
        rows,
        // A column of all-distinct text would be set aside as an identifier: this test wants it learned.
        identifiers: { detect: false, keep: [] },
        create: async () => {
          events.push('create');
          throw new Error('stop before training');
        },
      }),
      { warn: (text) => events.push(text) },
    );
    await expect(run).rejects.toThrow('stop before training');
    const warning = events.findIndex((e) => /column 'code' has 300,000 categories/.test(e));
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(events.indexOf('create'));
    expect(events[warning]).toMatch(/GB before its first step; method auto chooses CTGAN/);
  });
});
