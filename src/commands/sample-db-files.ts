/** sample-db's files around a query: the outputs checked, the ledger's lock, the row sink written whole or not at all, and --verify-audit. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GesalpError, usageError } from '../core/errors.js';
import { openAtomicFile } from '../core/io/atomic-write.js';
import { anchorPathFor } from '../sample-db/audit/audit-anchor.js';
import { readAuditKey } from '../sample-db/audit/audit-key.js';
import { verifyAudit } from '../sample-db/audit/audit-log.js';
import type { RowSink } from '../sample-db/sample-db.js';
import { inodeLockPath, lockPathFor } from '../sample-db/files/file-lock.js';
import { checkOutputPaths } from '../core/io/output-guard.js';
import type { Console, Io } from './io.js';

/** The ledger's lock file (keyed by the ledger's device and inode), once the ledger exists. */
export async function ledgerLock(ledger: string): Promise<{ role: string; path: string }[]> {
  const info = await stat(ledger).catch(() => undefined);
  return info ? [{ role: 'the ledger lock', path: inodeLockPath(info.dev, info.ino) }] : [];
}

/** Rows go to stdout, or to an exclusive temporary file renamed over -o FILE only when the whole sample is written. */
export async function rowSink(
  io: Io,
  out: string | undefined,
): Promise<{ sink: RowSink; finish: () => Promise<void>; abandon: () => Promise<void> }> {
  if (!out || out === '-')
    return {
      sink: { write: (text) => void io.stdout.write(text) },
      finish: async () => undefined,
      abandon: async () => undefined,
    };
  const file = await openAtomicFile(resolve(io.cwd, out), 0o600);
  return { sink: { write: (text) => file.write(text) }, finish: () => file.commit(), abandon: () => file.abort() };
}

export async function verify(
  console: Console,
  options: { readonly verifyAudit?: string; readonly auditKeyFile?: string; readonly json?: boolean },
  ledger: string,
): Promise<number> {
  const path = options.verifyAudit!;
  const key = options.auditKeyFile ? await readAuditKey(options.auditKeyFile) : undefined;
  const anchorFile = anchorPathFor(ledger);
  const result = await verifyAudit(path, { key, anchorFile });
  if (result.needsKey)
    throw usageError(`${path}: ${result.reason}`, 'Give the key the log was written with: --audit-key-file FILE.');
  if (options.json)
    console.data(
      JSON.stringify({
        ok: result.ok,
        lines: result.lines,
        keyed: Boolean(key),
        anchored: result.anchored,
        anchor_file: anchorFile,
        ...(result.badLine !== undefined ? { bad_line: result.badLine, reason: result.reason } : {}),
        ...(result.linesAfterAnchor !== undefined ? { lines_after_anchor: result.linesAfterAnchor } : {}),
      }),
    );
  if (!result.ok)
    throw new GesalpError(
      'input',
      `${path}: line ${result.badLine}: ${result.reason}`,
      'The log was altered after it was written: keep this copy as evidence and restore the original from backup.',
    );
  if (!result.anchored)
    console.warn(
      `${path} has no anchor in ${anchorFile}: lines cut from its end cannot be detected (give the --ledger it was written with)`,
    );
  if (result.linesAfterAnchor)
    console.warn(
      `${result.linesAfterAnchor} lines after the anchored end were written with another ledger, or by hand`,
    );
  if (!options.json)
    console.data(
      `${path}: ${result.lines} lines, ${key ? 'keyed (HMAC-SHA256) ' : ''}hash chain intact${result.anchored ? ', end matches its anchor' : ''}`,
    );
  return 0;
}

/** The files a run writes or reads, resolved once. */
export interface RunFiles {
  readonly ledger: string;
  readonly auditLog: string;
  readonly database: string | undefined;
}

/** The flags that name a file the run reads or writes. */
interface FileFlags {
  readonly passwordFile?: string;
  readonly sslCa?: string;
  readonly auditKeyFile?: string;
  readonly out?: string;
  readonly metadata?: string;
}

/** No output may be the database, the ledger, the audit log or another output (SPEC section 7). */
export async function checkOutputs(
  io: Io,
  options: FileFlags,
  { ledger, auditLog, database }: RunFiles,
): Promise<void> {
  await checkOutputPaths(
    [
      ...(database ? [{ role: '--connection', path: database }] : []),
      ...(options.passwordFile ? [{ role: '--password-file', path: options.passwordFile }] : []),
      ...(options.sslCa ? [{ role: '--ssl-ca', path: options.sslCa }] : []),
      ...(options.auditKeyFile ? [{ role: '--audit-key-file', path: options.auditKeyFile }] : []),
      // The ledger's lock and the audit anchor belong to the ledger: no output may be them.
      ...(await ledgerLock(ledger)),
      { role: 'the audit anchor lock', path: lockPathFor(anchorPathFor(ledger)) },
      { role: 'the audit anchor', path: anchorPathFor(ledger) },
    ],
    [
      { role: '--audit-log', path: auditLog },
      { role: '--ledger', path: ledger },
      ...(options.out ? [{ role: '-o', path: options.out }] : []),
      ...(options.metadata ? [{ role: '--metadata', path: options.metadata }] : []),
    ],
    io.cwd,
  );
}
