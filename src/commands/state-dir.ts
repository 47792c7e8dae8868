import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where gesalp keeps the audit log and the budget ledger: $XDG_STATE_HOME/gesalp or ~/.local/state/gesalp. */
export function stateDir(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state'), 'gesalp');
}
