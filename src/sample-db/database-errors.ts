/**
 * Driver errors as one line for the user (exit 6), with any password scrubbed and a hint that
 * fits the failure: a server that cannot be reached is not a permission problem.
 */
import { GesalpError, optionError } from '../core/errors.js';
import { describeTarget, scrub, type ConnectionSpec } from './connection.js';

const UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|Timeout acquiring a connection/i;
const AUTHENTICATION = /password authentication failed|Access denied for user|authentication/i;

function hintFor(message: string, spec: ConnectionSpec): string {
  if (UNREACHABLE.test(message))
    return `Check that the server is running and reachable at ${describeTarget(spec)} (host, port, firewall, {ssl}).`;
  if (AUTHENTICATION.test(message)) return 'Check the user name and the password source ({password}).';
  if (spec.client === 'sqlite' && /unable to open|SQLITE_CANTOPEN|does not exist/i.test(message))
    return 'Check the path of the SQLite file given to {connection}.';
  return "Check the connection settings, the password source and the user's read permission on the table.";
}

export async function databaseErrors<T>(action: () => Promise<T>, spec: ConnectionSpec): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof GesalpError) throw error;
    // knex prefixes the driver's message with the whole SQL text and " - ".
    const raw = String((error as Error)?.message ?? error).split('\n')[0];
    const message = scrub(
      /^(select|set|begin|commit)\b/i.test(raw) && raw.includes(' - ') ? raw.slice(raw.lastIndexOf(' - ') + 3) : raw,
      spec.password,
    );
    // The connection is what the user can change; the hint names the options as `{name}`.
    throw optionError('database', 'connection', `database error: ${message}`, hintFor(message, spec), [
      'ssl',
      'password',
    ]);
  }
}
