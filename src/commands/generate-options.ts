/** The generate command's options: declared, checked, and turned into the request's parameters and plan. */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { BackendChoice } from '../core/backend-names.js';
import { inputError, usageError } from '../core/errors.js';
import { REGISTRY } from '../models/registry.js';
import type { CommonOptions, Io } from './io.js';
import { integerOption } from './options.js';
import type { PrivacyFlags } from './privacy-flags.js';

export interface GenerateOptions extends CommonOptions, PrivacyFlags {
  readonly method: string;
  readonly out?: string;
  readonly rows?: number;
  readonly nIter?: string;
  readonly batchSize?: string;
  readonly lr?: string;
  readonly param?: string[];
  readonly discrete?: string[];
  readonly continuous?: string[];
  /** Undefined with --init-from when not given: the saved model's split's fraction is kept. */
  readonly holdoutFraction?: number;
  readonly backend: BackendChoice;
  /** A count, or 'auto': each attempt's training picks its count from a short timed trial. */
  readonly threads: number | 'auto';
  readonly report?: string;
  readonly saveModel?: string;
  readonly loadModel?: string;
  /** --init-from: a saved model folder to fine-tune. */
  readonly initFrom?: string;
  readonly threshold?: string[];
  readonly config?: string;
  readonly maxAttempts?: number;
  readonly optimize?: boolean;
  readonly grid?: string[];
  readonly search?: 'rules' | 'bayes';
  readonly timeBudget?: number;
  /** An objective's name, or name=weight items. */
  readonly prefer?: string;
  readonly previous?: string[];
  readonly ensemble?: number;
  readonly parallelAttempts?: number;
  readonly earlyStop: boolean;
  /** False with --no-eval: sampling from a saved model computes no metrics. */
  readonly eval: boolean;
  readonly excelSafe?: boolean;
  /** A file, or true for the default name beside the JSON report. */
  readonly html?: string | true;
  readonly heatmapColumns?: number;
  readonly target?: string;
  /** column=value items, one column (--condition). */
  readonly condition?: string[];
  /** The table's metadata file (--schema). */
  readonly schema?: string;
  /** --keep-id: identifier columns written with fresh values. */
  readonly keepId?: string[];
  /** False with --no-id-detection. */
  readonly idDetection: boolean;
  readonly validationFraction?: number;
  /** --all-green: a failing check is exit 4 (SPEC section 2's one exit rule). */
  readonly allGreen?: boolean;
}

/** Parameters with a flag of their own; every other one goes through --param. */
export const DEDICATED = { n_iter: '--n-iter', batch_size: '--batch-size', lr: '--lr' } as const;
export type Dedicated = keyof typeof DEDICATED;

/** Attempts the optimizer may use with --optimize (the seeds' "optimized run"). */
export const OPTIMIZE_ATTEMPTS = 8;

/** --threads: a count, or auto. */
export function threadsOption(text: string): number | 'auto' {
  return text.trim() === 'auto' ? 'auto' : integerOption(1)(text);
}

/** --threads, at most the machine's cores (more would only allocate shards that wait); auto chooses below them. */
export function capThreads(requested: number | 'auto', warn: (text: string) => void): number | 'auto' {
  if (requested === 'auto') return requested;
  const threads = Math.min(requested, availableParallelism());
  if (threads < requested) warn(`--threads ${requested}: this machine has ${threads} cores; training on ${threads}`);
  return threads;
}

/** --help text from the declared spaces, so the docs cannot drift from the code. */
export function paramHelp(name: Dedicated): string {
  const having = REGISTRY.methods.filter((m) => Object.hasOwn(m.space, name));
  const ranges = having.map((m) => `${m.id} ${m.space[name].low}..${m.space[name].high}`);
  const without = REGISTRY.methods.filter((m) => !having.includes(m)).map((m) => m.id);
  return `${having[0].space[name].help} (${ranges.join(', ')}${without.length ? `; not ${without.join(', ')}` : ''})`;
}

export const otherParams = (): string =>
  REGISTRY.methods
    .map(
      (m) =>
        `${m.id}: ${Object.keys(m.space)
          .filter((n) => !(n in DEDICATED))
          .join(', ')}`,
    )
    .join('; ');

/** Where generate writes: the rows, the report, its page, and under DP the private report and its page. */
export interface OutputPaths {
  readonly out: string;
  readonly report: string;
  readonly html?: string;
  readonly privateReport?: string;
  readonly privateHtml?: string;
}

/**
 * Default file names: <input stem>.synthetic.csv, <out stem>.report.json, (--html alone)
 * <out stem>.report.html, and under DP (--private-report alone) <out stem>.private-report.json,
 * with its page beside it when --html asks for pages.
 */
