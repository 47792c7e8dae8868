/**
 * Check thresholds, SPEC section 4. Precedence: --threshold flags, then --config FILE, then
 * gesalp.config.json in the working directory, then the defaults. A value "off" drops a check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unknownNameHint, usageError } from '../core/errors.js';
import { METRIC_IDS } from './registry.js';
import type { MetricId } from './metric.js';
import { parseMetricValue } from './metric-range.js';
import { parseNameValues } from '../core/name-value.js';

export type Thresholds = Partial<Record<MetricId, number>>;

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  ks_mean: 0.1,
  tvd_mean: 0.1,
  corr_delta: 0.1,
  dup_rate: 0.05,
  mia_auc: 0.6,
  // Applies only with a target column (evaluate --target): synthetic rows train a model at least 90 % as good.
  ml_efficacy: 0.9,
  // 0.5 is indistinguishable; above 0.75 a detector tells most synthetic rows apart (see README, Detection).
  detection_auc: 0.75,
});

export const PROJECT_CONFIG_FILE = 'gesalp.config.json';

/** The keys a config file may hold. */
const CONFIG_KEYS = ['thresholds'] as const;

export interface ThresholdSources {
  /** name=value pairs from --threshold. */
  readonly flags?: readonly string[];
  /** --config FILE. */
  readonly configFile?: string;
  /** Where to look for gesalp.config.json. */
  readonly cwd: string;
}

export interface ThresholdConfig {
  readonly thresholds: Thresholds;
  /** The config files read, in the order applied (gesalp.config.json first), so a run can say so. */
  readonly files: string[];
}

type Overrides = Partial<Record<MetricId, number | 'off'>>;

/** The config files that apply: gesalp.config.json in `cwd` when there is one, then --config. */
export function configFiles(sources: Pick<ThresholdSources, 'configFile' | 'cwd'>): string[] {
  const projectFile = join(sources.cwd, PROJECT_CONFIG_FILE);
  const files = existsSync(projectFile) ? [projectFile] : [];
  if (sources.configFile && !files.some((f) => resolve(f) === resolve(sources.cwd, sources.configFile!)))
    files.push(sources.configFile);
  return files;
}

export function loadThresholdConfig(sources: ThresholdSources): ThresholdConfig {
  const files = configFiles(sources);
  const layers: Overrides[] = [...files.map(readConfigThresholds), parseThresholdFlags(sources.flags ?? [])];
  const merged: Record<string, number | 'off'> = { ...DEFAULT_THRESHOLDS };
  for (const layer of layers) Object.assign(merged, layer);
  const thresholds = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== 'off')) as Thresholds;
  return { thresholds, files };
}

export const resolveThresholds = (sources: ThresholdSources): Thresholds => loadThresholdConfig(sources).thresholds;

/** `name=value` items of the thresholds option (the CLI's --threshold flags), named `{thresholds}` in errors. */
export function parseThresholdFlags(flags: readonly string[]): Overrides {
  const parsed = parseNameValues(flags, {
    where: '{thresholds}',
    option: 'thresholds',
    noun: 'metric',
    example: 'e.g. {thresholds} ks_mean=0.08 (or =off to drop a check)',
    names: METRIC_IDS,
    value: (name, text) => thresholdValue(name as MetricId, text, '{thresholds}', 'thresholds'),
  });
  return Object.fromEntries(parsed) as Overrides;
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
  if (!isPlainObject(parsed))
    throw usageError(
      `config ${path} is not a JSON object (it holds ${describeJson(parsed)})`,
      'Write it as {"thresholds": {"ks_mean": 0.08}}.',
    );
  for (const key of Object.keys(parsed)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key))
      throw usageError(`config ${path}: unknown key '${key}'`, unknownNameHint(key, CONFIG_KEYS));
  }
  const thresholds = parsed.thresholds;
  if (thresholds === undefined) return {};
  if (!isPlainObject(thresholds))
    throw usageError(`${path}: "thresholds" must be an object`, 'Write it as {"thresholds": {"ks_mean": 0.08}}.');
  const out: Overrides = {};
  for (const [name, value] of Object.entries(thresholds)) {
    if (!(METRIC_IDS as string[]).includes(name))
      throw usageError(`${path}: unknown metric '${name}' in "thresholds"`, unknownNameHint(name, METRIC_IDS));
    if (typeof value !== 'number' && value !== 'off')
      throw usageError(
        `${path}: threshold ${name} is ${describeJson(value)}, not a number or "off"`,
        `Write it as {"thresholds": {"${name}": 0.1}}, or "off" to drop the check.`,
      );
    out[name as MetricId] = thresholdValue(name as MetricId, String(value), path);
  }
  return out;
}

function thresholdValue(id: MetricId, text: string, where: string, option?: string): number | 'off' {
  return text === 'off' ? 'off' : parseMetricValue(id, text, where, option);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describeJson = (value: unknown): string =>
  Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
