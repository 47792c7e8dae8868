/**
 * The retry loop's acceptance run (issue 4): adult from a deliberately failing start,
 * `generate --method ddpm --n-iter 20 --max-attempts 4 --seed 1`. Commits what the command
 * printed (the attempts and the optimizer's changes) and each attempt's record from the report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetPath } from './datasets.js';

const CLI = fileURLToPath(new URL('../../bin/gesalp.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const ARGS = [
  'generate',
  datasetPath('adult.csv'),
  '--method',
  'ddpm',
  '--n-iter',
  '20',
  '--max-attempts',
  '4',
  '--seed',
  '1',
];

export async function benchOptimizer(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-'));
  try {
    const out = join(dir, 'adult.synthetic.csv');
    const started = performance.now();
    const run = spawnSync(process.execPath, [CLI, ...ARGS, '-o', out, '--no-color'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 0 && run.status !== 4) throw new Error(`gesalp exited ${run.status}: ${run.stderr}`);
    const report = JSON.parse(readFileSync(join(dir, 'adult.synthetic.report.json'), 'utf8')) as {
      attempts: unknown[];
      optimizer: unknown;
    };
    const command = `gesalp ${ARGS.join(' ').replace(datasetPath('adult.csv'), 'adult.csv')}`;
    const md = [
      '# Retry loop on adult from a failing start',
      '',
      `\`${command}\`, exit ${run.status}, ${Math.round(seconds)} s in all, ${new Date().toISOString()}.`,
      '',
      'What the command printed on stderr (stdout held the metrics table of the kept attempt):',
      '',
      '```',
      run.stderr.trim(),
      '```',
      '',
    ].join('\n');
    writeFileSync(join(RESULTS, 'optimizer-adult.md'), md);
    writeFileSync(
      join(RESULTS, 'optimizer-adult.json'),
      `${JSON.stringify({ command, exit: run.status, seconds, optimizer: report.optimizer, attempts: report.attempts }, null, 2)}\n`,
    );
    process.stdout.write(md);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
