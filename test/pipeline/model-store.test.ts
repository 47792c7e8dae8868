/** A DP model folder's totals: model.json keeps its own copy, so an edited or copied privacy.json is refused. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/api/generate.js';
import { loadTrained } from '../../src/pipeline/model-store.js';

const PENGUINS = 'fixtures/penguins/penguins.csv';
const dir = mkdtempSync(join(tmpdir(), 'gesalp-model-store-'));
const model = join(dir, 'model');
const privacyPath = join(model, 'privacy.json');
const modelPath = join(model, 'model.json');
let privacy: string;
let modelJson: string;

beforeAll(async () => {
  await generate(PENGUINS, { method: 'aim', epsilon: 1, seed: 1, save_model: model });
  privacy = readFileSync(privacyPath, 'utf8');
  modelJson = readFileSync(modelPath, 'utf8');
}, 120000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const restore = () => {
  writeFileSync(privacyPath, privacy);
  writeFileSync(modelPath, modelJson);
};
const load = async () => (await loadTrained(model)).model.dispose();

describe('a DP model folder', () => {
  it('keeps the DP totals in model.json too, and loads while privacy.json agrees with them', async () => {
    const record = JSON.parse(privacy);
    expect(JSON.parse(modelJson).privacy_chain).toEqual({
      total_epsilon: record.total_epsilon,
      total_delta: record.total_delta,
      init_from_epsilon: 0,
      init_from_delta: 0,
    });
    await expect(load()).resolves.toBeUndefined();
  });

  it('refuses (exit 3) a privacy.json whose total was lowered, naming the file', async () => {
    const record = JSON.parse(privacy);
    writeFileSync(privacyPath, JSON.stringify({ ...record, total_epsilon: record.target_epsilon }));
    await expect(load()).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/privacy\.json does not match the DP totals .*model\.json records/),
    });
    restore();
  });

  it('refuses (exit 3) a composition that does not add up', async () => {
    const record = JSON.parse(privacy);
    const composition = {
      rule: 'basic',
      this_run_epsilon: record.total_epsilon,
      this_run_delta: record.total_delta,
      init_from_epsilon: 2,
      init_from_delta: 0,
    };
    writeFileSync(privacyPath, JSON.stringify({ ...record, composition }));
    await expect(load()).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/does not add up/) });
    restore();
  });

  it('still loads a folder saved before model.json kept the totals', async () => {
    const file = JSON.parse(modelJson);
    delete file.privacy_chain;
    writeFileSync(modelPath, JSON.stringify(file));
    await expect(load()).resolves.toBeUndefined();
    restore();
  });
});
