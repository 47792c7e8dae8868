import { residualRisk, successRate } from '../../../src/metrics/attacks/risk.js';
import { fitSinglingOutModel, singlingOutIntegral } from '../../../src/metrics/attacks/singling-out.js';

describe('attack rates and risks', () => {
  it('gives the Wilson score interval (Wilson 1927; reference values from the closed form at z = 1.96)', () => {
    // 5 of 10: centre 0.5, interval 0.2366-0.7634 (Newcombe 1998, table I, method 3).
    const half = successRate(10, 5);
    expect(half.rate).toBeCloseTo(0.5, 10);
    expect(half.rate - half.error).toBeCloseTo(0.2366, 4);
    expect(half.rate + half.error).toBeCloseTo(0.7634, 4);
    // 0 of 10: interval 0-0.2775 (Newcombe 1998, table I).
    const none = successRate(10, 0);
    expect(none.rate - none.error).toBeCloseTo(0, 10);
    expect(none.rate + none.error).toBeCloseTo(0.2775, 4);
  });

  it('is the excess of the main attack over the control, relative to what the control left', () => {
    const main = successRate(1000, 600);
    const control = successRate(1000, 200);
    const risk = residualRisk(main, control);
    expect(risk.value).toBeCloseTo((main.rate - control.rate) / (1 - control.rate), 12);
    expect(risk.value).toBeCloseTo(0.5, 2);
    expect(risk.ci[0]).toBeLessThan(risk.value);
    expect(risk.ci[1]).toBeGreaterThan(risk.value);
    expect(residualRisk(control, main).value).toBe(0);
  });

  it("fits the singling-out model to counts it generated (Cohen and Nissim's integral)", () => {
    const sizes = [1000, 2000, 3000, 4000, 5000];
    const truth = (n: number) => 400 * singlingOutIntegral(n, 3e-4);
    const model = fitSinglingOutModel(sizes, sizes.map(truth));
    expect(model(20000) / truth(20000)).toBeCloseTo(1, 1);
    // The integral over [0, w] of n w' (1 - w')^(n - 1), checked by the trapezoid rule.
    let sum = 0;
    const steps = 20000;
    for (let k = 0; k < steps; k++) {
      const f = (w: number) => 300 * w * (1 - w) ** 299;
      sum += ((f((k * 0.01) / steps) + f(((k + 1) * 0.01) / steps)) / 2) * (0.01 / steps);
    }
    expect(singlingOutIntegral(300, 0.01)).toBeCloseTo(sum, 6);
  });
});
