/** CTGAN's descriptor: the method as the registry, the optimizer and the pipeline see it. */
import { AUTO_CATEGORY_LEVELS } from '../choose-method.js';
import type { MethodDescriptor } from '../descriptor.js';
import { CTGAN_SEARCH } from './search-space.js';
import { CTGAN_FILES } from './files.js';
import { CTGAN_SIZE_RULES } from './size-rules.js';
import { CTGAN_FIXED_DEFAULTS, CTGAN_SPACE, type CtganParams } from './space.js';
import { estimateCtganSeconds } from './time-estimate.js';

const model = () => import('./model.js');

export const ctgan = {
  id: 'ctgan',
  title: 'CTGAN (conditional GAN)',
  space: CTGAN_SPACE,
  searchSpace: CTGAN_SEARCH,
  fineTune: { fixed: ['embedding_dim', 'pac'] },
  fixedDefaults: CTGAN_FIXED_DEFAULTS,
  sizeRules: CTGAN_SIZE_RULES,
  // DP-SGD clips per example: the critic judges single rows, as a pack would tie rows' gradients together.
  privateFixed: { pac: { value: 1, rule: 'DP-SGD: the critic judges one row per example' } },
  capabilities: { family: 'gan', trainsByEpochs: true, dp: 'dp-sgd', readsQuantiles: true },
  auto: {
    when: 'many-categories',
    reason: (levels) =>
      `${levels} category levels (over ${AUTO_CATEGORY_LEVELS}), where CTGAN's conditional vector suits many imbalanced categories better than TabDDPM's multinomial diffusion`,
  },
  estimateSeconds: estimateCtganSeconds,
  create: async (params) => new (await model()).Ctgan(params as CtganParams),
  load: async (dir) => (await model()).Ctgan.load(dir),
  files: CTGAN_FILES,
} satisfies MethodDescriptor;
