/**
 * Every rule, in the order they are consulted: DP first (its direction overrides the rest), then
 * whole-run combinations, the rules that read the report's evidence (column shapes, the checkpoint
 * curve: they come before the rules that would train longer), the per-method rules, the remaining
 * combinations, speed. A failure explained by an earlier rule is not explained again, and a
 * parameter changed by an earlier rule is not changed again.
 */
import type { Rule } from '../rule.js';
import { aimDpUtility } from './aim-dp-utility.js';
import { aimExactUtility } from './aim-exact-utility.js';
import { aimMemorisation } from './aim-memorisation.js';
import { allFail } from './all-fail.js';
import { columnShapes } from './column-shapes.js';
import { ctganCorr } from './ctgan-corr.js';
import { ctganKs } from './ctgan-ks.js';
import { ctganMia } from './ctgan-mia.js';
import { dpHighMia } from './dp-high-mia.js';
import { dpLowUtility } from './dp-low-utility.js';
import { dpUtilityToAim } from './dp-utility-to-aim.js';
import { flatCurve } from './flat-curve.js';
import { jointStructure } from './joint-structure.js';
import { manyCategoriesRule } from './many-categories.js';
import { memorisation } from './memorisation.js';
import { noMethod } from './no-method.js';
import { onlyPrivacy } from './only-privacy.js';
import { onlyUtility } from './only-utility.js';
import { tabddpmCorr } from './tabddpm-corr.js';
import { tabddpmKsCritical } from './tabddpm-ks-critical.js';
import { tabddpmKsExtreme } from './tabddpm-ks-extreme.js';
import { tabddpmKsNear } from './tabddpm-ks-near.js';
import { tabddpmKsSevere } from './tabddpm-ks-severe.js';
import { tabddpmKsStandard } from './tabddpm-ks-standard.js';
import { tooSlow } from './too-slow.js';

export const RULES: readonly Rule[] = Object.freeze([
  dpHighMia,
  dpUtilityToAim,
  aimDpUtility,
  dpLowUtility,
  noMethod,
  allFail,
  columnShapes,
  manyCategoriesRule,
  flatCurve,
  tabddpmKsNear,
  tabddpmKsStandard,
  tabddpmKsSevere,
  tabddpmKsCritical,
  tabddpmKsExtreme,
  tabddpmCorr,
  ctganKs,
  ctganCorr,
  ctganMia,
  aimExactUtility,
  aimMemorisation,
  jointStructure,
  onlyUtility,
  onlyPrivacy,
  memorisation,
  tooSlow,
]);
