/** TVAE's descriptor: the method as the registry, the optimizer and the pipeline see it. */
import type { MethodDescriptor } from '../descriptor.js';
import { TVAE_SEARCH } from './search-space.js';
import { TVAE_FILES } from './files.js';
import { TVAE_SIZE_RULES } from './size-rules.js';
import { TVAE_FIXED_DEFAULTS, TVAE_SPACE, type TvaeParams } from './space.js';
import { estimateTvaeSeconds } from './time-estimate.js';

const model = () => import('./model.js');

export const tvae = {
  id: 'tvae',
  title: 'TVAE (variational autoencoder)',
  space: TVAE_SPACE,
  searchSpace: TVAE_SEARCH,
  fineTune: { fixed: ['embedding_dim'] },
  fixedDefaults: TVAE_FIXED_DEFAULTS,
  sizeRules: TVAE_SIZE_RULES,
  capabilities: { family: 'vae', trainsByEpochs: true, dp: 'dp-sgd', readsQuantiles: true },
  estimateSeconds: estimateTvaeSeconds,
  create: async (params) => new (await model()).Tvae(params as TvaeParams),
  load: async (dir) => (await model()).Tvae.load(dir),
  files: TVAE_FILES,
} satisfies MethodDescriptor;
