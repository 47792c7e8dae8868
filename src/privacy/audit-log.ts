/**
 * The tamper-evident audit log: one JSON line per query, appended and flushed to disk, each
 * carrying the hash of the previous line's hash and its own content, so editing, removing or
 * reordering a line breaks the chain from there on. The hash is SHA-256, or HMAC-SHA256 with a
 * secret key (then rewriting the chain needs the key). With an anchor (beside the ledger), the
 * line count and last hash are recorded in the same locked step as each append, so a log cut
 * short is detected too. Secrets are refused, never written.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GesalpError, inputError, usageError } from '../core/errors.js';
import { findAnchor, readAnchors, writeAnchors, type AnchorRecord } from './audit-anchor.js';
import { openAuditFile, readText, splitLines } from './audit-file.js';
import { canonicalJson } from './canonical-json.js';
import { withFileLock } from './file-lock.js';

export const GENESIS_HASH = '0'.repeat(64);
/** The `mac` field of a keyed line. */
export const KEYED_MAC = 'hmac-sha256';

export type AuditEntry = Record<string, unknown>;

export interface AuditOptions {
  /** Strings that must never appear in a line (the password). */
  readonly secrets?: readonly string[];
  /** HMAC key: the chain is keyed when given. */
  readonly key?: Buffer;
  /** The anchor file, and the path whose lock guards it (the ledger). */
  readonly anchor?: { readonly file: string; readonly lock: string };
}

export function entryHash(previous: string, entry: AuditEntry, key?: Buffer): string {
  const text = `${previous}\n${canonicalJson(entry)}`;
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(text).digest('hex');
}

function hashOf(line: string, path: string, lineNumber: number): string {
  try {
    const hash = (JSON.parse(line) as { hash?: unknown }).hash;
    if (typeof hash === 'string') return hash;
  } catch {
    // reported below
  }
  throw inputError(
    `${path}: line ${lineNumber} of the audit log is unreadable`,
    `Run gesalp sample-db --verify-audit ${path} to find the damage.`,
  );
}

/** Appends the entry after the last line's hash; refuses if any secret occurs in the line. Returns the line's hash. */
export async function appendAudit(path: string, entry: AuditEntry, options: AuditOptions = {}): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const append = () => withFileLock(path, () => appendLocked(path, entry, options));
  return options.anchor ? withFileLock(options.anchor.lock, append) : append();
}

async function appendLocked(path: string, entry: AuditEntry, options: AuditOptions): Promise<string> {
  const handle = await openAuditFile(path, true);
  try {
    const anchors = options.anchor ? await readAnchors(options.anchor.file) : undefined;
    const real = await realpath(path);
    const recorded = anchors?.logs[real];
    // With a record, the tail is enough, unless the log grew past it (lines appended with another
    // ledger): then the whole log is read to check that the anchored line is still in place.
    let lines = splitLines(await readText(handle, recorded ? 1 << 20 : undefined));
    let previous = lines.length ? hashOf(lines[lines.length - 1], path, lines.length) : GENESIS_HASH;
    let count = recorded ? recorded.lines : lines.length;
    if (recorded && recorded.last_hash !== previous) {
      lines = splitLines(await readText(handle));
      const anchored =
        lines.length >= recorded.lines ? hashOf(lines[recorded.lines - 1], path, recorded.lines) : undefined;
      if (anchored !== recorded.last_hash)
        throw inputError(
          `${path} does not match its anchor: lines were cut or rewritten since the last query`,
          `Run gesalp sample-db --verify-audit ${path} and keep this copy as evidence; to start a new log, give another --audit-log path.`,
        );
      count = lines.length;
      previous = hashOf(lines[lines.length - 1], path, lines.length);
    }
    const body = { ...entry, prev_hash: previous, ...(options.key ? { mac: KEYED_MAC } : {}) };
    const hash = entryHash(previous, body, options.key);
    const line = `${canonicalJson({ ...body, hash })}\n`;
    if ((options.secrets ?? []).some((s) => s.length > 0 && line.includes(s)))
      throw new GesalpError(
        'database',
        'refusing to write a secret into the audit log',
        'This is a bug: the entry should carry no credentials.',
      );
    await handle.write(line);
    await handle.sync();
    if (anchors && options.anchor) {
      const first = recorded ? recorded.first_hash : lines.length ? hashOf(lines[0], path, 1) : hash;
      const record: AnchorRecord = {
        lines: count + 1,
        last_hash: hash,
        first_hash: first,
        keyed: Boolean(options.key),
      };
      await writeAnchors(options.anchor.file, { version: 1, logs: { ...anchors.logs, [real]: record } });
    }
    return hash;
  } finally {
    await handle.close();
  }
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly lines: number;
  /** 1-based number of the first line that breaks the chain. */
  readonly badLine?: number;
  readonly reason?: string;
  /** The log has keyed lines and no key was given: nothing can be said about them. */
  readonly needsKey?: boolean;
  /** An anchor record was found for this log (by its path, or by its first line). */
  readonly anchored: boolean;
  /** Lines after the anchored end (appended with another ledger, or by hand). */
  readonly linesAfterAnchor?: number;
}

