/**
 * Check thresholds, SPEC section 4. Precedence: --threshold flags, then --config FILE, then
 * gesalp.config.json in the working directory, then the defaults. A value "off" drops a check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unknownNameHint, usageError } from './errors.js';
import { METRIC_IDS } from './metrics/registry.js';
import type { MetricId } from './metrics/metric.js';

export type Thresholds = Partial<Record<MetricId, number>>;

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  ks_mean: 0.1,
  tvd_mean: 0.1,
  corr_delta: 0.1,
  dup_rate: 0.05,
  mia_auc: 0.6,
});

export const PROJECT_CONFIG_FILE = 'gesalp.config.json';

export interface ThresholdSources {
  /** name=value pairs from --threshold. */
  readonly flags?: readonly string[];
  /** --config FILE. */
  readonly configFile?: string;
  /** Where to look for gesalp.config.json. */
  readonly cwd: string;
}

type Overrides = Partial<Record<MetricId, number | 'off'>>;

export function resolveThresholds(sources: ThresholdSources): Thresholds {
  const layers: Overrides[] = [];
  const projectFile = join(sources.cwd, PROJECT_CONFIG_FILE);
  if (existsSync(projectFile)) layers.push(readConfigThresholds(projectFile));
  if (sources.configFile) layers.push(readConfigThresholds(sources.configFile));
  layers.push(parseThresholdFlags(sources.flags ?? []));
  const merged: Record<string, number | 'off'> = { ...DEFAULT_THRESHOLDS };
  for (const layer of layers) Object.assign(merged, layer);
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== 'off')) as Thresholds;
}

export function parseThresholdFlags(flags: readonly string[]): Overrides {
  const out: Overrides = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0)
      throw usageError(
        `--threshold '${flag}' is not name=value`,
        'Write it as e.g. --threshold ks_mean=0.08 (or =off to drop a check).',
      );
    out[checkName(flag.slice(0, eq).trim(), '--threshold')] = thresholdValue(flag.slice(eq + 1).trim(), flag);
  }
  return out;
}

function readConfigThresholds(path: string): Overrides {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw usageError(
      `cannot read config ${path}: ${(error as Error).message.split('\n')[0]}`,
      'Give a JSON file such as {"thresholds": {"ks_mean": 0.08}}.',
    );
  }
  const thresholds = (parsed as { thresholds?: unknown })?.thresholds;
  if (thresholds === undefined) return {};
  if (typeof thresholds !== 'object' || thresholds === null || Array.isArray(thresholds)) {
    throw usageError(`${path}: "thresholds" must be an object`, 'Write it as {"thresholds": {"ks_mean": 0.08}}.');
  }
  const out: Overrides = {};
  for (const [name, value] of Object.entries(thresholds))
    out[checkName(name, path)] = thresholdValue(String(value), `${name} in ${path}`);
  return out;
}

function checkName(name: string, where: string): MetricId {
  if (!(METRIC_IDS as string[]).includes(name))
    throw usageError(`${where}: unknown metric '${name}'`, unknownNameHint(name, METRIC_IDS));
  return name as MetricId;
}

function thresholdValue(text: string, where: string): number | 'off' {
  if (text === 'off') return 'off';
  const value = Number(text);
  if (text === '' || !Number.isFinite(value))
    throw usageError(`${where}: '${text}' is not a number`, 'Give a threshold such as 0.1, or off to drop the check.');
  return value;
}
