/**
 * The audit log's anchor: for each log, its line count, last hash and first line's hash, kept
 * beside the budget ledger and updated under its own lock in the same step as the line is
 * appended. A hash chain alone cannot tell a log whose last lines were cut from a shorter log; the
 * anchor can, whatever name the log has now, since its first line identifies it.
 */
import { writeFileAtomic } from '../../core/io/atomic-write.js';
import { withFileLock } from '../files/file-lock.js';
import { readStateFile } from '../files/state-file.js';

export interface AnchorRecord {
  readonly lines: number;
  readonly last_hash: string;
  /** The first line's hash: finds the record of a copy of the log kept under another path. */
  readonly first_hash: string;
  readonly keyed: boolean;
}

export interface AnchorFile {
  readonly version: 1;
  /** By the log's real path. */
  readonly logs: Record<string, AnchorRecord>;
}

/** Where the anchor of the logs written with this ledger lives. */
export const anchorPathFor = (ledger: string): string => `${ledger}.audit-anchor.json`;

/** Runs `action` holding the anchor's lock (every append with this ledger moves the anchor under it). */
export const withAnchorLock = <T>(ledger: string, action: () => Promise<T>): Promise<T> =>
  withFileLock(anchorPathFor(ledger), action);

const HASH = /^[0-9a-f]{64}$/;

function anchorProblem(parsed: unknown): string | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'it is not a JSON object';
  const file = parsed as Record<string, unknown>;
  if (file.version !== 1) return 'version is not 1';
  if (typeof file.logs !== 'object' || file.logs === null || Array.isArray(file.logs)) return 'logs is not an object';
  for (const [path, value] of Object.entries(file.logs)) {
    const r = value as Record<string, unknown>;
    if (
      typeof r !== 'object' ||
      r === null ||
      !Number.isInteger(r.lines) ||
      (r.lines as number) < 1 ||
      typeof r.last_hash !== 'string' ||
      !HASH.test(r.last_hash) ||
      typeof r.first_hash !== 'string' ||
      !HASH.test(r.first_hash) ||
      typeof r.keyed !== 'boolean'
    )
      return `the record of ${path} is not {lines, last_hash, first_hash, keyed}`;
  }
  return undefined;
}

export const readAnchors = (path: string): Promise<AnchorFile> =>
  readStateFile(path, {
    what: 'audit anchor',
    empty: () => ({ version: 1, logs: {} }),
    problem: anchorProblem,
    hint: 'Restore it from a backup: it is what proves the audit log was not cut short.',
  });

export async function writeAnchors(path: string, anchors: AnchorFile): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(anchors, null, 2)}\n`);
}

/**
 * The records that are a log's own: the one kept under its real path, and every one whose first
 * line is the log's first line (the log renamed, or copied, or cut and saved under another name).
 */
export function matchingAnchors(anchors: AnchorFile, realPath: string, firstHash: string | undefined): AnchorRecord[] {
  return Object.entries(anchors.logs)
    .filter(([path, record]) => path === realPath || (firstHash !== undefined && record.first_hash === firstHash))
    .map(([, record]) => record);
}
