// Install matrix (npm run test:install): the packed tarball installed into scratch projects outside the repository, used the ways users do: require without require(esm), Jest, TypeScript in every resolution mode, with and without lib.dom, and bundlers.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneEngine, oneEngineBundles } from '../helpers/bundle';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FIXTURES = join(ROOT, 'test', 'install', 'fixtures');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
// Node 20.19+ and 22.12+ can require ES modules; this flag turns that off, as on Node 18 and older 20/22.
const NO_REQUIRE_ESM = process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module') ? ['--no-experimental-require-module'] : [];

let scratch = '';

interface Run {
  status: number | null;
  stdout: string;
  /** stdout and stderr, for failure messages. */
  output: string;
}

function run(command: string, args: string[], cwd: string, timeout = 60_000): Run {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, stdout: r.stdout, output: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}` };
}

function expectSuccess(r: Run, what: string): void {
  expect(r.status, `${what} failed:\n${r.output}`).toBe(0);
}

/** A project directory in the scratch install: its package.json, tsconfig.json and files (copied from fixtures or given). */
function project(name: string, type: 'module' | 'commonjs', files: Record<string, string>, tsconfig?: Record<string, unknown>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type }));
  if (tsconfig) writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  for (const [file, from] of Object.entries(files)) cpSync(from, join(dir, file));
  return dir;
}

// What every TypeScript project here shares: strict, skipLibCheck off (ssekit's .d.ts are checked too).
const STRICT = { strict: true, skipLibCheck: false, target: 'ES2022' };
// A Node project without lib.dom.
const NODE_ONLY = { ...STRICT, lib: ['ES2022'], types: ['node'] };

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ssekit-install-'));
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], ROOT);
  expectSuccess(pack, 'npm pack');
  const tarball = (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0]?.filename as string;
  const typesNode = (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8')) as { version: string }).version;
  // One install shared by every project below (they find it walking up): ssekit from the
  // tarball, Jest 30 and the repository's @types/node from the registry (or npm's cache).
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'ssekit-install-matrix', private: true, dependencies: { ssekit: `file:./${tarball}`, jest: '^30.0.0', '@types/node': typesNode } }),
  );
  expectSuccess(
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], scratch, 240_000),
    'npm install',
  );
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('install matrix: the packed tarball in scratch projects', () => {
  it('CommonJS require with require(esm) off: every entry, one EventSource class, a stream over HTTP', () => {
    const dir = project('cjs', 'commonjs', { 'main.cjs': join(FIXTURES, 'cjs.cjs') });
    const r = run(process.execPath, [...NO_REQUIRE_ESM, 'main.cjs'], dir);
    expectSuccess(r, 'node main.cjs');
    expect(r.stdout.trim()).toBe('ok');
  });

  it.each([
    ['require(esm) off', NO_REQUIRE_ESM],
    ['default flags', []],
  ])('Node ES module importing and requiring ssekit (%s): one copy', (_label, flags) => {
    const dir = project('esm', 'module', { 'main.mjs': join(FIXTURES, 'esm.mjs') });
    const r = run(process.execPath, [...flags, 'main.mjs'], dir);
    expectSuccess(r, 'node main.mjs');
    expect(r.stdout.trim()).toBe('ok');
  });

  it('Jest 30, default setup (CommonJS, node environment)', () => {
    const dir = project('jest', 'commonjs', { 'sse.test.js': join(FIXTURES, 'jest.test.cjs') });
    const jest = JSON.parse(readFileSync(join(scratch, 'node_modules', 'jest', 'package.json'), 'utf8')) as { version: string };
    expect(jest.version).toMatch(/^30\./);
    const r = run(process.execPath, [join(scratch, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--watchman=false', '--rootDir', dir], dir);
    expectSuccess(r, 'jest');
    expect(r.output).toMatch(/Tests:\s+3 passed, 3 total/);
  });

  it.each([
    ['node16', 'commonjs'],
    ['node16', 'module'],
    ['nodenext', 'commonjs'],
    ['nodenext', 'module'],
  ] as const)('TypeScript module %s in a %s package, without lib.dom: compiles, and the output runs with require(esm) off', (mode, type) => {
    const dir = project(
      `ts-${mode}-${type}`,
      type,
      { 'index.ts': join(FIXTURES, 'node16.ts') },
      { compilerOptions: { ...NODE_ONLY, module: mode, moduleResolution: mode, outDir: 'out' } },
    );
    expectSuccess(run(process.execPath, [TSC, '-p', '.'], dir), 'tsc');
    const r = run(process.execPath, [...NO_REQUIRE_ESM, 'out/index.js'], dir);
    expectSuccess(r, 'node out/index.js');
    expect(r.stdout.trim()).toBe('ok');
  });

  it('TypeScript moduleResolution node10 (CommonJS, typesVersions): every subpath, ssekit/parser included', () => {
    const dir = project(
      'ts-node10',
      'commonjs',
      { 'index.ts': join(FIXTURES, 'node10.ts') },
      { compilerOptions: { ...NODE_ONLY, module: 'commonjs', moduleResolution: 'node10', noEmit: true } },
    );
    expectSuccess(run(process.execPath, [TSC, '-p', '.'], dir), 'tsc');
  });

  it('TypeScript moduleResolution bundler with lib.dom: the DOM compatibility checks of test/types', () => {
    const dir = project(
      'ts-bundler',
      'module',
      { 'index.ts': join(ROOT, 'test', 'types', 'eventsource.types.ts') },
      { compilerOptions: { ...STRICT, lib: ['ES2022', 'DOM', 'DOM.Iterable'], module: 'esnext', moduleResolution: 'bundler', noEmit: true } },
    );
    expectSuccess(run(process.execPath, [TSC, '-p', '.'], dir), 'tsc');
  });

  it('TypeScript without lib.dom (lib ES2022 + @types/node, skipLibCheck off): compiles, event data exactly typed (test/types/node)', () => {
    const dir = project(
      'ts-no-dom',
      'module',
      { 'index.ts': join(ROOT, 'test', 'types', 'node', 'node.types.ts') },
      {
        compilerOptions: {
          ...NODE_ONLY,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          noEmit: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
        },
      },
    );
    expectSuccess(run(process.execPath, [TSC, '-p', '.'], dir), 'tsc');
  });

  it.each(['esbuild', 'rollup'] as const)(
    '%s: ssekit/polyfill + ssekit bundle one engine, and the polyfill installs the exported EventSource',
    async (bundler) => {
      const b = await oneEngineBundles(bundler, scratch);
      console.log(
        `${bundler} from the tarball, min+gzip: polyfill ${b.polyfill.gzip} B, connect + EventSource ${b.client.gzip} B, together ${b.together.gzip} B`,
      );
      expectOneEngine(b, scratch);
    },
  );
});
