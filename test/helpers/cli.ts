import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectValidReport, FAILURE_ANALYSIS_SCHEMA } from './report-schema.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/gesalp.js', import.meta.url));

/** A short TabDDPM training that still learns the marginals: enough for schema, rate and gate checks, seconds long. */
export const TINY_TRAINING = [
  '--n-iter',
  '40',
  '--batch-size',
  '32',
  '--param',
  'ema=0.9',
  '--param',
  'num_timesteps=20',
  '--threads',
  '2',
];

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built binary (npm test builds first) the way a shell would, without a TTY. */
export function gesalp(
  args: string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): CliResult {
  const started = Date.now();
  const env = { ...process.env, ...options.env };
  delete env.FORCE_COLOR;
  Object.assign(env, options.env);
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    input: options.input,
    encoding: 'utf8',
    timeout: 120000,
  });
  const run = { code: result.status, stdout: result.stdout, stderr: result.stderr };
  checkReports(args, run, options.cwd ?? ROOT, started);
  return run;
}

/**
 * Holds every report a successful run (exit 0, or 4 with its report written) printed with --json or
 * wrote this run to the shipped JSON Schema, so each CLI test checks the report shape too.
 */
function checkReports(args: string[], run: CliResult, cwd: string, started: number): void {
  if (run.code !== 0 && run.code !== 4) return;
  const command = args[0];
  const printed = args.includes('--json') || (command === 'evaluate' && valueOf(args, '-o', '--out') === '-');
  if (printed && run.stdout.trim().startsWith('{')) {
    const doc = JSON.parse(run.stdout);
    expectValidReport(doc, `${command}'s --json`, command === 'analyze-failure' ? FAILURE_ANALYSIS_SCHEMA : undefined);
  }
  for (const file of writtenReports(args, command)) {
    const path = resolve(cwd, file);
    // Only a report this run wrote: a file left from before (or a hostile one a test planted) is not its output.
    if (!existsSync(path) || statSync(path).mtimeMs < started - 1000) continue;
    expectValidReport(JSON.parse(readFileSync(path, 'utf8')), path);
  }
}

/** The report files a command writes: generate's --report (default <out stem>.report.json), evaluate's -o. */
function writtenReports(args: string[], command: string): string[] {
  const out = valueOf(args, '-o', '--out');
  if (command === 'evaluate') return out && out !== '-' ? [out] : [];
  if (command !== 'generate') return [];
  const report = valueOf(args, '--report');
  if (report) return report === '-' ? [] : [report];
  return out && out !== '-' ? [`${out.replace(/\.[^./]*$/, '')}.report.json`] : [];
}

/** The value after the first of `flags` (or in --flag=value form). */
function valueOf(args: string[], ...flags: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (flags.includes(args[i])) return args[i + 1];
    const eq = flags.find((f) => f.startsWith('--') && args[i].startsWith(`${f}=`));
    if (eq) return args[i].slice(eq.length + 1);
  }
  return undefined;
}

// eslint-disable-next-line no-control-regex -- an escape sequence is what this looks for
export const ANSI = /\u001b\[/;
