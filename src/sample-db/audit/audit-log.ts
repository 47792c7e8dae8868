/**
 * The tamper-evident audit log: one JSON line per query, appended and flushed to disk, each
 * carrying the hash of the previous line's hash and its own content, so editing, removing or
 * reordering a line breaks the chain from there on. The hash is SHA-256, or HMAC-SHA256 with a
 * secret key (then rewriting the chain needs the key). With an anchor (beside the ledger), the
 * line count and last hash are recorded in the same locked step as each append, so a log cut
 * short is detected too. Lines are written from structured fields; whoever builds them redacts
 * free text (a driver's error message) that could hold a password.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdir, realpath, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { inputError, optionError } from '../../core/errors.js';
import { matchingAnchors, readAnchors, writeAnchors, type AnchorRecord } from './audit-anchor.js';
import { openAuditFile, readHead, readText, splitLines } from './audit-file.js';
import { canonicalJson } from './canonical-json.js';
import { inodeLockPath, withLockFile } from '../files/file-lock.js';

export const GENESIS_HASH = '0'.repeat(64);
/** The `mac` field of a keyed line. */
export const KEYED_MAC = 'hmac-sha256';

export type AuditEntry = Record<string, unknown>;

/** How much of the log's start and end is read to find its first and last lines. */
const HEAD_BYTES = 1 << 20;
const TAIL_BYTES = 1 << 20;

export interface AuditOptions {
  /** HMAC key: the chain is keyed when given. */
  readonly key?: Buffer;
  /** The anchor file, and the lock that guards it: the anchor moves in the same step as each line. */
  readonly anchor?: { readonly file: string; readonly withLock: <T>(action: () => Promise<T>) => Promise<T> };
}

export function entryHash(previous: string, entry: AuditEntry, key?: Buffer): string {
  const text = `${previous}\n${canonicalJson(entry)}`;
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(text).digest('hex');
}

function parseLine(line: string, path: string, lineNumber: number): AuditEntry & { hash: string } {
  try {
    const parsed = JSON.parse(line) as AuditEntry | null;
    if (parsed && typeof parsed === 'object' && typeof parsed.hash === 'string')
      return parsed as AuditEntry & { hash: string };
  } catch {
    // reported below
  }
  throw inputError(
    `${path}: ${lineNumber > 0 ? `line ${lineNumber}` : 'the last line'} of the audit log is unreadable`,
    `Run gesalp sample-db --verify-audit ${path} to find the damage.`,
  );
}

const hashOf = (line: string, path: string, lineNumber: number): string => parseLine(line, path, lineNumber).hash;

/** Appends the entry after the last line's hash, once the log's end and keying check out. Returns the line's hash. */
export async function appendAudit(path: string, entry: AuditEntry, options: AuditOptions = {}): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  // Locked by what the log is (device and inode), so two names of one log (hard links) take one lock.
  const append = async () => {
    const handle = await openAuditFile(path, true);
    const { dev, ino } = await handle.stat();
    await handle.close();
    return withLockFile(inodeLockPath(dev, ino), () => appendLocked(path, entry, options, { dev, ino }));
  };
  return options.anchor ? options.anchor.withLock(append) : append();
}

/** Where the log stands: what the next line chains to, how many lines it has, its first line's hash. */
interface LogEnd {
  readonly previous: string;
  readonly lines: number;
  readonly firstHash?: string;
}

/**
 * Checks, before any work and again under the locks at each append, that a line may be added:
 * the log's own lines say whether it is keyed (the anchor alone could be deleted), a keyed log's
 * last line verifies with the key given, and with an anchor the log still holds, line for line,
 * every anchored part that is its own, found by its path or by its first line (so a log renamed,
 * copied or cut and saved under another name is found too). Lines past an anchored end (written
 * with another ledger) are allowed; a log cut before it, or rewritten, is not.
 */
async function checkEnd(handle: FileHandle, path: string, real: string, options: AuditOptions): Promise<LogEnd> {
  const head = splitLines(await readHead(handle, HEAD_BYTES))[0];
  const tail = splitLines(await readText(handle, TAIL_BYTES));
  const last = tail.length ? parseLine(tail[tail.length - 1], path, 0) : undefined;
  const first = head !== undefined && last ? parseLine(head, path, 1) : undefined;
  if (first && last) checkKeying(path, first, last, options.key);
  const anchors = options.anchor ? await readAnchors(options.anchor.file) : undefined;
  if (!anchors) return { previous: last?.hash ?? GENESIS_HASH, lines: 0, firstHash: first?.hash };
  const records = matchingAnchors(anchors, real, first?.hash);
  const cut = (reason: string) =>
    inputError(
      `${path} does not match its anchor: ${reason}`,
      `Run gesalp sample-db --verify-audit ${path} and keep this copy as evidence; to start a new log, give another audit log path.`,
    );
  if (!last) {
    if (records.length) throw cut('its lines were removed since the last query');
    return { previous: GENESIS_HASH, lines: 0 };
  }
  const firstHash = first!.hash;
  // The usual case, without reading the whole log: one record, and the log ends where it says.
  const [only] = records;
  if (records.length === 1 && only.first_hash === firstHash && only.last_hash === last.hash)
    return { previous: last.hash, lines: only.lines, firstHash };
  const lines = splitLines(await readText(handle));
  for (const record of records) {
    if (record.first_hash !== firstHash) throw cut('its first line is not the one anchored: the log was rewritten');
    if (lines.length < record.lines)
      throw cut(`it has ${lines.length} lines where its anchor records ${record.lines}: lines were cut`);
    if (hashOf(lines[record.lines - 1], path, record.lines) !== record.last_hash)
      throw cut(`line ${record.lines} is not the one anchored: lines were cut or rewritten`);
  }
  return { previous: last.hash, lines: lines.length, firstHash };
}

