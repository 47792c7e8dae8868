/** The gesalp program: one addCommand per command file; the only place errors become exit codes. */
import { Command, CommanderError } from 'commander';
import { asResourceError, EXIT, GesalpError } from './core/errors.js';
import { VERSION } from './core/version.js';
import { analyzeFailureCommand } from './commands/analyze-failure.js';
import { evaluateCommand } from './commands/evaluate.js';
import { flagOf } from './commands/flag-names.js';
import { generateCommand } from './commands/generate.js';
import { sampleDbCommand } from './commands/sample-db.js';
import { schemaCommand } from './commands/schema.js';
import { suggestCommand } from './commands/suggest.js';
import type { Io } from './commands/io.js';

const ISSUES_URL = 'https://github.com/gesalp/gesalp/issues';

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('gesalp')
    .description('synthetic tables that keep the statistics and leak none of the rows, with the metrics to prove it')
    .version(VERSION)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  program.addCommand(generateCommand(io, setExit));
  program.addCommand(evaluateCommand(io, setExit));
  program.addCommand(analyzeFailureCommand(io, setExit));
  program.addCommand(suggestCommand(io, setExit));
  program.addCommand(sampleDbCommand(io, setExit));
  program.addCommand(schemaCommand(io, setExit));
  for (const command of program.commands) {
    command
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  }
  return program;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const debug = argv.includes('--debug');
  try {
    const program = buildProgram(io, (c) => (code = c));
    if (argv.length <= 2) {
      program.outputHelp({ error: true });
      return EXIT.usage;
    }
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    return reportError(error, io, debug);
  }
}

function reportError(error: unknown, io: Io, debug: boolean): number {
  if (error instanceof CommanderError) {
    // commander has printed its message (with a suggestion by spelling); help and version end successfully.
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
      return EXIT.ok;
    const synonym = error.code === 'commander.unknownOption' ? synonymOf(error.message) : undefined;
    if (synonym) io.stderr.write(`  To fix this: gesalp calls it ${synonym}.\n`);
    return EXIT.usage;
  }
  if (error instanceof GesalpError) {
    // The library names an option by its snake_case name; here it is the flag that gives it.
    const { message, hint } = error.phrased(flagOf);
    io.stderr.write(`error: ${message}\n`);
    if (hint) io.stderr.write(`  To fix this: ${hint}\n`);
    if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const resource = asResourceError(error);
  if (resource) return reportError(resource, io, debug);
  const err = error as Error;
  io.stderr.write(`internal error: ${err?.message ?? String(error)}\n`);
  io.stderr.write(
    `This is a bug in gesalp ${VERSION}. Please report it at ${ISSUES_URL} with the command you ran${debug ? ' and this output' : ' and the output of the same command with --debug'}.\n`,
  );
  if (debug && err?.stack) io.stderr.write(`${err.stack}\n`);
  return EXIT.internal;
}

function processIo(): Io {
  // A closed pipe (gesalp ... | head) ends the output, not the program with a stack trace.
  // The command goes on, so that what it must finish (a privacy charge, an audit line) is finished.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode = EXIT.internal;
  });
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/** Flags other tools use for what gesalp names otherwise: spelling suggestions cannot find these. */
const SYNONYMS: Record<string, string> = {
  '--epochs': '--n-iter (training epochs)',
  '--iterations': '--n-iter (training epochs)',
  '--learning-rate': '--lr',
  '--num-rows': '-n, --rows',
  '--num-samples': '-n, --rows',
};

function synonymOf(message: string): string | undefined {
  const flag = /unknown option '([^'=]+)/.exec(message)?.[1];
  return flag ? SYNONYMS[flag] : undefined;
}
