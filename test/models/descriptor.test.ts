/**
 * A method is one folder plus one registry line (issue 25): a registry built by the factory that
 * builds the shipped one, with a fifth, non-neural method that lives only in test/helpers, runs
 * generate, suggest and analyze-failure without another file knowing of it.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../src/core/rng.js';
import { standardNormal } from '../../src/core/stats/random.js';
import { makeRegistry, REGISTRY, resolveMethod } from '../../src/models/registry.js';
import { diagnose } from '../../src/optimizer/diagnose.js';
import { suggest } from '../../src/optimizer/suggest.js';
import { describeRun } from '../../src/commands/analysis-input.js';
import { runFlags } from '../../src/commands/generate-flags.js';
import type { GenerateOptions } from '../../src/commands/generate-options.js';
import { generate } from '../../src/pipeline/generate.js';
import type { GenerateRequest } from '../../src/pipeline/generate-request.js';
import { loadTrained, saveTrained } from '../../src/pipeline/model-store.js';
import { independentColumns } from '../helpers/independent-columns.js';
import { requestDefaults } from '../helpers/generate-request.js';
import { categorical, numeric, table } from '../helpers/tables.js';

const registry = makeRegistry([...REGISTRY.methods, independentColumns]);
const ROWS = 1200;

function realTable() {
  const rng = createRng(5);
  const x = Array.from({ length: ROWS }, () => 20 + 4 * standardNormal(rng));
  const c = Array.from({ length: ROWS }, () => (rng.next() < 0.25 ? 0 : 1));
  return table(numeric('x', x), categorical('c', c, ['a', 'b']));
}

const request = (overrides: Partial<GenerateRequest> = {}): GenerateRequest => ({
  ...requestDefaults(),
  method: { id: 'independent', reason: 'test' },
  registry,
  input: { path: 'real.csv', rows: ROWS, columns: 2, bytes: 1, sha256: 'f'.repeat(64) },
  schema: {
    columns: [
      { name: 'x', kind: 'numeric', reason: 'test' },
      { name: 'c', kind: 'categorical', reason: 'test' },
    ],
  },
  overrides: [],
  ...overrides,
});

describe('a method added by one registry line', () => {
  it('is built by the same factory as the shipped registry, which stays frozen and refuses a second id', () => {
    expect(registry.ids).toEqual([...REGISTRY.ids, 'independent']);
    expect(REGISTRY.has('independent')).toBe(false);
    expect(Object.isFrozen(REGISTRY) && Object.isFrozen(REGISTRY.methods)).toBe(true);
    expect(() => makeRegistry([independentColumns, independentColumns])).toThrow(/two methods named 'independent'/);
    expect(() => registry.get('independpendent')).toThrow(/unknown method 'independpendent'/);
    expect(resolveMethod('independent', realTable(), false, registry).id).toBe('independent');
  });

  it('runs generate: trained without epochs or checkpoints, sampled, judged, saved and loaded', async () => {
    const infos: string[] = [];
    const result = await generate(realTable(), request({ earlyStop: true }), { info: (t) => infos.push(t) });
    const { report } = result;
    expect(report.method).toBe('independent');
    expect(report.parameters.map((p) => [p.name, p.value, p.source])).toEqual([
      ['smoothing', 0.5, 'default'],
      // 1,200 rows less the holdout's fifth train it: the tier under 1K rows.
      ['knots', 20, 'independent-size-knots: under 1K rows (20)'],
    ]);
    // Not trained by epochs: no checkpoints, and the attempt speaks of rounds.
    expect(report.early_stop).toBeNull();
    expect(infos.some((t) => /rounds/.test(t))).toBe(true);
    expect(result.synthetic.rowCount).toBeGreaterThan(0);
    // Independent columns keep each column's distribution: the KS check passes.
    expect(report.evaluation!.metrics.ks_mean.value).toBeLessThan(0.1);
    const dir = mkdtempSync(join(tmpdir(), 'gesalp-independent-'));
    try {
      await saveTrained(result.model, result.split, dir);
      expect(readdirSync(dir).sort()).toEqual(['model.json', 'split.json']);
      const store = await loadTrained(dir, registry);
      expect(store.model.method).toBe('independent');
      // The shipped registry cannot load it, and says which method the folder names.
      await expect(loadTrained(dir)).rejects.toThrow(/names no method this build can load \('independent'\)/);
      expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).method).toBe('independent');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      result.model.dispose();
    }
  });

  it('is refused under a privacy budget, naming the method and the ones that can', async () => {
    const privacy = { epsilon: 1, totalEpsilon: 1, maxGradNorm: 1, preprocessingFraction: 0.1 };
    await expect(generate(realTable(), request({ privacy }))).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/method independent cannot train under a privacy budget/),
      hint: expect.stringMatching(/ddpm, ctgan, tvae, aim/),
    });
  });

  it('refuses a flag it does not declare (--n-iter), naming the method', () => {
    const options = { method: 'independent', nIter: '300', earlyStop: true } as unknown as GenerateOptions;
    expect(() => runFlags(options, independentColumns.space, 'independent')).toThrow(
      /--n-iter does not apply to method independent: it has no parameter n_iter/,
    );
  });

  it('runs suggest: its size rules and defaults, no DP-SGD plan and no time estimate it does not declare', () => {
    const small = suggest({ method: 'independent', trainRows: 500, columns: 4, registry });
    expect(small.parameters).toEqual([
      { name: 'knots', value: 20, source: 'independent-size-knots: under 1K rows (20)' },
      { name: 'smoothing', value: 0.5, source: 'default' },
    ]);
    expect(small.estimate).toBeNull();
    expect(suggest({ method: 'independent', trainRows: 500, columns: 4, registry }).dp).toBeNull();
    expect(() => suggest({ method: 'independent', trainRows: 500, columns: 4 })).toThrow(/unknown method/);
  });

  it('runs analyze-failure: the generic rules apply to it, the rules for models trained by epochs do not', () => {
    const situation = describeRun(
      undefined,
      {
        method: 'independent',
        metrics: ['ks_mean=0.4', 'corr_delta=0.5', 'tvd_mean=0.4', 'mia_auc=0.9', 'dcr_train_share=0.9'],
        rows: 5000,
        cols: 6,
        trainSeconds: 5000,
      },
      undefined,
      registry,
    );
    expect(situation.params).toEqual({ smoothing: 0.5, knots: 100 });
    const analysis = diagnose(situation);
    expect(analysis.failing.length).toBeGreaterThan(0);
    // all-fail, joint-structure and the others move epochs and networks: not this method's.
    const ruled = analysis.diagnoses.map((d) => d.rule);
    expect(ruled).not.toContain('all-fail');
    expect(ruled).not.toContain('joint-structure');
    // too-slow is for every method; it has no lever in this space, so nothing changes its parameters.
    expect(ruled).toContain('too-slow');
    expect(analysis.changes.filter((c) => c.param in situation.params)).toEqual([]);
  });
});
