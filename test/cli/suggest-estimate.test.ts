/**
 * gesalp suggest on issue 28 items 10 and 12: a time estimate for every method trained in epochs,
 * and from a previous report its method, parameters and schema (the layout is not guessed).
 */
import { describe, expect, it } from '@jest/globals';
import { gesalp } from '../helpers/cli.js';

describe('gesalp suggest', () => {
  it.each(['tvae', 'ctgan', 'ddpm'])('estimates the training time of %s', (method) => {
    const r = gesalp(['suggest', '--method', method, '--rows', '12000', '--cols', '10', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.estimate.seconds).toBeGreaterThan(0);
    expect(out.width_guessed).toBe(true);
    expect(gesalp(['suggest', '--method', method, '--rows', '12000', '--cols', '10']).stdout).toMatch(
      /estimated training time: up to .*every column assumed numeric/,
    );
  });

  it("reads a previous report's method, parameters and schema: no column assumed numeric", () => {
    const r = gesalp(['suggest', '--previous', 'fixtures/optimizer/tvae-flat-zero-inflated.report.json', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe('tvae');
    expect(out.parameters.find((p: { name: string }) => p.name === 'loss_factor')).toMatchObject({ value: 2 });
    expect(out).toMatchObject({ input_width: 10, width_guessed: false });
    expect(out.estimate.seconds).toBeGreaterThan(0);
    expect(out.analysis.changes).toEqual([expect.objectContaining({ param: 'method', to: 'ddpm' })]);
    const text = gesalp(['suggest', '--previous', 'fixtures/optimizer/tvae-flat-zero-inflated.report.json']);
    expect(text.stdout).toMatch(/estimated training time: up to/);
    expect(text.stdout).not.toMatch(/assumed numeric/);
  });

  it('says an evaluate report names no method, and suggests the defaults of the method named or the first', () => {
    const r = gesalp(['suggest', '--previous', 'fixtures/optimizer/evaluate.report.json', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe('ddpm');
    expect(out.parameters.every((p: { source: string }) => p.source !== 'previous run')).toBe(true);
    expect(out.analysis.changes).toEqual([]);
    expect(out.warnings.join(' ')).toMatch(/names no method/);
    expect(out.width_guessed).toBe(false);
  });

  it('says on a large table that the steps are capped, in the parameters and the estimate (issue 30)', () => {
    const r = gesalp(['suggest', '--method', 'ddpm', '--rows', '651220', '--cols', '15']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/n_iter +│ 50 +│ ddpm-size-n-iter: over 20K training rows, steps capped at 100,000/);
    expect(r.stdout).toMatch(
      /estimated training time: up to \d+ min.*steps capped at 100,000; 101,800 steps \(50 epochs x 2,036\)/,
    );
    expect(r.stderr).not.toMatch(/below 300/);
  });
});
