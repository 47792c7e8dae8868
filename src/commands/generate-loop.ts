/**
 * The retry loop and the grid (SPEC section 5): run attempts, let the optimizer diagnose each
 * failing one and adjust the parameters, keep the best (all green first, then fewest failing
 * checks, then the smallest total excess).
 */
import type { Thresholds } from '../core/config.js';
import type { MethodId } from '../models/registry.js';
import type { ResolvedParam } from '../models/resolve-params.js';
import type { TabDdpm } from '../models/tabddpm/model.js';
import type { Diagnosis, Change } from '../optimizer/rule.js';
import { compareAttempts } from '../optimizer/rank-attempts.js';
import { runAttempt, type AttemptContext, type AttemptOutcome } from './generate-attempt.js';
import { nextAttempt, situationOf } from './generate-retry.js';

export type AttemptPlan =
  | { readonly kind: 'retry'; readonly maxAttempts: number }
  | { readonly kind: 'grid'; readonly points: Record<string, number>[] };

export interface LoopHooks {
  readonly info: (text: string) => void;
  readonly attemptDone: (outcome: AttemptOutcome) => void;
}

export interface LoopSetup {
  readonly method: MethodId;
  readonly thresholds: Thresholds;
  readonly columns: number;
  readonly params: ResolvedParam[];
  readonly loaded?: TabDdpm;
}

/** What the report keeps of an attempt once its model and rows are gone. */
export interface AttemptSummary {
  readonly outcome: Omit<AttemptOutcome, 'model' | 'synthetic'>;
  readonly diagnoses: Diagnosis[];
}

export interface LoopResult {
  readonly kept: AttemptOutcome;
  readonly attempts: AttemptSummary[];
  readonly ending: string;
}

export async function runAttempts(
  ctx: AttemptContext,
  plan: AttemptPlan,
  setup: LoopSetup,
  hooks: LoopHooks,
): Promise<LoopResult> {
  const attempts: AttemptSummary[] = [];
  let kept: AttemptOutcome | undefined;
  let params = setup.params;
  let changes: Change[] = [];
  let ending = '';
  const total = plan.kind === 'grid' ? plan.points.length : plan.maxAttempts;
  for (let attempt = 1; attempt <= total; attempt++) {
    if (plan.kind === 'grid') params = withPoint(setup.params, plan.points[attempt - 1]);
    if (total > 1)
      hooks.info(
        `attempt ${attempt}/${total}: ${describe(params, plan.kind === 'grid' ? Object.keys(plan.points[0]) : changes.map((c) => c.param))}`,
      );
    const outcome = await runAttempt(ctx, attempt, params, changes, setup.loaded);
    hooks.attemptDone(outcome);
    const situation = situationOf(outcome, setup.method, setup.thresholds, ctx.train.rowCount, setup.columns);
    const next = nextAttempt(outcome, situation);
    attempts.push({ outcome: strip(outcome), diagnoses: next.analysis.diagnoses });
    if (!kept || compareAttempts(outcome, kept) < 0) {
      if (kept) release(kept);
      kept = outcome;
    } else release(outcome);
    if (ctx.stopTraining.aborted) {
      ending = 'stopped by Ctrl-C';
      break;
    }
    if (plan.kind === 'grid') continue;
    if (outcome.allGreen) {
      ending = attempt === 1 ? 'all green' : `all green at attempt ${attempt}`;
      break;
    }
    if (attempt === total) {
      ending = total > 1 ? `no attempt was all green in ${total}` : 'not all green';
      break;
    }
    if (!next.params) {
      ending = `no rule has a change left to try after attempt ${attempt}`;
      break;
    }
    for (const c of next.changes) hooks.info(`  ${c.rule}: ${c.param} ${c.from} -> ${c.to} (${c.reason})`);
    params = next.params;
    changes = next.changes;
  }
  if (plan.kind === 'grid' && !ending) ending = `grid of ${total} points: kept attempt ${kept!.attempt}`;
  return { kept: kept!, attempts, ending };
}

function withPoint(params: ResolvedParam[], point: Record<string, number>): ResolvedParam[] {
  return params.map((p) => (p.name in point ? { name: p.name, value: point[p.name], source: '--grid' } : p));
}

function describe(params: ResolvedParam[], highlight: string[]): string {
  const shown = params.filter((p) => p.name === 'n_iter' || p.name === 'batch_size' || highlight.includes(p.name));
  return shown.map((p) => `${p.name}=${p.value}`).join(' ');
}

function strip(outcome: AttemptOutcome): AttemptSummary['outcome'] {
  const { model: _model, synthetic: _synthetic, ...rest } = outcome;
  return rest;
}

/** Frees an attempt that is not kept: its model's tensors, its rows. */
function release(outcome: AttemptOutcome): void {
  outcome.model.dispose();
}
