/** Whether a number can be a value of a metric: finite and inside the range its definition declares. */
import { optionError, usageError } from '../core/errors.js';
import { parseFiniteNumber } from '../core/schema/values.js';
import type { MetricId } from './metric.js';
import { METRICS } from './registry.js';

export function describeRange(id: MetricId): string {
  const [low, high] = METRICS[id].range;
  return high === Infinity ? `${low} or more` : `${low} to ${high}`;
}

/** Why `value` cannot be a value of `id` (to follow "ks_mean -3 ..."), or undefined when it can. */
export function metricValueProblem(id: MetricId, value: number): string | undefined {
  const [low, high] = METRICS[id].range;
  if (!Number.isFinite(value)) return 'is not a finite number';
  if (value < low || value > high) return `is outside the range of ${id} (${describeRange(id)})`;
  return undefined;
}

/**
 * A metric value or threshold written as text. `where` says where: a config file, or (with
 * `option`, a library option's key) `{option}`, which the CLI words as its flag.
 */
export function parseMetricValue(id: MetricId, text: string, where: string, option?: string): number {
  const refuse = (message: string) => {
    const hint = `Give a number from ${describeRange(id)}.`;
    return option === undefined ? usageError(message, hint) : optionError('usage', option, message, hint);
  };
  const value = parseFiniteNumber(text);
  if (value === undefined) throw refuse(`${where} ${id}: '${text}' is not a number`);
  const problem = metricValueProblem(id, value);
  if (problem) throw refuse(`${where} ${id}: ${text} ${problem}`);
  return value;
}
