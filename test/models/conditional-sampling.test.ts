import { describe, expect, it } from '@jest/globals';
import { flagOf } from '../../src/commands/flag-names.js';
import { GesalpError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import type { Table } from '../../src/core/table.js';
import { CONDITION_DRAW_LIMIT, keepMatching, resolveCondition } from '../../src/models/conditional-sampling.js';

/** A stand-in model: rows whose column 0 is level 1 with probability `share`, and a row number in column 1. */
function drawer(share: number) {
  const rng = createRng(5);
  let drawn = 0;
  const draw = async (count: number): Promise<Table> => {
    const codes = Int32Array.from({ length: count }, () => (rng.next() < share ? 1 : 0));
    const ids = Float64Array.from({ length: count }, () => drawn++);
    return {
      rowCount: count,
      columns: [
        { name: 'kind', kind: 'categorical', codes, levels: ['common', 'rare'] },
        { name: 'id', kind: 'numeric', values: ids },
      ],
    };
  };
  return { draw, drawn: () => drawn };
}

describe('conditional sampling by rejection', () => {
  it('keeps exactly the rows asked for, all holding the value', async () => {
    const { draw } = drawer(0.3);
    const table = await keepMatching(2500, 0, 1, 'kind=rare', draw);
    expect(table.rowCount).toBe(2500);
    const kind = table.columns[0];
    expect(kind.kind === 'categorical' && kind.codes.every((c) => c === 1)).toBe(true);
  });

  it('gives up at the stated limit with the value and its observed share', async () => {
    const { draw, drawn } = drawer(0.002);
    const error = await keepMatching(200, 0, 1, 'kind=rare', draw).then(
      () => undefined,
      (e: unknown) => e as GesalpError,
    );
    expect(error).toBeInstanceOf(GesalpError);
    expect(error).toMatchObject({
      exitCode: 2,
      option: 'condition',
      message: expect.stringMatching(/^condition kind=rare: \d+ of 20000 sampled rows held it \(0\.\d\d %\)/),
    });
    // The CLI names the options by their flags.
    expect(error!.phrased(flagOf)).toMatchObject({
      message: expect.stringMatching(/^--condition kind=rare: /),
      hint: expect.stringMatching(/^Ask for fewer rows \(--rows \d+ or so\)/),
    });
    expect(drawn()).toBe(CONDITION_DRAW_LIMIT * 200);
  });

  it('names the fix for an unknown column, a numeric column and an unknown value', () => {
    const columns = [
      { name: 'kind', kind: 'categorical' as const, levels: ['common', 'rare'] },
      { name: 'id', kind: 'numeric' as const },
    ];
    expect(resolveCondition({ column: 'kind', values: ['rare', 'common'] }, columns)).toEqual({
      column: 0,
      codes: [1, 0],
    });
    expect(() => resolveCondition({ column: 'knd', values: ['rare'] }, columns)).toThrow(/no column 'knd'/);
    expect(() => resolveCondition({ column: 'id', values: ['3'] }, columns)).toThrow(/'id' is numeric/);
    expect(() => resolveCondition({ column: 'kind', values: ['rar'] }, columns)).toThrow(
      expect.objectContaining({ exitCode: 2, hint: expect.stringMatching(/Did you mean 'rare'/) }),
    );
  });
});
