/**
 * `--ensemble K`: the K best attempts' rows as one mixture. The weights are chosen on the
 * validation split (under DP on the public validation rows), over a grid on the simplex, by the
 * search's loss of a small mixed sample; the mixture is kept only when, judged like an attempt,
 * its standing is no worse than the best single attempt's and its quality score is higher. Under
 * DP each member's epsilon was charged when it started, so the mixture's cost is their sum (the
 * run's total), and choosing the weights on public rows costs nothing more.
 */
import { createRng, permutation } from '../core/rng.js';
import { takeRows, type Column, type Table } from '../core/table.js';
import { compareStandings, NOTHING_EVALUATED, standing } from '../metrics/checks.js';
import { searchLoss } from '../optimizer/search/objective.js';
import { CHECKPOINT_ROWS } from '../optimizer/early-stop.js';
import type { SampleCheck } from '../models/synthesizer.js';
import { judgeRows, judgeUtility, type AttemptContext, type AttemptOutcome } from './attempt.js';
import type { EnsembleRecord } from './report.js';

/** The most members: the weight grid grows as step^-(K-1). */
export const MAX_MEMBERS = 3;

/**
 * The mixture of the K best held attempts (by standing, then quality), or the best alone when the
 * mixture does not beat it; `best` is the attempt the standing keeps.
 */
export async function ensembleOf(
  ctx: AttemptContext,
  held: readonly AttemptOutcome[],
  best: AttemptOutcome,
  k: number,
): Promise<{ kept: AttemptOutcome; record: EnsembleRecord | null }> {
  const members = [...held]
    .filter((h) => h.evaluation)
    .sort((a, b) => compareStandings(a.standing, b.standing) || quality(b) - quality(a) || a.attempt - b.attempt)
    .slice(0, Math.min(k, MAX_MEMBERS));
  if (members.length < 2) return { kept: best, record: null };
  const weights = await chooseWeights(ctx, members);
  const synthetic = mixRows(
    members.map((m) => m.synthetic),
    weights,
    ctx.rows,
    ctx.seed,
  );
  // The members' own checks (sample_spread) stay: the worst of those the mixture draws on.
  const checks = worstChecks(members.filter((_, i) => weights[i] > 0));
  const evaluation = await judgeRows(ctx, synthetic, checks);
  const rank = evaluation ? standing(evaluation.verdict) : NOTHING_EVALUATED;
  const mixed = evaluation?.quality?.score ?? null;
  const wins = compareStandings(rank, best.standing) <= 0 && mixed !== null && mixed > quality(best);
  const summary = (q: number | null, s: typeof rank) => ({ quality: q, all_green: s.allGreen, failing: s.failing });
  const record: EnsembleRecord = {
    members: members.map((m, i) => ({ attempt: m.attempt, weight: Math.round(weights[i] * 1e6) / 1e6 })),
    composition: ctx.privacy
      ? 'each member was charged its epsilon when its attempt started: the mixture is covered by the run total, and its weights were chosen on public validation rows'
      : null,
    kept: wins,
    reason: wins
      ? `the mixture's quality ${fmt(mixed)} beat attempt ${best.attempt}'s ${fmt(quality(best))} by ${fmt(mixed! - quality(best))} at a standing no worse`
      : `attempt ${best.attempt} alone (quality ${fmt(quality(best))}) was not beaten: the mixture's quality ${fmt(mixed)}${compareStandings(rank, best.standing) > 0 ? ', and a worse standing' : ''}`,
    ensemble: summary(mixed, rank),
    best: { attempt: best.attempt, ...summary(quality(best) === -Infinity ? null : quality(best), best.standing) },
  };
  if (!wins) return { kept: best, record };
  return { kept: { ...best, synthetic, evaluation, standing: rank, sampleChecks: checks }, record };
}

