/**
 * Per-column evidence (the report's per_column, schema and figures): which columns fail on their
 * own, and what in their shape a method's encoding loses: point masses (precipitation's exact
 * zeros), heavy skew, many categories. A column fails on its own where its statistic is over the
 * threshold its table mean must meet.
 */
import type { ColumnFacts, PointMassShare } from './evidence.js';
import type { Evidence } from './rule.js';
import type { Situation } from './situation.js';

/** A point mass is smeared when the synthetic share misses the real one by this much (and by half the column's KS). */
export const POINT_MASS_GAP = 0.05;
/** Skewness past this (either way) is a heavy tail. */
export const HEAVY_SKEW = 2;
/** A categorical column with more levels than this has a long tail of rare ones. */
export const MANY_CATEGORIES = 50;

const MEAN_OF = { ks: 'ks_mean', tvd: 'tvd_mean' } as const;

/** The columns over the mean's threshold, worst first. */
export function failingColumns(situation: Situation, statistic: 'ks' | 'tvd'): ColumnFacts[] {
  const threshold = situation.thresholds[MEAN_OF[statistic]];
  if (threshold === undefined) return [];
  return situation.evidence.columns
    .filter((c) => c.statistic === statistic && c.value !== null && c.value > threshold)
    .sort((a, b) => b.value! - a.value!);
}

/** The real point mass the synthetic rows miss most, when they miss it by enough to explain the column's KS. */
export function smearedMass(column: ColumnFacts): PointMassShare | null {
  const gap = (m: PointMassShare) => Math.abs(m.real - m.synthetic);
  const worst = column.pointMasses.filter((m) => m.real > POINT_MASS_GAP).sort((a, b) => gap(b) - gap(a))[0];
  return worst && gap(worst) >= Math.max(POINT_MASS_GAP, (column.value ?? 0) / 2) ? worst : null;
}

export const heavilySkewed = (column: ColumnFacts): boolean =>
  column.skewness !== null && Math.abs(column.skewness) >= HEAVY_SKEW;

export const manyCategories = (column: ColumnFacts): boolean => (column.categories ?? 0) > MANY_CATEGORIES;

const statisticText = (c: ColumnFacts): string => `${c.statistic === 'tvd' ? 'TVD' : 'KS'} ${fixed(c.value ?? NaN)}`;

/** "precipitation (KS 0.42): 57 % of real rows are exactly 0, against 15 % of synthetic rows". */
export function massFinding(column: ColumnFacts, mass: PointMassShare): Evidence {
  return {
    source: 'evaluation.figures.columns',
    finding: `${column.name} (${statisticText(column)}): ${percent(mass.real)} of real rows are exactly ${mass.value}, against ${percent(mass.synthetic)} of synthetic rows`,
  };
}

export const skewFinding = (column: ColumnFacts): Evidence => ({
  source: 'evaluation.figures.columns',
  finding: `${column.name} (${statisticText(column)}): skewness ${column.skewness!.toFixed(1)}, a long ${column.skewness! > 0 ? 'right' : 'left'} tail`,
});

export const categoriesFinding = (column: ColumnFacts): Evidence => ({
  source: 'evaluation.schema',
  finding: `${column.name} (${statisticText(column)}): ${column.categories} categories`,
});

/** The worst columns of a statistic, as evidence: "precipitation KS 0.42, temp_min KS 0.12". */
export function worstColumns(situation: Situation, statistic: 'ks' | 'tvd', count = 3): Evidence | null {
  const failing = failingColumns(situation, statistic);
  if (!failing.length) return null;
  const shown = failing.slice(0, count).map((c) => `${c.name} ${statisticText(c)}`);
  const more = failing.length > count ? ` and ${failing.length - count} more` : '';
  return {
    source: 'evaluation.per_column',
    finding: `columns over the ${situation.thresholds[MEAN_OF[statistic]]} the mean must meet: ${shown.join(', ')}${more}`,
  };
}

export const percent = (share: number): string => `${Math.round(100 * share)} %`;

const fixed = (x: number): string => (Math.abs(x) >= 0.1 ? x.toFixed(2) : x.toPrecision(2));