export function outputPaths(
  io: Io,
  input: string,
  options: Pick<GenerateOptions, 'out' | 'report' | 'html' | 'privateReport'>,
): OutputPaths {
  const stem = (path: string) => basename(path, extname(path));
  const inputStem = input === '-' ? 'stdin' : stem(input);
  const out = options.out ?? join(io.cwd, `${inputStem}.synthetic.csv`);
  const reportStem =
    out === '-' ? join(io.cwd, inputStem) : join(out.slice(0, out.length - basename(out).length) || '.', stem(out));
  const html = options.html === true ? `${reportStem}.report.html` : options.html;
  const privateReport = options.privateReport === true ? `${reportStem}.private-report.json` : options.privateReport;
  const privateHtml = privateReport && html ? `${stem(privateReport)}.html` : undefined;
  return {
    out,
    report: options.report ?? `${reportStem}.report.json`,
    ...(html ? { html } : {}),
    ...(privateReport ? { privateReport } : {}),
    ...(privateHtml
      ? {
          privateHtml: join(
            privateReport!.slice(0, privateReport!.length - basename(privateReport!).length) || '.',
            privateHtml,
          ),
        }
      : {}),
  };
}

export function checkGenerateOptions(options: GenerateOptions): void {
  const refuse = (message: string, hint: string) => {
    throw usageError(message, hint);
  };
  if (options.validationFraction !== undefined && options.validationFraction > 0) {
    if (options.epsilon !== undefined)
      refuse(
        '--validation-fraction applies outside DP: under DP only public rows may judge (--public-validation)',
        'Drop --validation-fraction, or give --public-validation FILE.',
      );
    if ((options.holdoutFraction ?? 0) + options.validationFraction >= 1)
      refuse(
        `--holdout-fraction ${options.holdoutFraction} and --validation-fraction ${options.validationFraction} leave no rows to train on`,
        'Give fractions that add up to less than 1 (the defaults are 0.2 and 0.1).',
      );
  }
  if (options.json && options.out === '-')
    refuse('--json and --out - both want stdout', 'Write the rows to a file with --out FILE, or drop --json.');
  if (options.loadModel && options.saveModel)
    refuse('--load-model and --save-model together would save the same model again', 'Use one of them.');
  // Checked before training: a DP run refused only when saving would have spent its budget for nothing.
  if (options.saveModel !== undefined) checkModelFolder(options.saveModel);
  if (options.grid?.length && options.maxAttempts !== undefined)
    refuse(
      '--grid and --max-attempts both choose the attempts',
      'Use --grid to try fixed combinations, or --max-attempts to let the optimizer adjust.',
    );
  if (options.grid?.length && options.optimize)
    refuse(
      '--grid and --optimize both choose the attempts',
      'Use --grid to try fixed combinations, or --optimize to let the optimizer adjust.',
    );
  // A parameter set both by a flag and by --grid: the grid would silently win.
  const nameOf = (item: string) => item.split('=')[0].trim();
  const dedicated = { n_iter: options.nIter, batch_size: options.batchSize, lr: options.lr };
  const set = new Map<string, string>((options.param ?? []).map((p) => [nameOf(p), '--param']));
  for (const [name, flag] of Object.entries(DEDICATED))
    if (dedicated[name as Dedicated] !== undefined) set.set(name, flag);
  for (const name of (options.grid ?? []).map(nameOf)) {
    const flag = set.get(name);
    if (flag) refuse(`${flag} and --grid both set ${name}`, `Drop ${name} from ${flag} or from --grid.`);
  }
  if (options.loadModel && (options.maxAttempts ?? 1) > 1)
    refuse(
      '--max-attempts retrains; a loaded model is not retrained',
      'Drop --load-model to retry with new parameters, or drop --max-attempts.',
    );
  if (options.loadModel && (options.grid?.length || options.optimize))
    refuse(
      '--grid and --optimize train new models; they do not apply to --load-model',
      'Drop --load-model, or drop --grid/--optimize.',
    );
  if (!options.eval && !options.loadModel)
    refuse(
      '--no-eval applies to --load-model: a training run judges what it trained',
      'Add --load-model DIR to sample from a saved model without metrics, or drop --no-eval.',
    );
  if (!options.eval && options.allGreen) refuse('--no-eval leaves --all-green nothing to check', 'Drop one of them.');
  // Before any budget is spent: under DP nothing but public rows may judge, so without them the gate has nothing to pass.
  if (options.epsilon !== undefined && !options.publicValidation && options.allGreen)
    refuse(
      '--all-green under --epsilon needs --public-validation: under DP only public rows may judge the synthetic ones',
      'Give public rows with the same columns as --public-validation FILE, or drop --all-green (the private report, outside the guarantee, gates nothing).',
    );
  // A saved model takes only the parameters that change sampling (the library names them).
  const sampling = new Set(REGISTRY.methods.flatMap((m) => m.samplingParams ?? []));
  const trainingParams = (options.param ?? []).filter((item) => !sampling.has(item.split('=')[0].trim()));
  if (options.loadModel && (options.nIter || options.batchSize || options.lr || trainingParams.length))
    refuse(
      'training parameters have no effect with --load-model',
      `Drop --n-iter/--batch-size/--lr and the --param items that train (a saved model takes only ${[...sampling].join(', ')}), or train a new model without --load-model.`,
    );
}

/** --save-model names a folder: empty, or a path that exists and is not a folder, is refused before any work. */
function checkModelFolder(dir: string): void {
  if (dir.trim() === '')
    throw usageError('--save-model is empty', 'Name the folder to save the model into, e.g. --save-model model/.');
  const info = statSync(dir, { throwIfNoEntry: false });
  if (info && !info.isDirectory())
    throw inputError(
      `--save-model ${dir} exists and is not a folder`,
      'Name a new folder, or an existing one written by --save-model.',
    );
}
