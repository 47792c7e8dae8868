/**
 * A child process's peak memory, measured by itself: give `--import PEAK_HOOK` before the script
 * and GESALP_TEST_PEAK=FILE in its environment, and at exit it writes its peak resident set
 * (getrusage's maxRSS, KiB) to FILE. Nothing is timed.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { BIN } from './cli.js';

export const PEAK_HOOK = `data:text/javascript,${encodeURIComponent(
  'import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(process.env.GESALP_TEST_PEAK,String(process.resourceUsage().maxRSS)))',
)}`;

/** The gesalp CLI run with `args` under the hook: its result and its peak resident set (KiB), read from `peakFile`. */
export function gesalpWithPeak(
  args: readonly string[],
  peakFile: string,
  options: { readonly cwd: string; readonly timeout: number; readonly env?: NodeJS.ProcessEnv },
): SpawnSyncReturns<string> & { readonly peak: number } {
  const result = spawnSync(process.execPath, ['--import', PEAK_HOOK, BIN, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    timeout: options.timeout,
    env: { ...process.env, ...options.env, GESALP_TEST_PEAK: peakFile },
  });
  return { ...result, peak: existsSync(peakFile) ? Number(readFileSync(peakFile, 'utf8')) : NaN };
}
