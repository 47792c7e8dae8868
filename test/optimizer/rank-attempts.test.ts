import { describe, expect, it } from '@jest/globals';
import { bestAttempt } from '../../src/optimizer/rank-attempts.js';

describe('bestAttempt', () => {
  it('prefers all green, then fewer failing checks, then the smaller total excess', () => {
    const a = { id: 'a', allGreen: false, failing: 1, excess: 0.01 };
    const b = { id: 'b', allGreen: false, failing: 2, excess: 0.001 };
    const c = { id: 'c', allGreen: true, failing: 0, excess: 0 };
    const d = { id: 'd', allGreen: false, failing: 1, excess: 0.005 };
    const e = { id: 'e', allGreen: false, failing: Infinity, excess: Infinity };
    expect(bestAttempt([e, b, a, d, c])!.id).toBe('c');
    expect(bestAttempt([e, b, a, d])!.id).toBe('d');
    expect(bestAttempt([e, b])!.id).toBe('b');
  });

  it('keeps the earlier attempt on a tie', () => {
    const first = { id: 1, allGreen: true, failing: 0, excess: 0 };
    expect(bestAttempt([first, { ...first, id: 2 }])!.id).toBe(1);
  });
});
