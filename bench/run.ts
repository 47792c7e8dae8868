/** npm run bench [evaluate|sample-db|generate|throughput|ctgan-throughput|optimizer|metrics|methods|dp|dp-aim|summary|sampler-steps|search|parallel-attempts|scale]: runs the benchmarks and writes bench/results/. */
import { benchCtganThroughput } from './ctgan-throughput.js';
import { benchDp } from './dp.js';
import { benchDpAim } from './dp-aim.js';
import { benchEvaluate } from './evaluate.js';
import { benchGenerate } from './generate.js';
import { benchMethods } from './methods.js';
import { benchMethodsSummary } from './methods-summary.js';
import { benchMetrics } from './metrics.js';
import { benchOptimizer } from './optimizer.js';
import { benchParallelAttempts } from './parallel-attempts.js';
import { benchSampleDb } from './sample-db.js';
import { benchSamplerSteps } from './sampler-steps.js';
import { benchScale } from './scale.js';
import { benchSearch } from './search.js';
import { benchThroughput } from './throughput.js';

const all = {
  evaluate: benchEvaluate,
  'sample-db': benchSampleDb,
  generate: benchGenerate,
  throughput: benchThroughput,
  'ctgan-throughput': benchCtganThroughput,
  optimizer: benchOptimizer,
  metrics: benchMetrics,
  methods: benchMethods,
  dp: async () => {
    await benchDp();
    await benchDpAim();
  },
  'dp-aim': benchDpAim,
  summary: benchMethodsSummary,
  'sampler-steps': benchSamplerSteps,
  search: benchSearch,
  'parallel-attempts': benchParallelAttempts,
  scale: benchScale,
};
const chosen = process.argv.slice(2);
for (const [name, run] of Object.entries(all)) if (chosen.length === 0 || chosen.includes(name)) await run();
