/**
 * The parts of a pipeline test's GenerateRequest that every such test shares: ddpm, one attempt,
 * the default thresholds, the cpu backend, seed 3 on one thread, no early stop, and stop signals
 * that never fire. Each test adds its table's input, schema, parameters and model factory.
 */
import { DEFAULT_THRESHOLDS } from '../../src/metrics/thresholds.js';
import type { GenerateRequest } from '../../src/pipeline/generate-request.js';

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
