/**
 * Every rule, in the order they are consulted: DP first (its direction overrides the rest), then
 * whole-run combinations, the per-method rules, the remaining combinations, speed. A failure
 * explained by an earlier rule is not explained again, and a parameter changed by an earlier
 * rule is not changed again.
 */
import type { Rule } from '../rule.js';
import { aimDpUtility } from './aim-dp-utility.js';
import { aimExactUtility } from './aim-exact-utility.js';
import { aimMemorisation } from './aim-memorisation.js';
import { allFail } from './all-fail.js';
import { ctganCorr } from './ctgan-corr.js';
import { ctganKs } from './ctgan-ks.js';
import { ctganMia } from './ctgan-mia.js';
import { dpHighMia } from './dp-high-mia.js';
import { dpLowUtility } from './dp-low-utility.js';
import { dpUtilityToAim } from './dp-utility-to-aim.js';
import { jointStructure } from './joint-structure.js';
import { memorisation } from './memorisation.js';
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
  allFail,
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
