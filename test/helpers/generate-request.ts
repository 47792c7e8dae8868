/**
 * The parts of a pipeline test's GenerateRequest that every such test shares: ddpm, one attempt,
 * the default thresholds, the cpu backend, seed 3 on one thread, no early stop, and stop signals
 * that never fire. Each test adds its table's input, schema, parameters and model factory.
 */
import { createRng } from '../../src/core/rng.js';
import { standardNormal } from '../../src/core/stats/random.js';
import type { Table } from '../../src/core/table.js';
import { DEFAULT_THRESHOLDS } from '../../src/metrics/thresholds.js';
import type { GenerateRequest } from '../../src/pipeline/generate-request.js';
import { EPOCHS_TO_LEARN, FakeSynthesizer } from './fake-synthesizer.js';
import { categorical, numeric, table } from './tables.js';

type Shared =
  | 'method'
  | 'plan'
  | 'holdoutFraction'
  | 'thresholds'
  | 'backend'
  | 'seed'
  | 'threads'
  | 'earlyStop'
  | 'outputPath'
  | 'stopTraining'
  | 'stopAll';

export const requestDefaults = (): Pick<GenerateRequest, Shared> => ({
  method: { id: 'ddpm', reason: 'test' },
  plan: { kind: 'retry', maxAttempts: 1 },
  holdoutFraction: 0.2,
  thresholds: { ...DEFAULT_THRESHOLDS },
  backend: 'cpu',
  seed: 3,
  threads: 1,
  earlyStop: false,
  outputPath: 'out.csv',
  stopTraining: new AbortController().signal,
  stopAll: new AbortController().signal,
});

/**
 * The fake pipeline table (x ~ N(50, 10), y ~ N(0, 3), c in a/b at 30/70) and a request for it
 * whose models are FakeSynthesizers; `epochsToLearn(k)` sets how fast the k-th model (1-based) learns.
 */
export function fakeTable(rows: number, seed = 11): Table {
  const rng = createRng(seed);
  const x = Array.from({ length: rows }, () => 50 + 10 * standardNormal(rng));
  const y = Array.from({ length: rows }, () => 3 * standardNormal(rng));
  const c = Array.from({ length: rows }, () => (rng.next() < 0.3 ? 0 : 1));
  return table(numeric('x', x), numeric('y', y), categorical('c', c, ['a', 'b']));
}

export function fakeRequest(
  rows: number,
  overrides: Partial<GenerateRequest> = {},
  epochsToLearn: (k: number) => number = () => EPOCHS_TO_LEARN,
): GenerateRequest & { readonly made: FakeSynthesizer[] } {
  const made: FakeSynthesizer[] = [];
  return {
    ...requestDefaults(),
    input: { path: 'real.csv', rows, columns: 3, bytes: 1, sha256: 'f'.repeat(64) },
    schema: {
      columns: ['x', 'y', 'c'].map((name) => ({
        name,
        kind: name === 'c' ? 'categorical' : 'numeric',
        reason: 'test',
      })),
    },
    rows,
    overrides: [],
    create: async (_method, values) => {
      const fake = new FakeSynthesizer(values, epochsToLearn(made.length + 1));
      made.push(fake);
      return fake;
    },
    made,
    ...overrides,
  };
}
