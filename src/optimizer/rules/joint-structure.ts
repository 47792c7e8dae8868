/**
 * A detector tells the synthetic rows apart, or a model trained on them predicts worse: the
 * columns may each look right, but the rows are wrong together. The joint structure is what a
 * generator learns last, so train longer first, then give the model more capacity. The detector's
 * importances say which columns give the rows away, and whether those are off on their own.
 */
import { curveEvidence } from '../curve-evidence.js';
import { detectorFinding } from '../detector-findings.js';
import type { Failure } from '../failures.js';
import { scale, step } from '../levers.js';
import type { Evidence } from '../rule.js';
import type { Situation } from '../situation.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { TRAINED_BY_EPOCHS } from '../rule.js';

/** The detector's columns and the metrics' checkpoint curves, where the report has them. */
const read = (failures: Failure[], situation: Situation): Evidence[] => [
  ...(failures.some((f) => f.type === 'HIGH_DETECTION') ? [detectorFinding(situation)?.evidence ?? []].flat() : []),
  ...curveEvidence(
    situation,
    failures.map((f) => f.metric),
  ),
];

/** The detector's top columns off on their own point at the columns; otherwise at how they go together. */
const because = (situation: Situation): string =>
  detectorFinding(situation)?.offOnTheirOwn.length
    ? 'the columns it uses most are off on their own: their fix comes first'
    : 'so the model has not learnt how the columns go together';

export const jointStructure = failureRule({
  id: 'joint-structure',
  group: 'method',
  methods: TRAINED_BY_EPOCHS,
  covers: ['HIGH_DETECTION', 'LOW_ML_EFFICACY'],
  when: 'detection_auc over, or ml_efficacy under, its threshold',
  match: (_s, failures) => nonEmpty(only(failures, ['HIGH_DETECTION', 'LOW_ML_EFFICACY'])),
  cause: (failures, s) =>
    [
      `${describeAll(failures)}: the synthetic rows are told apart from real ones (or predict worse)`,
      ...read(failures, s).map((e) => e.finding),
    ].join('; ') + `, ${because(s)}`,
  evidence: read,
  levers: [step('n_iter', 100), scale('width', 2, { upTo: 512 }), scale('embedding_dim', 2, { upTo: 512 })],
});
