/**
 * The flag of each library option, for the command layer's words: the library names an option by
 * its snake_case key (`{total_epsilon}` in an error's texts), the CLI by its flag. Most flags are
 * the key in kebab-case; the exceptions are listed here, and only here.
 */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  /** generate: one `--param key=value` per parameter. */
  params: '--param',
  /** generate: `evaluate: false` is --no-eval, `id_detection: false` --no-id-detection, `early_stop: false` --no-early-stop. */
  evaluate: '--no-eval',
  id_detection: '--no-id-detection',
  early_stop: '--no-early-stop',
  /** generate, evaluate: one `--threshold name=value` per check; the config files are --config. */
  thresholds: '--threshold',
  config_files: '--config',
  /** sample-db: one `--domain column=a,b` per column; the timeout in ms; the key read from a file. */
  domains: '--domain',
  timeout_ms: '--timeout',
  audit_key: '--audit-key-file',
  /** sample-db: the password is never a flag's value, but read from a variable or a file. */
  password: '--password-env or --password-file',
};

/** The flag that gives `option` (a library option's snake_case key). */
export function flagOf(option: string): string {
  return EXCEPTIONS[option] ?? `--${option.replaceAll('_', '-')}`;
}
