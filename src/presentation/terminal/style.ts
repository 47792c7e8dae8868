/** Colour decisions in one place: on a TTY only, off with NO_COLOR, TERM=dumb or --no-color. */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Style {
  readonly chalk: ChalkInstance;
  readonly good: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

export interface ColorEnvironment {
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** false when --no-color was given. */
  readonly colorFlag: boolean;
}

export function wantsColor({ isTTY, env, colorFlag }: ColorEnvironment): boolean {
  if (!colorFlag || env.NO_COLOR !== undefined || env.TERM === 'dumb') return false;
  return isTTY || env.FORCE_COLOR !== undefined;
}

export function createStyle(color: boolean): Style {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  return { chalk, good: chalk.green, bad: chalk.red, warn: chalk.yellow, dim: chalk.dim, bold: chalk.bold };
}
