/**
 * A failing utility metric whose checkpoint curve is flat (its second half no better than its
 * first by 10 %): more epochs will not help, so the rule moves capacity or the method, never n_iter.
 * CTGAN and TVAE switch to TabDDPM first (it passed every check on the benchmark tables where they
 * did not); TabDDPM gets a wider, then deeper denoiser.
 */
import { describeTrends } from '../checkpoint-curve.js';
import { worstColumns } from '../column-findings.js';
import { curveEvidence, trendsOf } from '../curve-evidence.js';
import { detectorFinding } from '../detector-findings.js';
import { UTILITY_FAILURES, type Failure } from '../failures.js';
import { scale, step, switchMethod } from '../levers.js';
import { TRAINED_BY_EPOCHS, type Evidence } from '../rule.js';
import type { Situation } from '../situation.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';

const metricsOf = (failures: Failure[]) => failures.map((f) => f.metric);

const flat = (situation: Situation, failures: Failure[]): Failure[] =>
  only(failures, UTILITY_FAILURES).filter((f) => trendsOf(situation, [f.metric]).some((t) => t.flat));

/** What else the report says about the flat metrics: the worst columns, the detector's columns. */
function beside(situation: Situation, failures: Failure[]): Evidence[] {
  const types = new Set(failures.map((f) => f.type));
  return [
    types.has('HIGH_KS') ? worstColumns(situation, 'ks') : null,
    types.has('HIGH_TVD') ? worstColumns(situation, 'tvd') : null,
    types.has('HIGH_DETECTION') ? (detectorFinding(situation)?.evidence ?? null) : null,
  ].filter((e): e is Evidence => e !== null);
}

export const flatCurve = failureRule({
  id: 'flat-curve',
  group: 'method',
  methods: TRAINED_BY_EPOCHS,
  covers: UTILITY_FAILURES,
  when: 'a failing utility metric stopped improving over the checkpoints (their second half less than 10 % better than their first), so more epochs will not help',
  match: (s, failures) => nonEmpty(flat(s, failures)),
  cause: (failures, s) =>
    [
      describeAll(failures),
      describeTrends(trendsOf(s, metricsOf(failures))),
      ...beside(s, failures).map((e) => e.finding),
      "the model's capacity or the method limits it, not its training time",
    ].join('; '),
  evidence: (failures, s) => [...curveEvidence(s, metricsOf(failures)), ...beside(s, failures)],
  levers: [
    switchMethod('ddpm'),
    scale('width', 2, { upTo: 512 }),
    step('layers', 1, { upTo: 4 }),
    scale('embedding_dim', 2, { upTo: 512 }),
  ],
});
