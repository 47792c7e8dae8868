/** gesalp schema INPUT: drafts the table's metadata file for a person to review (SPEC section 9). */
import { Command } from 'commander';
import { loadInputs } from '../core/io/load-inputs.js';
import { draftMetadata } from '../core/schema/draft-metadata.js';
import { formatMetadata } from '../core/schema/metadata.js';
import { Console, type CommonOptions, type Io } from './io.js';
import { listOption, withCommonOptions } from './options.js';
import { readingOptions, withDialectOptions } from './dialect-flags.js';

interface SchemaOptions extends CommonOptions {
  readonly out?: string;
  readonly discrete?: string[];
  readonly continuous?: string[];
}

export function schemaCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('schema')
    .description(
      "draft the table's metadata file (kinds, bounds, steps, categories, missingness) to review, then pass with --schema",
    )
    .argument('<input>', 'real rows (CSV, Parquet or Arrow; - for stdin)')
    .option('-o, --out <file>', 'the draft (default: stdout)')
    .option('--discrete <columns>', 'treat these columns as categorical (comma-separated)', listOption)
    .option('--continuous <columns>', 'treat these integer-coded columns as numeric (comma-separated)', listOption);
  withDialectOptions(command);
  return withCommonOptions(command).action(async (input: string, options: SchemaOptions) => {
    setExit(await runSchema(io, input, options));
  });
}

async function runSchema(io: Io, inputPath: string, options: SchemaOptions): Promise<number> {
  const console = new Console(io, options);
  const out = options.out && options.out !== '-' ? options.out : undefined;
  if (out) {
    const { checkOutputPaths } = await import('../core/io/output-guard.js');
    await checkOutputPaths([{ role: 'INPUT', path: inputPath }], [{ role: '--out', path: out }], io.cwd);
  }
  const source = inputPath === '-' ? { name: 'stdin', stream: io.stdin } : inputPath;
  const loaded = await loadInputs([source], {
    discrete: options.discrete,
    continuous: options.continuous,
    ...readingOptions(options, console),
  });
  const text = formatMetadata(draftMetadata(loaded.tables[0], loaded.schema));
  if (out) {
    const { writeFileAtomic } = await import('../core/io/atomic-write.js');
    await writeFileAtomic(out, text);
    console.info(`wrote ${out}`);
  } else console.data(text);
  console.info(
    'this draft is read from the rows ("drafted_from_data": true): review every bound, category and the row count, remove what would single out a person, then delete that line to declare the rest public',
  );
  return 0;
}
