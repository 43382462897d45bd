// One engine per bundle: ssekit/polyfill and ssekit bundled together (esbuild, rollup) carry each module once, and the polyfill installs the EventSource that ssekit exports. Bundles dist/ (npm test builds first).

import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, expectOneEngine, oneEngineBundles, type OneEngine } from './helpers/bundle';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

describe.each(['esbuild', 'rollup'] as const)('one engine per bundle, %s', (bundler) => {
  let project: string;
  let bundles: OneEngine;

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'ssekit-bundle-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(ROOT, join(project, 'node_modules', 'ssekit'), 'dir');
    bundles = await oneEngineBundles(bundler, project);
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('ssekit/polyfill + ssekit: each module once, the polyfill installs the exported EventSource', () => {
    console.log(
      `${bundler} min+gzip: polyfill ${bundles.polyfill.gzip} B, connect + EventSource ${bundles.client.gzip} B, together ${bundles.together.gzip} B`,
    );
    expectOneEngine(bundles, project);
  });

  it('ssekit/legacy shares the parser and the error classes with ssekit', async () => {
    const both = await bundle(
      bundler,
      project,
      bundler + '-legacy',
      `export { connect, EventSource } from 'ssekit';\nexport * as legacy from 'ssekit/legacy';\n`,
    );
    expect(both.files).toContain('dist/legacy/index.mjs');
    expect(both.files.filter((f) => /parser|errors/.test(f))).toEqual(['dist/errors.mjs', 'dist/parser.mjs']);
  });
});
