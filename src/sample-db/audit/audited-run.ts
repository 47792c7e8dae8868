/**
 * One database read as the audit log records it (SPEC section 7): the log is checked before any
 * work (a log that could not take the run's lines, cut or keyed otherwise, refuses it), every line
 * names the user, the target and the table, and a refusal or failure is logged before it is
 * thrown. sample-db and `generate --client` both read through it.
 */
import { GesalpError } from '../../core/errors.js';
import { describeTarget, scrub, type ConnectionSpec } from '../connection.js';
import { anchorPathFor, withAnchorLock } from './audit-anchor.js';
import { checkAuditLogPath } from './audit-file.js';
import { appendAudit, checkAuditAppendable, type AuditOptions } from './audit-log.js';

export interface AuditedRequest {
  readonly connection: ConnectionSpec;
  readonly table: string;
  readonly auditLog: string;
  readonly auditKey?: Buffer;
  readonly ledger: string;
  readonly user: string;
}

export interface AuditedRun {
  /** Appends a line; resolves to its hash. */
  readonly audit: (entry: Record<string, unknown>) => Promise<string>;
  /** The catalogue's name of the table, once known: the lines after name it so. */
  named(table: string): void;
  /** Fields a refusal or failure line carries from here on (sample-db's query fingerprint). */
  onFailure(fields: Record<string, unknown>): void;
}

export async function auditedRun<T>(request: AuditedRequest, body: (run: AuditedRun) => Promise<T>): Promise<T> {
  const auditOptions: AuditOptions = {
    key: request.auditKey,
    anchor: { file: anchorPathFor(request.ledger), withLock: (action) => withAnchorLock(request.ledger, action) },
  };
  await checkAuditLogPath(request.auditLog);
  await checkAuditAppendable(request.auditLog, auditOptions);
  let target: string = request.connection.client;
  let table = request.table;
  let failure: Record<string, unknown> = {};
  const audit = (entry: Record<string, unknown>) =>
    appendAudit(
      request.auditLog,
      { at: new Date().toISOString(), user: request.user, target, table, ...entry },
      auditOptions,
    );
  try {
    target = describeTarget(request.connection);
    return await body({ audit, named: (qualified) => (table = qualified), onFailure: (fields) => (failure = fields) });
  } catch (error) {
    const refused = error instanceof GesalpError && ['usage', 'input', 'budget'].includes(error.kind);
    await audit({
      event: refused ? 'refused' : 'failed',
      ...failure,
      exit_code: error instanceof GesalpError ? error.exitCode : 1,
      // The one free-text field: a driver's message could quote the password; it is redacted, never refused.
      reason: scrub(error instanceof Error ? error.message : String(error), request.connection.password),
    });
    throw error;
  }
}
