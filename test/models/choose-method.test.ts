import { describe, expect, it } from '@jest/globals';
import { AUTO_CATEGORY_LEVELS, chooseMethod, chooseMethodPrivately } from '../../src/models/choose-method.js';
import { REGISTRY } from '../../src/models/registry.js';
import { categorical, numeric, table } from '../helpers/tables.js';

const methods = (...ids: string[]) => ids.map((id) => REGISTRY.get(id));

describe('--method auto', () => {
  const levels = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
  const codes = (n: number) => Array.from({ length: 2000 }, (_, i) => i % n);

  it('picks TabDDPM for a table of few category levels, and says how many', () => {
    const t = table(numeric('x', codes(7)), categorical('c', codes(5), levels(5)));
    expect(chooseMethod(t, methods('ddpm', 'ctgan', 'tvae'))).toEqual({
      id: 'ddpm',
      reason: expect.stringMatching(/5 category levels/),
    });
  });

  it('picks CTGAN once the levels pass the limit, counting every categorical column', () => {
    const half = AUTO_CATEGORY_LEVELS / 2 + 1;
    const t = table(categorical('a', codes(half), levels(half)), categorical('b', codes(half), levels(half)));
    expect(chooseMethod(t, methods('ddpm', 'ctgan')).id).toBe('ctgan');
    expect(chooseMethod(t, methods('ddpm', 'ctgan')).reason).toMatch(/1002 category levels/);
    // A build that cannot train CTGAN stays with TabDDPM.
    expect(chooseMethod(t, methods('ddpm')).id).toBe('ddpm');
  });

  it('picks AIM under a privacy budget without reading the rows, and says why', () => {
    expect(chooseMethodPrivately(methods('ddpm', 'ctgan', 'tvae', 'aim'))).toEqual({
      id: 'aim',
      reason: expect.stringMatching(/privacy budget.*AIM.*DP-SGD loses.*without reading the rows/),
    });
    // A build without AIM keeps TabDDPM under DP.
    expect(chooseMethodPrivately(methods('ddpm', 'ctgan', 'tvae')).id).toBe('ddpm');
  });
});
