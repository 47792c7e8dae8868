/** Every evaluated check fails: CTGAN/TVAE switch to TabDDPM at 400-500 epochs; TabDDPM trains much longer. */
import type { FailureType } from '../failures.js';
import { evaluatedChecks, FAILURE_OF } from '../failures.js';
import { describeTrends } from '../checkpoint-curve.js';
import { flatCurves, trendEvidence } from '../curve-evidence.js';
import { moreEpochs, pullFirst, scale, switchMethod } from '../levers.js';
import { type Rule, TRAINED_BY_EPOCHS } from '../rule.js';
import { describeAll, metricsEvidence, severityOf } from './failure-rule.js';

const ID = 'all-fail';
const ALL = Object.values(FAILURE_OF) as FailureType[];
/** n_iter after a switch to TabDDPM: the middle of the SPEC's 400-500. */
const SWITCH_N_ITER = 450;
/** TabDDPM: more epochs, unless the checkpoint curve is flat; then a wider denoiser. */
const DDPM_LEVERS = [moreEpochs(200, { atLeast: 500 }), scale('width', 2, { upTo: 512 })];

export const allFail: Rule = {
  id: ID,
  group: 'combination',
  methods: TRAINED_BY_EPOCHS,
  covers: ALL,
  summary: `every evaluated check fails (at least 3): CTGAN/TVAE switch to ddpm with n_iter ${SWITCH_N_ITER}; ddpm: ${DDPM_LEVERS.map((l) => l.label).join('; then ')}`,
  applies(situation, failures) {
    const evaluated = evaluatedChecks(situation.verdict);
    if (evaluated.length < 3 || failures.length < evaluated.length) return null;
    const flat = flatCurves(situation) ?? [];
    return {
      rule: ID,
      failures: failures.map((f) => f.type),
      severity: severityOf(failures),
      cause: `every check fails (${describeAll(failures)}): the model learnt neither the distribution nor anything safe to release${flat.length ? `; ${describeTrends(flat)}` : ''}`,
      evidence: [metricsEvidence(failures), ...flat.map(trendEvidence)],
      advice: ['check the preprocessing: numeric columns read as numbers, identifiers and free text left out'],
    };
  },
  suggest(_diagnosis, situation, taken) {
    if (situation.method !== 'ddpm') {
      const switched = pullFirst([switchMethod('ddpm')], situation, taken, ID, 'every check fails');
      if (switched.length)
        return [
          ...switched,
          {
            param: 'n_iter',
            from: situation.params.n_iter ?? null,
            to: SWITCH_N_ITER,
            rule: ID,
            reason: 'TabDDPM at 400-500 epochs',
          },
        ];
    }
    return pullFirst(DDPM_LEVERS, situation, taken, ID, 'every check fails');
  },
};