/** The log's own lines decide whether it is keyed; a given key must be the one its last line was written with. */
function checkKeying(
  path: string,
  first: AuditEntry,
  last: AuditEntry & { hash: string },
  key: Buffer | undefined,
): void {
  const keyed = first.mac === KEYED_MAC;
  if ((last.mac === KEYED_MAC) !== keyed)
    throw inputError(
      `${path} mixes keyed and unkeyed lines: its chain cannot be verified`,
      `Run gesalp sample-db --verify-audit ${path} and keep it as evidence; give another audit log path.`,
    );
  if (keyed !== Boolean(key))
    throw optionError(
      'usage',
      'audit_key',
      keyed
        ? `${path} is a keyed audit log (HMAC): a line written without its key would break the chain`
        : `${path} is an unkeyed audit log: keyed lines cannot continue its chain`,
      keyed
        ? 'Give {audit_key} with the key the log was written with.'
        : 'Drop {audit_key}, or give a new {audit_log}.',
      ['audit_log'],
    );
  if (key) {
    const { hash, ...body } = last;
    if (entryHash(body.prev_hash as string, body, key) !== hash)
      throw optionError(
        'usage',
        'audit_key',
        `the audit key is not the one ${path} was written with (its last line does not verify)`,
        'Give {audit_key} with the key the log was written with.',
      );
  }
}

async function appendLocked(
  path: string,
  entry: AuditEntry,
  options: AuditOptions,
  locked: { readonly dev: number; readonly ino: number },
): Promise<string> {
  const handle = await openAuditFile(path, true);
  try {
    const now = await handle.stat();
    if (now.dev !== locked.dev || now.ino !== locked.ino)
      throw inputError(
        `${path} was replaced while gesalp locked it`,
        'Make sure nothing renames or replaces the audit log while gesalp runs, and run the query again.',
      );
    const real = await realpath(path);
    const end = await checkEnd(handle, path, real, options);
    const body = { ...entry, prev_hash: end.previous, ...(options.key ? { mac: KEYED_MAC } : {}) };
    const hash = entryHash(end.previous, body, options.key);
    await handle.write(`${canonicalJson({ ...body, hash })}\n`);
    await handle.sync();
    if (options.anchor) {
      const anchors = await readAnchors(options.anchor.file);
      const firstHash = end.firstHash ?? hash;
      // This log's records (a renamed or copied log's too) become one, under its path now.
      const kept = Object.entries(anchors.logs).filter(([p, r]) => p !== real && r.first_hash !== firstHash);
      const record: AnchorRecord = {
        lines: end.lines + 1,
        last_hash: hash,
        first_hash: firstHash,
        keyed: Boolean(options.key),
      };
      await writeAnchors(options.anchor.file, { version: 1, logs: { ...Object.fromEntries(kept), [real]: record } });
    }
    return hash;
  } finally {
    await handle.close();
  }
}

/** The check appendAudit makes, made before any work: a query that could not log its lines is refused up front. */
export async function checkAuditAppendable(path: string, options: AuditOptions): Promise<void> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    // A new log, unless its anchor says there was one here: checked as an empty log.
    if (options.anchor && matchingAnchors(await readAnchors(options.anchor.file), resolve(path), undefined).length)
      throw inputError(
        `${path} does not match its anchor: the log was deleted since the last query`,
        `Keep any copy as evidence; to start a new log, give another audit log path.`,
      );
    return;
  }
  const handle = await openAuditFile(path, false);
  try {
    // Under the locks an append takes: read unlocked, a log another run appends to meanwhile could
    // show its first line missing and its last present (seen: 1 run in about 15 of 10 in parallel).
    const { dev, ino } = await handle.stat();
    const check = () => withLockFile(inodeLockPath(dev, ino), () => checkEnd(handle, path, real, options));
    await (options.anchor ? options.anchor.withLock(check) : check());
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
  const records = anchors ? matchingAnchors(anchors, real, hashes[0]) : [];
  if (!records.length) return { ok: true, lines: lines.length, anchored: false };
  if (records.some((r) => r.keyed) && !options.key)
    return fail(1, 'the anchor records a keyed log: verifying it needs the key', { needsKey: true, anchored: true });
  for (const record of records) {
    if (hashes.length && record.first_hash !== hashes[0])
      return fail(1, 'the first line is not the one anchored for this log: the log was rewritten', { anchored: true });
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
  }
  const record = records.reduce((a, b) => (b.lines > a.lines ? b : a));
  const after = lines.length - record.lines;
  return { ok: true, lines: lines.length, anchored: true, ...(after > 0 ? { linesAfterAnchor: after } : {}) };
}
