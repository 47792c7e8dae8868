/**
 * gesalp suggest: the parameters to use, each with its rule (SPEC section 2); and accountant mode,
 * epsilon for (sample rate, noise multiplier, steps, delta) or the noise multiplier for a target epsilon.
 */
import { Command } from 'commander';
import { usageError } from '../core/errors.js';
import { formatDuration } from '../core/text/duration.js';
import { renderParams } from '../presentation/terminal/params-table.js';
import { REGISTRY } from '../models/registry.js';
import type { SuggestResult } from '../api/suggest.js';
import { accountantAnswer, type AccountantQuery } from '../privacy/accountant-query.js';
import { Console, type CommonOptions, type Io } from './io.js';
import { fractionOption, integerOption, numberOption, positiveNumber, withCommonOptions } from './options.js';
import { readingOptions, withDialectOptions } from './dialect-flags.js';

interface SuggestOptions extends CommonOptions, AccountantQuery {
  readonly method?: string;
  readonly input?: string;
  readonly rows?: number;
  readonly cols?: number;
  readonly holdoutFraction: number;
  readonly previous?: string;
  readonly maxGradNorm: number;
}

export function suggestCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('suggest')
    .description(
      'print the hyperparameters to use, each with the rule behind it; or answer DP-SGD accounting questions',
    )
    .option(
      '-m, --method <name>',
      `${REGISTRY.ids.join(' | ')} (default: the --previous report's, else ${REGISTRY.ids[0]})`,
    )
    .option('--input <file>', 'the table to train on (its size and layout decide the defaults)')
    .option('--rows <n>', 'rows of the table, instead of --input', integerOption(1))
    .option('--cols <n>', 'columns of the table, instead of --input', integerOption(1))
    .option('--holdout-fraction <f>', 'rows generate keeps out of training', fractionOption(0, 1), 0.2)
    .option('--previous <report>', "start from a previous run's parameters and apply the optimizer's changes")
    .option('--epsilon <e>', 'DP-SGD target epsilon: adds the noise multiplier that meets it', positiveNumber)
    .option(
      '--delta <d>',
      'DP delta (default: min(1e-5, 1/(10 x training rows)))',
      numberOption({ min: 0, max: 1, minOpen: true, maxOpen: true }),
    )
    .option('--max-grad-norm <c>', 'DP-SGD per-example clipping norm', positiveNumber, 1)
    .option('--sample-rate <q>', 'accountant mode: Poisson sampling rate', fractionOption(0, 1, true))
    .option(
      '--noise-multiplier <s>',
      'accountant mode: noise standard deviation over the clipping norm',
      positiveNumber,
    )
    .option('--steps <n>', 'accountant mode: training steps', integerOption(1));
  withDialectOptions(command);
  return withCommonOptions(command).action(async (options: SuggestOptions) => {
    setExit(await runSuggest(io, options));
  });
}

async function runSuggest(io: Io, options: SuggestOptions): Promise<number> {
  const console = new Console(io, options);
  if (options.sampleRate !== undefined || options.noiseMultiplier !== undefined || options.steps !== undefined) {
    const answer = unreachableAsUsage(() => accountantAnswer(options), options);
    console.data(
      options.json
        ? JSON.stringify(answer)
        : Object.entries(answer)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n'),
    );
    return 0;
  }
  const { suggest } = await import('../api/suggest.js');
  const { dialect } = readingOptions(options, console);
  const result = await suggest(
    {
      method: options.method,
      ...(options.input !== undefined ? { input: options.input } : {}),
      dialect,
      rows: options.rows,
      cols: options.cols,
      holdout_fraction: options.holdoutFraction,
      previous: options.previous,
      epsilon: options.epsilon,
      delta: options.delta,
      max_grad_norm: options.maxGradNorm,
    },
    { info: (text) => console.info(text), warn: (text) => console.warn(text) },
  );
  if (options.json) console.data(JSON.stringify(result, null, 2));
  else console.data(render(result));
  for (const w of result.warnings) console.warn(w);
  return 0;
}

/**
 * The accountant's bisection gives up (RangeError) when no noise multiplier meets the target:
 * epsilon too small for that many steps at that sample rate. That is a bad request, not a bug.
 */
function unreachableAsUsage<T>(answer: () => T, query: AccountantQuery): T {
  try {
    return answer();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw usageError(
      `no noise multiplier meets --epsilon ${query.epsilon} with --sample-rate ${query.sampleRate}, --steps ${query.steps} and --delta ${query.delta} (${error.message})`,
      'Raise --epsilon, or lower --sample-rate or --steps; DP-SGD cannot reach an epsilon that small with that many steps.',
    );
  }
}

function render(s: SuggestResult): string {
  const out = [
    `${s.method}: ${s.train_rows.toLocaleString('en-US')} training rows x ${s.columns} columns`,
    renderParams(s.parameters),
  ];
  for (const d of s.analysis?.diagnoses ?? []) out.push(`[${d.severity}] ${d.rule}: ${d.cause}`);
  // Changes that are no parameter of the table (enable DP-SGD, a method switch) are still the suggestion.
  for (const c of s.analysis?.changes ?? [])
    if (!s.parameters.some((p) => p.name === c.param))
      out.push(`suggested: ${c.param} ${c.from ?? '-'} -> ${c.to} (${c.rule}: ${c.reason})`);
  if (s.dp) {
    out.push(
      `DP-SGD for epsilon ${s.dp.epsilon}, delta ${s.dp.delta.toPrecision(3)}: noise multiplier ${s.dp.noise_multiplier.toFixed(4)}, sample rate ${s.dp.sample_rate.toPrecision(4)}, ${s.dp.steps.toLocaleString('en-US')} steps, clipping norm ${s.dp.max_grad_norm} (spends epsilon ${s.dp.epsilon_spent.toFixed(4)} at RDP order ${s.dp.rdp_order})`,
      'note: gesalp generate --epsilon finds the noise multiplier for its own steps and preprocessing share',
    );
  }
  if (s.estimate)
    out.push(
      `estimated training time: up to ${formatDuration(s.estimate.seconds)} (${s.estimate.basis}${s.width_guessed ? '; every column assumed numeric: give --input for the real layout' : ''})`,
    );
  return out.join('\n');
}
