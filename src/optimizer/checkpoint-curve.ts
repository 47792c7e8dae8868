/**
 * A failing metric's curve over the early-stopping checkpoints: whether training was still
 * improving it. The second half of the checkpoints is compared with the first, best against best
 * (one checkpoint's sample is small and noisy); a gain under MIN_CURVE_GAIN is a flat curve, where
 * more epochs will not help (issue 28: TVAE's KS stayed at 0.13-0.17 from epoch 30 to 300).
 */
import { METRICS } from '../metrics/registry.js';
import type { CheckpointPoint } from './evidence.js';
import type { Failure } from './failures.js';

/** The second half's best must beat the first half's by this share to count as still improving. */
export const MIN_CURVE_GAIN = 0.1;

export interface CurveTrend {
  readonly metric: Failure['metric'];
  readonly fromEpoch: number;
  readonly toEpoch: number;
  readonly low: number;
  readonly high: number;
  readonly points: number;
  /** How much better the second half's best is than the first half's, as a share of it (negative: worse). */
  readonly gain: number;
  readonly flat: boolean;
}

/** Null with fewer than two checkpoints that measured the metric. */
export function curveTrend(checkpoints: readonly CheckpointPoint[], metric: Failure['metric']): CurveTrend | null {
  const points = checkpoints.flatMap((c) => {
    const value = c.metrics[metric];
    return value === null || value === undefined ? [] : [{ epoch: c.epoch, value }];
  });
  if (points.length < 2) return null;
  const sign = METRICS[metric].goal === 'maximize' ? -1 : 1;
  const best = (part: typeof points) => Math.min(...part.map((p) => sign * p.value));
  const half = Math.floor(points.length / 2);
  const [first, second] = [best(points.slice(0, half)), best(points.slice(half))];
  const gain = (first - second) / (Math.abs(first) || 1);
  const values = points.map((p) => p.value);
  return {
    metric,
    fromEpoch: points[0].epoch,
    toEpoch: points[points.length - 1].epoch,
    low: Math.min(...values),
    high: Math.max(...values),
    points: points.length,
    gain,
    flat: gain < MIN_CURVE_GAIN,
  };
}

/** "ks_mean stayed between 0.13 and 0.17 from epoch 30 to 300 (10 checkpoints)". */
export function describeTrend(t: CurveTrend): string {
  const span = `from epoch ${t.fromEpoch} to ${t.toEpoch} (${t.points} checkpoints)`;
  return t.flat
    ? `${t.metric} stayed between ${fixed(t.low)} and ${fixed(t.high)} ${span}, ${Math.round(100 * Math.max(t.gain, 0))} % better in the second half: more epochs will not help`
    : `${t.metric} was still improving ${span}, ${Math.round(100 * t.gain)} % better in the second half`;
}

/**
 * Several trends in one sentence where they share their checkpoints: "from epoch 30 to 300 (10
 * checkpoints): corr_delta stayed between 0.17 and 0.18 (2 % better in the second half), ...".
 */
export function describeTrends(trends: readonly CurveTrend[]): string {
  const [first] = trends;
  const shared = trends.every(
    (t) => t.fromEpoch === first.fromEpoch && t.toEpoch === first.toEpoch && t.points === first.points,
  );
  if (trends.length < 2 || !shared || !trends.every((t) => t.flat)) return trends.map(describeTrend).join('; ');
  const each = trends.map(
    (t) =>
      `${t.metric} stayed between ${fixed(t.low)} and ${fixed(t.high)} (${Math.round(100 * Math.max(t.gain, 0))} % better in the second half)`,
  );
  return `from epoch ${first.fromEpoch} to ${first.toEpoch} (${first.points} checkpoints): ${each.join(', ')}; more epochs will not help`;
}

const fixed = (x: number): string => (Math.abs(x) >= 0.1 ? x.toFixed(2) : x.toPrecision(2));
