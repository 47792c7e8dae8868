/**
 * gesalp as a package (issue 25): `npm pack`, the tarball unpacked into a temporary project as
 * `node_modules/gesalp` (what `npm install` puts there; its dependencies are this checkout's, as
 * the test machine has no registry to fetch them from), then a script that imports the package by
 * its name runs evaluate and generate, and TypeScript compiles a typed use of it against the
 * shipped declarations. Needs the build (npm test builds first).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve('.');
const PENGUINS = join(ROOT, 'fixtures/penguins/penguins.csv');

describe('the gesalp package', () => {
  let dir: string;
  let project: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-pack-'));
    // --ignore-scripts: prepare would build again; the suite's build is what gets packed.
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    project = join(dir, 'project');
    const installed = join(project, 'node_modules', 'gesalp');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(dir, tarball), '-C', installed, '--strip-components=1']);
    symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'uses-gesalp', type: 'module', private: true }),
    );
  }, 120000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships the entry point, its declarations and nothing of the tests', () => {
    const installed = join(project, 'node_modules', 'gesalp');
    expect(existsSync(join(installed, 'dist/src/index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/src/index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'bin/gesalp.js'))).toBe(true);
    expect(existsSync(join(installed, 'test'))).toBe(false);
    expect(existsSync(join(installed, 'dist/test'))).toBe(false);
  });

  it('runs evaluate and generate imported by the package name', () => {
    const script = join(project, 'run.mjs');
    writeFileSync(
      script,
      `import { evaluate, generate, readTable, GesalpError } from 'gesalp';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from ${JSON.stringify(join(ROOT, 'node_modules/ajv/dist/ajv.js'))};
const schemaOf = (file) => JSON.parse(readFileSync(createRequire(import.meta.url).resolve('gesalp/schema/' + file), 'utf8'));
const real = await readTable(${JSON.stringify(PENGUINS)});
const { report, synthetic } = await generate(real, { params: { n_iter: 30 }, seed: 1 });
const evaluation = await evaluate(real, synthetic, { thresholds: { ks_mean: 0.9 } });
let refused = null;
try { await generate(real, { method: 'ddmp' }); } catch (error) { refused = error instanceof GesalpError ? error.exitCode : 'other'; }
console.log(JSON.stringify({
  method: report.method,
  rows: synthetic.rowCount,
  realRows: real.rowCount,
  columns: synthetic.columns.map((c) => c.name),
  ks: evaluation.metrics.ks_mean.value,
  checks: evaluation.checks.map((c) => c.metric),
  refused,
  schemas: [
    new Ajv({ strict: false }).validate(schemaOf('generation-report.schema.json'), report),
    new Ajv({ strict: false }).validate(schemaOf('evaluation-report.schema.json'), evaluation),
  ],
}));
`,
    );
    const run = spawnSync(process.execPath, [script], { cwd: project, encoding: 'utf8', timeout: 120000 });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(out).toMatchObject({
      method: 'ddpm',
      rows: 344,
      realRows: 344,
      checks: ['ks_mean'],
      refused: 2,
      schemas: [true, true],
    });
    expect(out.columns).toContain('Species');
    expect(out.ks).toBeGreaterThan(0);
    expect(out.ks).toBeLessThan(1);
  }, 180000);

  it("type-checks the README's example and a typed use of the package against its declarations", () => {
    // The README's library example, as printed there: the docs cannot drift from the API.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /## gesalp as a library\s+```ts\n([\s\S]*?)```/.exec(readme)![1];
    writeFileSync(join(project, 'readme.ts'), `${example}export {};\n`);
    writeFileSync(
      join(project, 'use.ts'),
      `import { evaluate, makeRegistry, REGISTRY, type EvaluationReport, type GenerateOptions } from 'gesalp';
const options: GenerateOptions = { method: 'aim', epsilon: 1, params: { degree: 2 } };
const report: Promise<EvaluationReport> = evaluate('real.csv', 'synthetic.csv', { target: 'species' });
const registry = makeRegistry(REGISTRY.methods);
export { options, report, registry };
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
        },
        files: ['use.ts', 'readme.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], {
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    // The check can fail: a wrong option name is a type error.
    writeFileSync(
      join(project, 'use.ts'),
      `import type { GenerateOptions } from 'gesalp';\nexport const o: GenerateOptions = { n_iterations: 3 };\n`,
    );
    const wrong = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], {
      encoding: 'utf8',
    });
    expect(wrong.stdout).toMatch(/n_iterations/);
  }, 120000);
});
