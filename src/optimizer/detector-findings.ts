/**
 * The detector's importances as evidence (evaluation.detection.importances): the columns that give
 * the synthetic rows away, and whether those columns are off on their own (then the fix is the
 * column's) or each matches and the rows are wrong together.
 */
import { failingColumns, percent } from './column-findings.js';
import type { Evidence } from './rule.js';
import type { Situation } from './situation.js';

/** Features named in a finding. */
export const TOP_FEATURES = 3;

export interface DetectorFinding {
  readonly evidence: Evidence;
  /** The top features whose columns fail their own KS or TVD. */
  readonly offOnTheirOwn: string[];
  /** Every top feature's column was measured and none fails on its own. */
  readonly eachMatches: boolean;
}

export function detectorFinding(situation: Situation): DetectorFinding | null {
  const top = situation.evidence.importances.slice(0, TOP_FEATURES);
  if (!top.length) return null;
  const failing = new Set([...failingColumns(situation, 'ks'), ...failingColumns(situation, 'tvd')].map((c) => c.name));
  const measured = new Set(situation.evidence.columns.filter((c) => c.value !== null).map((c) => c.name));
  const offOnTheirOwn = top.filter((t) => failing.has(t.feature)).map((t) => t.feature);
  const eachMatches = !offOnTheirOwn.length && top.every((t) => measured.has(t.feature));
  const named = top.map((t) => `${t.feature} (${percent(t.share)})`).join(', ');
  const tail = offOnTheirOwn.length
    ? `; ${offOnTheirOwn.join(', ')} ${offOnTheirOwn.length > 1 ? 'are off on their own' : 'is off on its own'} too`
    : eachMatches
      ? ', each of which matches on its own'
      : '';
  return {
    evidence: {
      source: 'evaluation.detection.importances',
      finding: `the detector tells the rows apart mostly by ${named}${tail}`,
    },
    offOnTheirOwn,
    eachMatches,
  };
}
