/** Every failure the user can act on is a GesalpError: a stable code, the exit code from SPEC section 2, and a hint. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  gate: 4,
  budget: 5,
  database: 6,
  /** The machine refused memory the run needs (an address-space limit, too little RAM): not a bug, and not the data's fault. */
  resource: 3,
  /** Stopped by the user (a second Ctrl-C): the shell's convention, 128 + SIGINT. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type ErrorKind = 'usage' | 'input' | 'gate' | 'budget' | 'database' | 'resource' | 'interrupted';

export class GesalpError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;
  /**
   * An error made by optionError names options as `{snake_case}` in its texts and the option at
   * fault in `option`: the library's words name them so, a command's by its flags (phrased).
   */
  constructor(
    readonly kind: ErrorKind,
    message: string,
    hint?: string,
    readonly option?: string,
    private readonly templates?: {
      readonly message: string;
      readonly hint?: string;
      readonly names: readonly string[];
    },
  ) {
    super(message);
    this.name = 'GesalpError';
    this.exitCode = EXIT[kind];
    this.hint = hint;
  }

  /** The message and hint with each option named as `name` gives it (the CLI: its flag). */
  phrased(name: (option: string) => string): { message: string; hint?: string } {
    if (!this.templates) return { message: this.message, hint: this.hint };
    const { message, hint, names } = this.templates;
    return {
      message: fillOptions(message, names, name),
      ...(hint === undefined ? {} : { hint: fillOptions(hint, names, name) }),
    };
  }
}

/** `{name}` for each of `names` (and nothing else: a column called {x} in the text stays as it is). */
const fillOptions = (text: string, names: readonly string[], name: (option: string) => string): string =>
  names.reduce((out, option) => out.replaceAll(`{${option}}`, name(option)), text);

/**
 * An error about `option` of a library call: its texts say `{option}`, and `{other}` for each of
 * `mentions`, where they name options.
 */
export function optionError(
  kind: ErrorKind,
  option: string,
  message: string,
  hint?: string,
  mentions: readonly string[] = [],
): GesalpError {
  const names = [option, ...mentions];
  const plain = (text: string) => fillOptions(text, names, (o) => o);
  return new GesalpError(kind, plain(message), hint === undefined ? undefined : plain(hint), option, {
    message,
    hint,
    names,
  });
}

export const usageError = (message: string, hint?: string) => new GesalpError('usage', message, hint);

/** How V8 and WebAssembly say an allocation was refused (they throw RangeError, also across worker threads). */
const ALLOCATION_REFUSED =
  /Out of memory|Cannot allocate Wasm memory|Array buffer allocation failed|WebAssembly\.Memory\(\): could not allocate/i;

/** An allocation the machine refused, as the resource error it is (exit 3 with a hint), or undefined for anything else. */
export function asResourceError(error: unknown): GesalpError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  return ALLOCATION_REFUSED.test(message) ? resourceError(message) : undefined;
}

/** The machine refused memory (`detail` says what it refused). */
export function resourceError(detail: string): GesalpError {
  return optionError(
    'resource',
    'threads',
    `the machine refused memory this run needs (${detail})`,
    'Raise the memory or address-space limit (ulimit -v; WebAssembly reserves several GB of address space per instance), or make the run smaller: fewer {threads}, a smaller {batch_size}, fewer rows or columns.',
    ['batch_size'],
  );
}

export const inputError = (message: string, hint?: string) => new GesalpError('input', message, hint);

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The closest valid name, or undefined when nothing is reasonably close. */
export function closestName(name: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of valid) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** "Did you mean x?" text for an unknown name, listing the valid ones. */
export function unknownNameHint(name: string, valid: readonly string[]): string {
  const close = closestName(name, valid);
  return `${close ? `Did you mean '${close}'? ` : ''}Valid names: ${valid.join(', ')}.`;
}
