/** gesalp generate INPUT: train a synthesizer, sample rows, write them and the report, show the metrics (SPEC section 2). */
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import { Command, Option } from 'commander';
import { BACKENDS, type BackendChoice } from '../core/backend-names.js';
import { usageError } from '../core/errors.js';
import type { CommonOptions, Io } from './io.js';
import { fractionOption, integerOption, listOption, repeatOption, withCommonOptions } from './options.js';

export interface GenerateOptions extends CommonOptions {
  readonly method: string;
  readonly out?: string;
  readonly rows?: number;
  readonly nIter?: string;
  readonly batchSize?: string;
  readonly lr?: string;
  readonly param?: string[];
  readonly discrete?: string[];
  readonly continuous?: string[];
  readonly holdoutFraction: number;
  readonly backend: BackendChoice;
  readonly threads: number;
  readonly report?: string;
  readonly saveModel?: string;
  readonly loadModel?: string;
  readonly threshold?: string[];
  readonly config?: string;
  readonly maxAttempts?: number;
  readonly optimize?: boolean;
  readonly grid?: string[];
  readonly earlyStop: boolean;
}

export function generateCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('generate')
    .description('train a synthesizer on a table and write synthetic rows, the report and the metrics')
    .argument('<input>', 'real rows (CSV, Parquet or Arrow; - for stdin)')
    .option('-m, --method <name>', 'ddpm | ctgan | tvae | auto', 'ddpm')
    .option('-o, --out <file>', 'synthetic rows as CSV (default <input stem>.synthetic.csv; - for stdout)')
    .option('-n, --rows <n>', 'rows to sample (default: as many as the input)', integerOption(1))
    .option('--n-iter <n>', 'training epochs (full passes over the training rows)')
    .option('--batch-size <n>', 'rows per gradient step')
    .option('--lr <x>', 'learning rate')
    .option('--param <key=value>', 'any other declared hyperparameter (repeatable)', repeatOption)
    .option('--discrete <columns>', 'treat these columns as categorical (comma-separated)', listOption)
    .option('--continuous <columns>', 'treat these integer-coded columns as numeric (comma-separated)', listOption)
    .option(
      '--holdout-fraction <f>',
      'rows kept out of training for the privacy metrics (0: train on all)',
      fractionOption(0, 1),
      0.2,
    )
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(['auto', ...BACKENDS]).default('auto'))
    .option(
      '--threads <n>',
      'training threads (part of what makes a seeded run repeatable)',
      integerOption(1),
      defaultThreads(),
    )
    .option('--report <file>', 'the JSON report (default <out stem>.report.json)')
    .option('--save-model <dir>', 'save the trained model to this folder')
    .option('--load-model <dir>', 'sample from a saved model instead of training')
    .option('--threshold <name=value>', 'override a threshold (repeatable; =off drops the check)', repeatOption)
    .option('--config <file>', 'JSON file with {"thresholds": {...}}')
    .option(
      '--max-attempts <n>',
      'retry with optimizer-adjusted parameters until all green; the best attempt is kept (default 1)',
      integerOption(1),
    )
    .option('--optimize', `optimizer-suggested parameters and up to 8 attempts`)
    .option('--grid <name=v1,v2>', 'run every combination of these values (repeatable) and keep the best', repeatOption)
    .option(
      '--no-early-stop',
      'train every epoch, without checkpoints that stop once all checks are green and no longer improving',
    );
  return withCommonOptions(command).action(async (input: string, options: GenerateOptions) => {
    const { runGenerate } = await import('./generate-run.js');
    setExit(await runGenerate(io, input, options));
  });
}

/** Data-parallel shards split each batch; past 4 the slices get too thin to pay for the exchange. */
const defaultThreads = (): number => Math.min(availableParallelism(), 4);

/** Default file names: <input stem>.synthetic.csv and <out stem>.report.json, in the working directory. */
export function outputPaths(
  io: Io,
  input: string,
  options: Pick<GenerateOptions, 'out' | 'report'>,
): { out: string; report: string } {
  const stem = (path: string) => basename(path, extname(path));
  const inputStem = input === '-' ? 'stdin' : stem(input);
  const out = options.out ?? join(io.cwd, `${inputStem}.synthetic.csv`);
  const reportStem =
    out === '-' ? join(io.cwd, inputStem) : join(out.slice(0, out.length - basename(out).length) || '.', stem(out));
  return { out, report: options.report ?? `${reportStem}.report.json` };
}

export function checkGenerateOptions(options: GenerateOptions): void {
  if (options.json && options.out === '-')
    throw usageError(
      '--json and --out - both want stdout',
      'Write the rows to a file with --out FILE, or drop --json.',
    );
  if (options.loadModel && options.saveModel)
    throw usageError('--load-model and --save-model together would save the same model again', 'Use one of them.');
  if (options.grid?.length && options.maxAttempts !== undefined)
    throw usageError(
      '--grid and --max-attempts both choose the attempts',
      'Use --grid to try fixed combinations, or --max-attempts to let the optimizer adjust.',
    );
  if (options.loadModel && (options.maxAttempts ?? 1) > 1)
    throw usageError(
      '--max-attempts retrains; a loaded model is not retrained',
      'Drop --load-model to retry with new parameters, or drop --max-attempts.',
    );
  if (options.loadModel && (options.grid?.length || options.optimize))
    throw usageError(
      '--grid and --optimize train new models; they do not apply to --load-model',
      'Drop --load-model, or drop --grid/--optimize.',
    );
  if (options.loadModel && (options.nIter || options.batchSize || options.lr || options.param?.length)) {
    throw usageError(
      'training parameters have no effect with --load-model',
      'Drop --n-iter/--batch-size/--lr/--param, or train a new model without --load-model.',
    );
  }
}
