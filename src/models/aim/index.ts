/** AIM's descriptor: the method as the registry, the optimizer and the pipeline see it. */
import type { MethodDescriptor } from '../descriptor.js';
import { AIM_SEARCH } from './search-space.js';
import { AIM_FILES } from './files.js';
import { AIM_FIXED_DEFAULTS, AIM_SPACE, type AimParams } from './space.js';

const model = () => import('./model.js');

export const aim = {
  id: 'aim',
  title: 'AIM (select, measure, generate over a graphical model; McKenna et al. 2022)',
  space: AIM_SPACE,
  searchSpace: AIM_SEARCH,
  fixedDefaults: AIM_FIXED_DEFAULTS,
  sizeRules: [],
  capabilities: { family: 'marginals', trainsByEpochs: false, dp: 'zcdp', readsQuantiles: false },
  auto: {
    // Chosen from the request alone: a choice read from the rows would be a release outside the budget.
    when: 'private',
    reason: () =>
      'a privacy budget, where AIM (noisy marginals under zCDP, a graphical model fitted to them) keeps marginals and pairwise structure that DP-SGD loses at the same epsilon; chosen without reading the rows',
  },
  create: async (params) => new (await model()).Aim(params as AimParams),
  load: async (dir) => (await model()).Aim.load(dir),
  files: AIM_FILES,
} satisfies MethodDescriptor;
