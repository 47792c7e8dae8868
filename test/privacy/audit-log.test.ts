import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendAudit, GENESIS_HASH, verifyAudit } from '../../src/privacy/audit-log.js';

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
    expect(await verifyAudit(path)).toEqual({ ok: true, lines: 4 });
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

  it('refuses to write a line that contains a secret', async () => {
    await expect(appendAudit(path, { url: 'postgres://u:hunter2@db/x' }, ['hunter2'])).rejects.toThrow(/secret/);
  });
});
