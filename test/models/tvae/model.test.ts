import { describe, expect, it } from '@jest/globals';
import { Tvae } from '../../../src/models/tvae/model.js';
import { TVAE_FIXED_DEFAULTS } from '../../../src/models/tvae/space.js';

describe('TVAE as a Synthesizer', () => {
  it('refuses DP-SGD training with a usage error (exit 2) and a hint', async () => {
    const model = new Tvae({ ...TVAE_FIXED_DEFAULTS, n_iter: 1, batch_size: 10 });
    const table = {
      rowCount: 3,
      columns: [{ name: 'x', kind: 'numeric' as const, values: Float64Array.from([1, 2, 3]) }],
    };
    const fit = model.fit(table, {
      seed: 1,
      threads: 1,
      backend: 'fused',
      privacy: { epsilon: 1, delta: 1e-5, maxGradNorm: 1 },
    });
    await expect(fit).rejects.toMatchObject({ kind: 'usage', exitCode: 2, hint: expect.stringMatching(/TabDDPM/) });
  });
});
