/**
 * CTGAN/TVAE with high KS: more epochs; at the cap, larger batches, then TabDDPM. A flat KS curve
 * or a column shape the encoding loses is explained earlier (flat-curve, column-shapes): here the
 * curve, where the report has one, was still improving.
 */
import { worstColumns } from '../column-findings.js';
import { curveEvidence } from '../curve-evidence.js';
import { scale, step, switchMethod } from '../levers.js';
import type { Evidence } from '../rule.js';
import type { Situation } from '../situation.js';
import { describeAll, failureRule, nonEmpty, only, rowsText } from './failure-rule.js';
import { ofFamily } from '../rule.js';

const read = (situation: Situation): Evidence[] =>
  [...curveEvidence(situation, ['ks_mean']), worstColumns(situation, 'ks')].filter((e): e is Evidence => e !== null);

export const ctganKs = failureRule({
  id: 'ctgan-ks',
  group: 'method',
  methods: ofFamily('gan', 'vae'),
  covers: ['HIGH_KS'],
  when: 'CTGAN/TVAE, KS over its threshold',
  match: (_s, failures) => nonEmpty(only(failures, ['HIGH_KS'])),
  cause: (failures, s) =>
    [
      `${describeAll(failures)}: the generator has not matched the columns' distributions in ${s.params.n_iter} epochs on ${rowsText(s)}`,
      ...read(s).map((e) => e.finding),
    ].join('; '),
  evidence: (_failures, s) => read(s),
  levers: [step('n_iter', 100), scale('batch_size', 2), switchMethod('ddpm')],
});
