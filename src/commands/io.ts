/** What a command may touch of the outside world, passed in so commands run in tests as in a shell. */
import type { Readable } from 'node:stream';
import { createStyle, wantsColor, type Style } from '../presentation/terminal/style.js';

export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface CommonOptions {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color: boolean;
  readonly seed: number;
  readonly debug?: boolean;
}

/** Messages for stderr: info and warnings (silenced by --quiet), styled for the terminal they go to. */
export class Console {
  readonly style: Style;
  readonly stdoutStyle: Style;
  constructor(
    private readonly io: Io,
    private readonly options: CommonOptions,
  ) {
    const env = io.env;
    this.style = createStyle(wantsColor({ isTTY: Boolean(io.stderr.isTTY), env, colorFlag: options.color }));
    this.stdoutStyle = createStyle(wantsColor({ isTTY: Boolean(io.stdout.isTTY), env, colorFlag: options.color }));
  }
  info(text: string): void {
    if (!this.options.quiet) this.io.stderr.write(`${text}\n`);
  }
  warn(text: string): void {
    if (!this.options.quiet) this.io.stderr.write(`${this.style.warn(`warning: ${text}`)}\n`);
  }
  /** Data for stdout: the only thing written there. */
  data(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