export interface VerifyOptions {
  readonly key?: Buffer;
  /** The anchor file to check the log's end against. */
  readonly anchorFile?: string;
}

export async function verifyAudit(path: string, options: VerifyOptions = {}): Promise<AuditVerification> {
  const handle = await openAuditFile(path, false);
  let lines: string[];
  let real: string;
  try {
    lines = splitLines(await readText(handle));
    real = await realpath(path);
  } finally {
    await handle.close();
  }
  const anchors = options.anchorFile ? await readAnchors(options.anchorFile) : undefined;
  const hashes: string[] = [];
  let previous = GENESIS_HASH;
  const fail = (line: number, reason: string, extra: Partial<AuditVerification> = {}): AuditVerification => ({
    ok: false,
    lines: lines.length,
    badLine: line,
    reason,
    anchored: false,
    ...extra,
  });
  for (let i = 0; i < lines.length; i++) {
    let parsed: AuditEntry;
    try {
      parsed = JSON.parse(lines[i]) as AuditEntry;
    } catch {
      return fail(i + 1, 'not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail(i + 1, 'not a JSON object');
    const { hash, ...body } = parsed;
    const keyed = body.mac === KEYED_MAC;
    if (keyed && !options.key)
      return fail(i + 1, 'the line is keyed (HMAC-SHA256): verifying it needs the key', { needsKey: true });
    if (!keyed && options.key)
      return fail(i + 1, 'the line is not keyed: anyone could have written it without the key');
    if (body.prev_hash !== previous)
      return fail(
        i + 1,
        'prev_hash does not match the hash of the line before (a line was removed, inserted or reordered)',
      );
    if (hash !== entryHash(previous, body, options.key))
      return fail(
        i + 1,
        `hash does not match the content (the line was edited${options.key ? ', or the key is not the one it was written with' : ''})`,
      );
    previous = hash as string;
    hashes.push(previous);
  }
  const record = anchors ? findAnchor(anchors, real, hashes[0]) : undefined;
  if (!record) return { ok: true, lines: lines.length, anchored: false };
  if (record.keyed && !options.key)
    return fail(1, 'the anchor records a keyed log: verifying it needs the key', { needsKey: true, anchored: true });
  if (lines.length < record.lines)
    return fail(
      lines.length + 1,
      `the log ends after line ${lines.length} but its anchor records ${record.lines} lines: the last lines were cut`,
      { anchored: true },
    );
  if (hashes[record.lines - 1] !== record.last_hash)
    return fail(record.lines, 'the hash of the last anchored line is not the one recorded: the log was rewritten', {
      anchored: true,
    });
  const after = lines.length - record.lines;
  return { ok: true, lines: lines.length, anchored: true, ...(after > 0 ? { linesAfterAnchor: after } : {}) };
}

/**
 * Refuses, before any work, to append to an anchored log with the other keying: lines without
 * the key in a keyed chain (or keyed lines in a plain one) would make an honest log look forged.
 */
export async function checkAuditKeying(path: string, anchorFile: string, key: Buffer | undefined): Promise<void> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return; // a new log: its first line sets the keying
  }
  const record = (await readAnchors(anchorFile)).logs[real];
  if (!record || record.keyed === Boolean(key)) return;
  throw usageError(
    record.keyed
      ? `${path} is a keyed audit log (HMAC): a line written without its key would break the chain`
      : `${path} is an unkeyed audit log: keyed lines cannot continue its chain`,
    record.keyed
      ? 'Give --audit-key-file with the key the log was written with.'
      : 'Drop --audit-key-file, or give a new --audit-log.',
  );
}
