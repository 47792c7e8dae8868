import { describe, expect, it } from '@jest/globals';
import { sizeDefaults } from '../../src/optimizer/size-defaults.js';
import { TABDDPM_SPACE } from '../../src/models/tabddpm/space.js';
import { inSpace, parseParam, type Space } from '../../src/models/space.js';
import { REGISTRY } from '../../src/models/registry.js';

const ddpm = REGISTRY.get('ddpm');

describe('TabDDPM hyperparameter space', () => {
  it.each([
    [500, 5],
    [3000, 9],
    [15000, 15],
    [26049, 15],
    [50000, 40],
  ])('puts every default for %i rows x %i columns inside the space', (rows, columns) => {
    const defaults = sizeDefaults(ddpm, rows, columns);
    expect(Object.keys(defaults).sort()).toEqual(Object.keys(TABDDPM_SPACE).sort());
    for (const [name, { value }] of Object.entries(defaults))
      expect(inSpace(TABDDPM_SPACE[name as keyof typeof TABDDPM_SPACE], value)).toBe(true);
  });

  it('follows the SPEC size table for n_iter and batch_size', () => {
    expect(sizeDefaults(ddpm, 999, 5).n_iter.value).toBe(400);
    expect(sizeDefaults(ddpm, 1000, 5).n_iter.value).toBe(500);
    expect(sizeDefaults(ddpm, 19999, 5).n_iter.value).toBe(600);
    expect(sizeDefaults(ddpm, 20001, 5).n_iter.value).toBe(700);
    expect(sizeDefaults(ddpm, 500, 5).batch_size.value).toBeLessThanOrEqual(64);
    expect(sizeDefaults(ddpm, 5000, 25).batch_size.value).toBeGreaterThanOrEqual(256);
    expect(sizeDefaults(ddpm, 5000, 10).batch_size.value).toBeLessThanOrEqual(256);
  });

  it('refuses values outside the space and names the range', () => {
    expect(() => parseParam(TABDDPM_SPACE, 'layers', '9')).toThrow(/outside 1\.\.8/);
    expect(() => parseParam(TABDDPM_SPACE, 'lr', '1e-3')).not.toThrow();
  });

  it.each(REGISTRY.ids)('gives %s a default inside its space for every parameter', (id) => {
    const method = REGISTRY.get(id);
    const space: Space = method.space;
    for (const [rows, columns] of [
      [500, 5],
      [26049, 15],
      [50000, 40],
    ]) {
      const defaults = sizeDefaults(method, rows, columns);
      expect(Object.keys(defaults).sort()).toEqual(Object.keys(space).sort());
      for (const [name, { value }] of Object.entries(defaults)) expect(inSpace(space[name], value)).toBe(true);
    }
  });
});
