/**
 * Rows whose method is not known (an evaluation report: evaluate judges rows, whoever made them).
 * No parameter can be changed without the method, so the failures are explained from the evidence
 * alone (the worst columns, the detector's columns) with advice that holds for any method.
 */
import { worstColumns } from '../column-findings.js';
import { detectorFinding } from '../detector-findings.js';
import { FAILURE_OF, type FailureType } from '../failures.js';
import { WITHOUT_METHOD, type Evidence, type Rule } from '../rule.js';
import { describeAll, metricsEvidence, severityOf } from './failure-rule.js';

const ID = 'no-method';

const ADVICE: Record<FailureType, string> = {
  HIGH_KS: "the numeric columns' distributions differ: start with the worst columns",
  HIGH_TVD: "the categorical columns' shares differ: start with the worst columns",
  HIGH_CORR_DELTA: "the columns' pairwise relationships differ from the real ones",
  HIGH_DETECTION: 'a classifier tells the synthetic rows apart: the columns it used most are the place to look',
  LOW_ML_EFFICACY: 'a model trained on the synthetic rows predicts the target worse than one trained on real rows',
  HIGH_MIA:
    'synthetic rows sit closer to training rows than to unseen ones: train with a privacy budget, or for fewer epochs',
  HIGH_DUP_RATE: 'synthetic rows copy training rows: train with a privacy budget, or for fewer epochs',
};

export const noMethod: Rule = {
  id: ID,
  group: 'combination',
  methods: WITHOUT_METHOD,
  covers: Object.values(FAILURE_OF),
  summary:
    "the rows' method is not known (an evaluation report): the failures explained from the evidence, with advice for any method and no parameter change; name the method for its rules",
  applies(situation, failures) {
    if (!failures.length) return null;
    const failed = (type: FailureType) => failures.some((f) => f.type === type);
    const evidence: Evidence[] = [
      metricsEvidence(failures),
      failed('HIGH_KS') ? worstColumns(situation, 'ks') : null,
      failed('HIGH_TVD') ? worstColumns(situation, 'tvd') : null,
      failed('HIGH_DETECTION') ? (detectorFinding(situation)?.evidence ?? null) : null,
    ].filter((e): e is Evidence => e !== null);
    return {
      rule: ID,
      failures: failures.map((f) => f.type),
      severity: severityOf(failures),
      cause: [
        `${describeAll(failures)}: the report names no method (it judges rows, whoever made them), so no parameter change is suggested`,
        ...evidence.slice(1).map((e) => e.finding),
      ].join('; '),
      evidence,
      advice: [
        ...new Set(failures.map((f) => ADVICE[f.type])),
        'name the method that made these rows (the method option) for its rules and parameter changes',
      ],
    };
  },
  suggest: () => [],
};
