/**
 * A fifth method that lives only in the tests, to prove that a method is one folder plus one
 * registry line: each column drawn on its own, a categorical column from its level shares (plus a
 * pseudo-count), a numeric one by interpolating between its stored quantiles. It does not train by
 * epochs and has no DP, so the pipeline, the optimizer and the help texts must take those
 * capabilities from its descriptor and from nowhere else.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, type Rng } from '../../src/core/rng.js';
import { isCategorical, type Column, type Table } from '../../src/core/table.js';
import { resolveCondition } from '../../src/models/conditional-sampling.js';
import type { MethodDescriptor } from '../../src/models/descriptor.js';
import { readModelJson } from '../../src/models/model-json.js';
import type { Space } from '../../src/models/space.js';
import type { FitSummary, SampleOptions, SampleResult, Synthesizer } from '../../src/models/synthesizer.js';

const SPACE = {
  smoothing: { kind: 'float', low: 0, high: 10, help: 'pseudo-count added to every level of a categorical column' },
  knots: { kind: 'int', low: 2, high: 1000, help: 'quantiles kept per numeric column' },
} as const satisfies Space;

type Learnt =
  | { readonly name: string; readonly kind: 'numeric' | 'datetime'; readonly knots: number[]; readonly missing: number }
  | { readonly name: string; readonly kind: 'categorical'; readonly levels: string[]; readonly weights: number[] };

const FORMAT = 'gesalp-independent-1';

class IndependentColumns implements Synthesizer {
  readonly method = 'independent';
  training: FitSummary | null = null;

  constructor(
    readonly params: Readonly<Record<string, number>>,
    private learnt: Learnt[] = [],
  ) {}

  columnNames(): string[] {
    return this.learnt.map((c) => c.name);
  }

  async fit(table: Table): Promise<FitSummary> {
    this.learnt = table.columns.map((c) => learnColumn(c, this.params));
    this.training = {
      epochsDone: 1,
      epochs: 1,
      stepsDone: 1,
      seconds: 0,
      stepsPerSecond: 0,
      samplesPerSecond: 0,
      stopped: false,
      earlyStopped: false,
      epochLoss: [],
      threads: 1,
    };
    return this.training;
  }

  async sample(rows: number, options: SampleOptions): Promise<SampleResult> {
    const rng = createRng(options.seed);
    const target = options.condition ? resolveCondition(options.condition, this.learnt) : undefined;
    const total = rows * (target?.codes.length ?? 1);
    const columns = this.learnt.map((c, j): Column => {
      if (c.kind === 'categorical') {
        const codes = new Int32Array(total);
        for (let i = 0; i < total; i++)
          codes[i] = target?.column === j ? target.codes[Math.floor(i / rows)] : drawLevel(c.weights, rng);
        return { name: c.name, kind: 'categorical', codes, levels: c.levels };
      }
      const values = new Float64Array(total);
      for (let i = 0; i < total; i++) values[i] = rng.next() < c.missing ? NaN : interpolate(c.knots, rng.next());
      return { name: c.name, kind: c.kind, values };
    });
    options.onProgress?.(total, total);
    return { table: { rowCount: total, columns }, checks: [] };
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const file = { format: FORMAT, method: this.method, params: this.params, columns: this.learnt };
    await writeFile(join(dir, 'model.json'), JSON.stringify(file));
  }

  static async load(dir: string): Promise<IndependentColumns> {
    const file = await readModelJson<{ format: string; params: Record<string, number>; columns: Learnt[] }>(
      dir,
      FORMAT,
    );
    return new IndependentColumns(file.params, file.columns);
  }

  dispose(): void {}
}

function learnColumn(column: Column, params: Readonly<Record<string, number>>): Learnt {
  if (isCategorical(column)) {
    const weights = column.levels.map(() => params.smoothing);
    for (const code of column.codes) if (code >= 0) weights[code]++;
    return { name: column.name, kind: 'categorical', levels: column.levels, weights };
  }
  const present = Array.from(column.values).filter((v) => !Number.isNaN(v));
  present.sort((a, b) => a - b);
  const count = params.knots;
  const knots = present.length
    ? Array.from({ length: count }, (_, k) => present[Math.round((k / (count - 1)) * (present.length - 1))])
    : [0, 0];
  return { name: column.name, kind: column.kind, knots, missing: 1 - present.length / column.values.length };
}

function drawLevel(weights: readonly number[], rng: Rng): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let k = 0; k < weights.length; k++) if ((u -= weights[k]) < 0) return k;
  return weights.length - 1;
}

function interpolate(knots: readonly number[], u: number): number {
  const at = u * (knots.length - 1);
  const k = Math.min(Math.floor(at), knots.length - 2);
  return knots[k] + (knots[k + 1] - knots[k]) * (at - k);
}

export const independentColumns = {
  id: 'independent',
  title: 'Independent columns (a baseline that draws each column on its own)',
  space: SPACE,
  fixedDefaults: { smoothing: 0.5, knots: 100 },
  sizeRules: [{ id: 'independent-size-knots', param: 'knots', summary: 'knots by rows', tiers: sizeTiers() }],
  capabilities: { family: 'baseline', trainsByEpochs: false, dp: null, readsQuantiles: false },
  create: async (params) => new IndependentColumns(params),
  load: async (dir) => IndependentColumns.load(dir),
  files: ['model.json'],
} satisfies MethodDescriptor;

function sizeTiers() {
  return [
    { label: 'under 1K rows (20)', value: 20, matches: (rows: number) => rows < 1000 },
    { label: 'from 1K rows (100)', value: 100, matches: () => true },
  ];
}
