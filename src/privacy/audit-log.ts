/**
 * The tamper-evident audit log: one JSON line per query, appended and flushed to disk, each
 * carrying the SHA-256 of the previous line's hash and its own content, so editing, removing or
 * reordering a line breaks the chain from there on. Secrets are refused, never written.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GesalpError, inputError } from '../core/errors.js';
import { canonicalJson } from './canonical-json.js';
import { withFileLock } from './file-lock.js';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditEntry = Record<string, unknown>;

export function entryHash(previous: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(`${previous}\n${canonicalJson(entry)}`)
    .digest('hex');
}

/** Appends the entry after the last line's hash; refuses if any secret occurs in the line. */
export async function appendAudit(path: string, entry: AuditEntry, secrets: readonly string[] = []): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  return withFileLock(path, async () => {
    const prev_hash = await lastHash(path);
    const body = { ...entry, prev_hash };
    const line = `${canonicalJson({ ...body, hash: entryHash(prev_hash, body) })}\n`;
    if (secrets.some((s) => s.length > 0 && line.includes(s))) {
      throw new GesalpError(
        'database',
        'refusing to write a secret into the audit log',
        'This is a bug: the entry should carry no credentials.',
      );
    }
    const handle = await open(path, 'a', 0o600);
    try {
      await handle.write(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return JSON.parse(line).hash as string;
  });
}

async function lastHash(path: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return GENESIS_HASH;
  }
  if (size === 0) return GENESIS_HASH;
  const handle = await open(path, 'r');
  try {
    const length = Math.min(size, 1 << 20);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter(Boolean);
    const last = JSON.parse(lines[lines.length - 1]) as { hash?: string };
    if (typeof last.hash !== 'string') throw new Error('no hash');
    return last.hash;
  } catch {
    throw inputError(
      `${path}: the last line of the audit log is unreadable`,
      `Run gesalp sample-db --verify-audit ${path} to find the damage.`,
    );
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
}

export async function verifyAudit(path: string): Promise<AuditVerification> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw inputError(`${path}: cannot read the audit log`, 'Check the path given to --verify-audit.');
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let previous = GENESIS_HASH;
  for (let i = 0; i < lines.length; i++) {
    const fail = (reason: string): AuditVerification => ({ ok: false, lines: lines.length, badLine: i + 1, reason });
    let parsed: AuditEntry;
    try {
      parsed = JSON.parse(lines[i]) as AuditEntry;
    } catch {
      return fail('not valid JSON');
    }
    const { hash, ...body } = parsed;
    if (body.prev_hash !== previous)
      return fail('prev_hash does not match the hash of the line before (a line was removed, inserted or reordered)');
    if (hash !== entryHash(previous, body)) return fail('hash does not match the content (the line was edited)');
    previous = hash as string;
  }
  return { ok: true, lines: lines.length };
}
