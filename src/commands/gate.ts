/** The quality gate's one refusal both commands share: --all-green with nothing left to check. */
import { GesalpError } from '../core/errors.js';

export const nothingCheckedError = (): GesalpError =>
  new GesalpError(
    'gate',
    'NOTHING CHECKED: every check is turned off or has nothing to measure, so --all-green has nothing to pass',
    'Turn at least one check back on (drop its --threshold NAME=off), or drop --all-green.',
  );