/** Per check id, the member's check with the largest value. */
function worstChecks(members: readonly AttemptOutcome[]): SampleCheck[] {
  const worst = new Map<string, SampleCheck>();
  for (const m of members)
    for (const c of m.sampleChecks) if (!worst.has(c.id) || c.value > worst.get(c.id)!.value) worst.set(c.id, c);
  return [...worst.values()];
}

const quality = (o: AttemptOutcome): number => o.evaluation?.quality?.score ?? -Infinity;
const fmt = (x: number | null): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(2));

/**
 * Weights on a grid of the simplex (steps of 0.1 for two members, 0.25 for three), each judged by
 * the search's loss of a mixed sample of CHECKPOINT_ROWS rows on the utility checks and the
 * quality score (what a mixture can change; the privacy checks judge the chosen mixture); ties
 * keep the earlier grid point, which gives the better-ranked member more weight.
 */
async function chooseWeights(ctx: AttemptContext, members: readonly AttemptOutcome[]): Promise<number[]> {
  const rows = Math.min(CHECKPOINT_ROWS, ctx.rows);
  let best: { weights: number[]; loss: number } | null = null;
  for (const weights of simplexGrid(members.length, members.length === 2 ? 10 : 4)) {
    const sample = mixRows(
      members.map((m) => m.synthetic),
      weights,
      rows,
      ctx.seed,
    );
    const evaluation = await judgeUtility(ctx, sample);
    const loss = evaluation ? searchLoss(standing(evaluation.verdict), evaluation.quality?.score ?? null) : Infinity;
    if (!best || loss < best.loss) best = { weights, loss };
  }
  return best!.weights;
}

/** Every weight vector of `k` parts in steps of 1/`steps`, summing to 1 exactly, the first part largest first. */
export function simplexGrid(k: number, steps: number): number[][] {
  const parts = (k: number, total: number): number[][] =>
    k === 1
      ? [[total]]
      : Array.from({ length: total + 1 }, (_, i) => total - i).flatMap((first) =>
          parts(k - 1, total - first).map((rest) => [first, ...rest]),
        );
  return parts(k, steps).map((counts) => {
    const w = counts.map((c) => c / steps);
    w[k - 1] = 1 - w.slice(0, -1).reduce((s, x) => s + x, 0);
    return w;
  });
}

/**
 * `rows` rows from the tables in shares `weights` (largest remainders), each table's first rows
 * (every table is an iid sample of its model), shuffled with the seed. The tables share levels.
 */
export function mixRows(tables: readonly Table[], weights: readonly number[], rows: number, seed: number): Table {
  const exact = weights.map((w) => w * rows);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  const short = rows - counts.reduce((s, c) => s + c, 0);
  for (let j = 0; j < short; j++) counts[order[j].i]++;
  const parts = tables.map((t, i) =>
    takeRows(
      t,
      Array.from({ length: Math.min(counts[i], t.rowCount) }, (_, r) => r),
    ),
  );
  const joined = concatRows(parts);
  return takeRows(joined, permutation(joined.rowCount, createRng(seed ^ 0xe45e)));
}

function concatRows(parts: readonly Table[]): Table {
  for (const p of parts)
    p.columns.forEach((column, c) => {
      const first = parts[0].columns[c];
      if (
        column.kind === 'categorical' &&
        (first.kind !== 'categorical' || first.levels.join('\u0000') !== column.levels.join('\u0000'))
      )
        throw new Error(`ensemble members disagree on the levels of ${column.name}`);
    });
  const n = parts.reduce((s, p) => s + p.rowCount, 0);
  const columns = parts[0].columns.map((column, c): Column => {
    if (column.kind === 'categorical') {
      const codes = new Int32Array(n);
      let at = 0;
      for (const p of parts) {
        const col = p.columns[c] as typeof column;
        codes.set(col.codes, at);
        at += p.rowCount;
      }
      return { ...column, codes };
    }
    const values = new Float64Array(n);
    let at = 0;
    for (const p of parts) {
      values.set((p.columns[c] as typeof column).values, at);
      at += p.rowCount;
    }
    return { ...column, values };
  });
  return { rowCount: n, columns };
}
