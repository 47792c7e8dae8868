/**
 * The amplification table of the README's sample-db section: what sample-db charges for a
 * Poisson-sampled, shuffled release (src/privacy/amplification.ts), against the pure
 * ln(1 + q(e^eps - 1)) it once claimed. Run: npm run build && node dist/scripts/amplification-table.js
 */
import { amplificationDelta, amplifiedCost } from '../src/privacy/amplification.js';

const cases: [rows: number, q: number, epsilon: number][] = [
  [21, 0.1, 1],
  [201, 0.05, 1],
  [2_000, 0.01, 1],
  [20_000, 0.01, 1],
  [20_000, 0.1, 2],
  [1_000_000, 0.001, 1],
];

const fmt = (x: number | undefined) => (x === undefined ? 'not applied' : Number(x.toPrecision(3)).toString());
const lines = [
  '| --min-rows | q | row epsilon | pure claim | delta at the pure claim | epsilon charged (delta 1e-6) | epsilon charged (delta 1e-9) |',
  '|---|---|---|---|---|---|---|',
];
for (const [rows, q, epsilon] of cases) {
  const release = { others: rows - 1, q, epsilon };
  const pure = Math.log1p(q * Math.expm1(epsilon));
  const at = (delta: number) => amplifiedCost(release, delta)?.epsilon;
  lines.push(
    `| ${rows.toLocaleString('en-US')} | ${q} | ${epsilon} | ${fmt(pure)} | ${fmt(amplificationDelta(release, pure))} | ${fmt(at(1e-6))} | ${fmt(at(1e-9))} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
