/**
 * TabDDPM/TVAE with high TVD where the failing categorical columns have many categories (the
 * report's per_column and schema): their rare categories are seen too seldom for the model to learn
 * their shares. CTGAN's conditional vector trains on each category in turn (training by sampling),
 * which is what `--method auto` picks it for past many levels.
 */
import { categoriesFinding, failingColumns, manyCategories, MANY_CATEGORIES } from '../column-findings.js';
import { switchMethod } from '../levers.js';
import { ofFamily, type Evidence } from '../rule.js';
import type { Situation } from '../situation.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';

const SHOWN = 3;

const findings = (situation: Situation): Evidence[] =>
  failingColumns(situation, 'tvd').filter(manyCategories).slice(0, SHOWN).map(categoriesFinding);

export const manyCategoriesRule = failureRule({
  id: 'many-categories',
  group: 'method',
  methods: ofFamily('diffusion', 'vae'),
  covers: ['HIGH_TVD'],
  when: `TabDDPM/TVAE, TVD over its threshold, and a failing categorical column has more than ${MANY_CATEGORIES} categories (per_column, schema)`,
  match: (s, failures) => (findings(s).length ? nonEmpty(only(failures, ['HIGH_TVD'])) : null),
  cause: (failures, s) =>
    [
      describeAll(failures),
      ...findings(s).map((e) => e.finding),
      "the rare categories are seen too seldom in training to learn their shares; CTGAN's conditional vector trains on each category in turn",
    ].join('; '),
  evidence: (_failures, s) => findings(s),
  levers: [switchMethod('ctgan')],
  advice: [
    'or group the rarest categories into one before training; a column with nearly one category per row is an identifier, better left out',
  ],
});
