import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendAudit,
  checkAuditAppendable,
  GENESIS_HASH,
  verifyAudit,
  type AuditOptions,
} from '../../src/sample-db/audit/audit-log.js';
import { withAnchorLock } from '../../src/sample-db/audit/audit-anchor.js';
import { readAuditKey } from '../../src/sample-db/audit/audit-key.js';

describe('audit log', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-audit-'));
    path = join(dir, 'state', 'audit.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const fill = async () => {
    for (let i = 0; i < 4; i++) await appendAudit(path, { query: i, table: 'patients', epsilon: 1 });
  };

  it('chains each line to the one before with SHA-256 and verifies', async () => {
    await fill();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].prev_hash).toBe(GENESIS_HASH);
    expect(lines[1].prev_hash).toBe(lines[0].hash);
    // Recomputed independently: sha256(prev + "\n" + keys sorted, without hash).
    const { hash, ...body } = lines[2];
    const sorted = JSON.stringify(Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : 1))));
    expect(createHash('sha256').update(`${lines[1].hash}\n${sorted}`).digest('hex')).toBe(hash);
    expect(await verifyAudit(path)).toEqual({ ok: true, lines: 4, anchored: false });
  });

  it('names the line that was edited', async () => {
    await fill();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = lines[2].replace('"epsilon":1', '"epsilon":0.1');
    writeFileSync(path, lines.join('\n'));
    expect(await verifyAudit(path)).toMatchObject({ ok: false, badLine: 3, reason: expect.stringMatching(/edited/) });
  });

  it('names the line after one that was removed', async () => {
    await fill();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.splice(1, 1);
    writeFileSync(path, lines.join('\n'));
    expect(await verifyAudit(path)).toMatchObject({ ok: false, badLine: 2, reason: expect.stringMatching(/removed/) });
  });

  describe('anchored beside the ledger', () => {
    const anchored = (extra: Partial<AuditOptions> = {}): AuditOptions => ({
      anchor: {
        file: join(dir, 'ledger.json.audit-anchor.json'),
        withLock: (action) => withAnchorLock(join(dir, 'ledger.json'), action),
      },
      ...extra,
    });
    const fillAnchored = async (options: AuditOptions = anchored()) => {
      for (let i = 0; i < 4; i++) await appendAudit(path, { query: i }, options);
    };
    const verifyAnchoredAt = (log: string, options: { key?: Buffer } = {}) =>
      verifyAudit(log, { ...options, anchorFile: join(dir, 'ledger.json.audit-anchor.json') });
    const verifyAnchored = (options: { key?: Buffer } = {}) => verifyAnchoredAt(path, options);

    it('detects a log whose last lines were cut, which the chain alone cannot', async () => {
      await fillAnchored();
      expect(await verifyAnchored()).toEqual({ ok: true, lines: 4, anchored: true });
      const lines = readFileSync(path, 'utf8').split('\n');
      writeFileSync(path, `${lines.slice(0, 2).join('\n')}\n`);
      // Without the anchor the shorter chain looks intact.
      expect(await verifyAudit(path)).toMatchObject({ ok: true, lines: 2 });
      expect(await verifyAnchored()).toMatchObject({ ok: false, badLine: 3, reason: expect.stringMatching(/cut/) });
      // And the next query refuses to write after the cut.
      await expect(appendAudit(path, { query: 9 }, anchored())).rejects.toMatchObject({ exitCode: 3 });
    });

    it('detects a log emptied or deleted', async () => {
      await fillAnchored();
      writeFileSync(path, '');
      expect(await verifyAnchored()).toMatchObject({ ok: false, reason: expect.stringMatching(/cut/) });
      rmSync(path);
      await expect(appendAudit(path, { query: 9 }, anchored())).rejects.toMatchObject({ exitCode: 3 });
    });

    it('finds the anchor of a copy of the log by its first line', async () => {
      await fillAnchored();
      const copy = join(dir, 'copy.jsonl');
      const lines = readFileSync(path, 'utf8').split('\n');
      writeFileSync(copy, `${lines.slice(0, 3).join('\n')}\n`);
      expect(await verifyAudit(copy, { anchorFile: join(dir, 'ledger.json.audit-anchor.json') })).toMatchObject({
        ok: false,
        anchored: true,
      });
    });

    it('finds the anchor of a log cut and saved under a new name by its first line, and refuses to append to it', async () => {
      for (let i = 0; i < 10; i++) await appendAudit(path, { query: i }, anchored());
      const cut = join(dir, 'B.jsonl');
      writeFileSync(cut, `${readFileSync(path, 'utf8').split('\n').slice(0, 5).join('\n')}\n`);
      rmSync(path);
      await expect(checkAuditAppendable(cut, anchored())).rejects.toMatchObject({ exitCode: 3 });
      const refused = await appendAudit(cut, { query: 'after the cut' }, anchored()).catch((e: unknown) => e);
      expect(refused).toMatchObject({
        exitCode: 3,
        message: expect.stringMatching(/5 lines where its anchor records 10/),
      });
      expect(readFileSync(cut, 'utf8').trim().split('\n')).toHaveLength(5);
      expect(await verifyAnchoredAt(cut)).toMatchObject({ ok: false, anchored: true, reason: /cut/ });
    });

    it('follows a log renamed whole, and refuses one rewritten from its first line', async () => {
      await fillAnchored();
      const moved = join(dir, 'moved.jsonl');
      renameSync(path, moved);
      await appendAudit(moved, { query: 'after the move' }, anchored());
      expect(await verifyAnchoredAt(moved)).toEqual({ ok: true, lines: 5, anchored: true });
      // Rewritten from line 1 under the same name: the anchor's first line is not there any more.
      const lines = readFileSync(moved, 'utf8').trim().split('\n');
      rmSync(moved);
      for (let i = 0; i < lines.length; i++) await appendAudit(moved, { query: `forged ${i}` });
      await expect(appendAudit(moved, { query: 'next' }, anchored())).rejects.toMatchObject({
        exitCode: 3,
        message: expect.stringMatching(/first line is not the one anchored/),
      });
    });

    it("decides keyed or unkeyed by the log's own lines, with or without its anchor", async () => {
      const key = Buffer.from('0123456789abcdef0123456789abcdef');
      await fillAnchored(anchored({ key }));
      rmSync(join(dir, 'ledger.json.audit-anchor.json'));
      const before = readFileSync(path, 'utf8');
      for (const options of [anchored(), {}]) {
        await expect(checkAuditAppendable(path, options)).rejects.toMatchObject({ exitCode: 2 });
        await expect(appendAudit(path, { query: 'unkeyed' }, options)).rejects.toMatchObject({ exitCode: 2 });
      }
      await expect(
        appendAudit(path, { query: 'other key' }, anchored({ key: Buffer.from('another key, 16+ bytes long') })),
      ).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/not the one .* was written with/) });
      expect(readFileSync(path, 'utf8')).toBe(before);
      // The key holder goes on.
      await appendAudit(path, { query: 'keyed' }, anchored({ key }));
      expect(await verifyAudit(path, { key })).toMatchObject({ ok: true, lines: 5 });
    });

    it('keys the chain with HMAC-SHA256: a rewritten chain verifies only with the key', async () => {
      const key = Buffer.from('0123456789abcdef0123456789abcdef');
      await fillAnchored(anchored({ key }));
      const lines = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines[0].mac).toBe('hmac-sha256');
      // Recomputed independently: HMAC-SHA256(key, prev + "\n" + keys sorted, without hash).
      const { hash, ...body } = lines[1];
      const sorted = JSON.stringify(Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : 1))));
      expect(createHmac('sha256', key).update(`${lines[0].hash}\n${sorted}`).digest('hex')).toBe(hash);
      expect(await verifyAnchored({ key })).toEqual({ ok: true, lines: 4, anchored: true });
      expect(await verifyAnchored()).toMatchObject({ ok: false, needsKey: true });
      expect(await verifyAnchored({ key: Buffer.from('another key, 16+ bytes long') })).toMatchObject({
        ok: false,
        badLine: 1,
      });
      // A forger without the key rewrites line 2 and recomputes a plain SHA-256 chain from there.
      const forged = [lines[0]];
      let previous = lines[0].hash as string;
      for (const line of lines.slice(1)) {
        const { hash: _, mac: __, ...rest } = line;
        const next = { ...rest, query: 'forged', prev_hash: previous };
        const text = JSON.stringify(Object.fromEntries(Object.entries(next).sort(([a], [b]) => (a < b ? -1 : 1))));
        previous = createHash('sha256').update(`${previous}\n${text}`).digest('hex');
        forged.push({ ...next, hash: previous });
      }
      writeFileSync(path, `${forged.map((l) => JSON.stringify(l)).join('\n')}\n`);
      expect(await verifyAnchored({ key })).toMatchObject({ ok: false, badLine: 2, reason: /not keyed/ });
    });
  });

  describe('refuses a path that is not a regular file (exit 3)', () => {
    it.each([
      ['a dangling symbolic link', () => symlinkSync(join(dir, 'nowhere'), join(dir, 'log')), /symbolic link/],
      [
        'a link to a file',
        () => (writeFileSync(join(dir, 'victim'), 'x'), symlinkSync(join(dir, 'victim'), join(dir, 'log'))),
        /symbolic link/,
      ],
      ['a folder', () => mkdirSync(join(dir, 'log')), /folder/],
    ])('%s', async (_, make, reason) => {
      make();
      const error = await appendAudit(join(dir, 'log'), { q: 1 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ exitCode: 3, message: expect.stringMatching(reason) });
      await expect(verifyAudit(join(dir, 'log'))).rejects.toMatchObject({ exitCode: 3 });
    });

    it('/dev/null', async () => {
      await expect(appendAudit('/dev/null', { q: 1 })).rejects.toMatchObject({
        exitCode: 3,
        message: expect.stringMatching(/a device/),
      });
      await expect(verifyAudit('/dev/null')).rejects.toMatchObject({ exitCode: 3 });
    });
  });

  describe('the audit key file', () => {
    it('is refused (exit 2) when group or others can read it, and when it is short', async () => {
      const key = join(dir, 'key');
      writeFileSync(key, 'k'.repeat(32));
      chmodSync(key, 0o644);
      await expect(readAuditKey(key)).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/mode 644/),
      });
      chmodSync(key, 0o600);
      await expect(readAuditKey(key)).resolves.toEqual(Buffer.from('k'.repeat(32)));
      writeFileSync(key, 'short\n');
      await expect(readAuditKey(key)).rejects.toMatchObject({ exitCode: 2 });
    });
  });
});
