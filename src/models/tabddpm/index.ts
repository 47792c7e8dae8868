/** TabDDPM's descriptor: the method as the registry, the optimizer and the pipeline see it. */
import { AUTO_CATEGORY_LEVELS } from '../choose-method.js';
import type { MethodDescriptor } from '../descriptor.js';
import { TABDDPM_SEARCH } from './search-space.js';
import { TABDDPM_FILES } from './files.js';
import { TABDDPM_SIZE_RULES } from './size-rules.js';
import { TABDDPM_FIXED_DEFAULTS, TABDDPM_SPACE, type TabDdpmParams } from './space.js';
import { estimateDdpmSeconds } from './time-estimate.js';

const model = () => import('./model.js');

export const tabddpm = {
  id: 'ddpm',
  title: 'TabDDPM (Gaussian + multinomial diffusion)',
  space: TABDDPM_SPACE,
  searchSpace: TABDDPM_SEARCH,
  samplingParams: ['sample_steps', 'sample_eta'],
  fineTune: { fixed: ['num_timesteps', 'layers', 'width'] },
  fixedDefaults: TABDDPM_FIXED_DEFAULTS,
  sizeRules: TABDDPM_SIZE_RULES,
  capabilities: { family: 'diffusion', trainsByEpochs: true, dp: 'dp-sgd', readsQuantiles: true },
  auto: {
    when: 'tables',
    reason: (levels) =>
      `${levels} category levels (at most ${AUTO_CATEGORY_LEVELS}), where TabDDPM gives the closest marginals and associations of the neural methods`,
  },
  estimateSeconds: estimateDdpmSeconds,
  create: async (params) => new (await model()).TabDdpm(params as TabDdpmParams),
  load: async (dir) => (await model()).TabDdpm.load(dir),
  files: TABDDPM_FILES,
  memoryWarning: async (table, params) => (await import('./memory-warning.js')).tabDdpmMemoryWarning(table, params),
} satisfies MethodDescriptor;
