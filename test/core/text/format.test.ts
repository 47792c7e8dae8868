import { describe, expect, it } from '@jest/globals';
import { describeFailure, formatAgainst } from '../../../src/core/text/format.js';

describe('formatAgainst', () => {
  it('formats a checked value as the tables do', () => {
    expect(formatAgainst(0.9058436999999999, 0.75)).toBe('0.9058');
    expect(describeFailure({ metric: 'detection_auc', value: 0.9058436999999999, op: '<=', threshold: 0.75 })).toBe(
      'detection_auc 0.9058 > 0.75',
    );
  });

  it('adds digits only where 4 decimals would show a failing value equal to its threshold', () => {
    expect(formatAgainst(0.60004, 0.6)).toBe('0.60004');
    expect(formatAgainst(0.6, 0.6)).toBe('0.6');
  });
});
