/**
 * generate --engine duckdb once its flags are checked (file-engine-flags.ts): one call,
 * generateFromFile, then the report, its HTML page and the verdict written and shown as the
 * in-memory path does (generate-output.ts, finish).
 */
import { resolve } from 'node:path';
import { generateFromFile } from '../api/generate-from-file.js';
import { usageError } from '../core/errors.js';
import { REGISTRY } from '../models/registry.js';
import type { DialectFlags } from './dialect-flags.js';
import type { FileEngineFlags } from './file-engine-flags.js';
import { runFlags } from './generate-flags.js';
import { loadLibrary } from './generate-library.js';
import { checkGenerateOptions, outputPaths, type GenerateOptions } from './generate-options.js';
import { finish, stdoutRows } from './generate-output.js';
import { checkHtmlPath } from './html-report.js';
import type { Io } from './io.js';
import { readMetadata } from './metadata-flags.js';

export async function runFileGenerate(
  io: Io,
  input: string,
  options: GenerateOptions & FileEngineFlags & DialectFlags,
  seedGiven: boolean,
): Promise<number> {
  if (options.method !== 'aim' && options.method !== 'auto')
    throw usageError(
      `--method ${options.method} trains on rows in memory; --engine duckdb fits aim on counts`,
      'Use --method aim, or drop --engine duckdb.',
    );
  if (input === '-') throw usageError('--engine duckdb reads a file, not stdin', 'Name the CSV or Parquet file.');
  checkGenerateOptions(options);
  checkHtmlPath(typeof options.html === 'string' ? options.html : undefined);
  const lib = await loadLibrary();
  const console = new lib.Console(io, options);
  const started = performance.now();
  const paths = outputPaths(io, input, options);
  const configs = lib.configFiles({ configFile: options.config, cwd: io.cwd });
  await lib.checkOutputPaths(
    [
      { role: 'INPUT', path: resolve(io.cwd, input) },
      ...configs.map((path) => ({ role: path === options.config ? '--config' : 'the config file', path })),
      ...(options.schema ? [{ role: '--schema', path: options.schema }] : []),
      ...(options.publicBounds ? [{ role: '--public-bounds', path: options.publicBounds }] : []),
    ],
    [
      ...(paths.out === '-' ? [] : [{ role: '--out', path: paths.out }]),
      { role: '--report', path: paths.report },
      ...(paths.html ? [{ role: '--html', path: paths.html }] : []),
      ...(paths.privateReport ? [{ role: '--private-report', path: paths.privateReport }] : []),
      ...(paths.privateHtml ? [{ role: 'the private HTML report', path: paths.privateHtml }] : []),
    ],
    io.cwd,
  );
  const config = lib.loadThresholdConfig({ flags: options.threshold, configFile: options.config, cwd: io.cwd });
  for (const file of config.files) console.info(`config: thresholds from ${file}`);
  const privateRun = options.epsilon !== undefined;
  const metadata = readMetadata(options, privateRun, io.cwd)?.value;
  const params = Object.fromEntries(
    runFlags(options, REGISTRY.get('aim').space, 'aim').overrides.map((p) => [
      p.name,
      { value: p.value, source: p.source },
    ]),
  );
  console.info('engine: duckdb (out of core; aim fitted on counts over the training side of the split)');
  const interrupt = new AbortController();
  const onInterrupt = () => {
    console.warn('stopping; nothing will be written');
    interrupt.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const result = await generateFromFile(
      resolve(io.cwd, input),
      {
        method: options.method,
        params,
        rows: options.rows,
        epsilon: options.epsilon,
        delta: options.delta,
        metadata,
        seed: seedGiven ? options.seed : undefined,
        holdout_fraction: options.holdoutFraction,
        privacy_sample: options.privacySample,
        memory_limit: options.memoryLimit,
        ...(paths.out !== '-' ? { out: resolve(io.cwd, paths.out) } : {}),
        output_path: paths.out,
        excel_safe: options.excelSafe,
        thresholds: config.thresholds,
        config_files: config.files,
        target: options.target,
        heatmap_columns: options.heatmapColumns,
        id_detection: options.idDetection,
        private_report: options.privateReport !== undefined,
        dialect: {
          delimiter: options.delimiter,
          quote: options.quote,
          decimal: options.decimal,
          encoding: options.encoding,
        },
      },
      {
        signal: interrupt.signal,
        rows: stdoutRows(io),
        info: (text) => console.info(text),
        warn: (text) => console.warn(text),
      },
    );
    const { split, output, evaluation_sample: sample } = result.report;
    if (split.train_rows !== null && split.holdout_rows !== null)
      console.info(
        `split: ${lib.formatCount(split.train_rows)} training rows, ${lib.formatCount(split.holdout_rows)} holdout rows (key ${split.seed}, fraction ${split.fraction})`,
      );
    if (output.chunk_rows)
      console.info(
        `sampled and wrote ${lib.formatCount(output.rows)} rows, ${lib.formatCount(output.chunk_rows)} at a time`,
      );
    if (sample)
      console.info(
        `metrics on seeded samples: ${lib.formatCount(sample.train_rows)} training and ${lib.formatCount(sample.holdout_rows)} holdout rows against the first ${lib.formatCount(output.evaluated_rows ?? output.rows)} synthetic rows`,
      );
    return await finish(io, console, options, paths, result, { lib, started });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
