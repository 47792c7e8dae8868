/** The attack risks on a table smaller than their default number of attacks: no warning the user cannot act on. */
import { describe, expect, it } from '@jest/globals';
import { numeric, table } from '../helpers/tables.js';

describe('the attack risks on a small table', () => {
  it('cap the default number of attacks quietly, and warn only about a number the caller chose', async () => {
    const { linkabilityRisk } = await import('../../src/metrics/definitions/attack-risks.js');
    const rows = Array.from({ length: 30 }, (_, i) => i);
    const t = table(
      numeric('x', rows),
      numeric(
        'y',
        rows.map((v) => (v * 7) % 30),
      ),
    );
    const context = { real: t, synthetic: t, holdout: t, seed: 0, privacy: async () => ({}) as never };
    const quiet = await linkabilityRisk.compute(context);
    expect(quiet.warnings ?? []).toEqual([]);
    expect((quiet.details as { attacks: number }).attacks).toBe(30);
    const asked = await linkabilityRisk.compute({ ...context, attacks: { attacks: 500 } });
    expect(asked.warnings).toEqual([expect.stringMatching(/attacks 500 is more than the rows allow; ran 30/)]);
  });
});
