import { describe, expect, it } from '@jest/globals';
import { gridPoints, parseGrid } from '../../src/optimizer/grid.js';
import { TABDDPM_SPACE } from '../../src/models/tabddpm/space.js';

describe('grid search', () => {
  it('expands every combination of the axes', () => {
    const axes = parseGrid(['n_iter=300,500', 'batch_size=128,256,512'], TABDDPM_SPACE);
    const points = gridPoints(axes);
    expect(points).toHaveLength(6);
    expect(points[0]).toEqual({ n_iter: 300, batch_size: 128 });
    expect(points[5]).toEqual({ n_iter: 500, batch_size: 512 });
  });

  it('refuses values outside the space, unknown names, and names that cannot be used in this build', () => {
    expect(() => parseGrid(['layers=2,9'], TABDDPM_SPACE)).toThrow(/outside 1\.\.8/);
    expect(() => parseGrid(['n_itr=300'], TABDDPM_SPACE)).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/unknown parameter 'n_itr'/),
        hint: expect.stringMatching(/Did you mean 'n_iter'/),
      }),
    );
    expect(() => parseGrid(['epsilon=1,2'], TABDDPM_SPACE, { epsilon: 'not in this build' })).toThrow(
      /not in this build/,
    );
    expect(() => parseGrid(['n_iter'], TABDDPM_SPACE)).toThrow(/name=v1,v2/);
  });
});
