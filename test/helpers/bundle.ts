// Bundles a few lines importing ssekit the way an app's bundler would (esbuild, or rollup + node-resolve) from a project whose node_modules holds ssekit, and checks such bundles carry one engine.

import { spawnSync } from 'node:child_process';
import { realpathSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { expect } from 'vitest';

export type Bundler = 'esbuild' | 'rollup';

export interface Bundle {
  /** The minified ES module. */
  code: string;
  /** Its size in bytes, gzip level 9. */
  gzip: number;
  /** The files of the ssekit package whose code is in the bundle, relative to the package (e.g. `dist/index.mjs`), sorted. */
  files: string[];
}

// What each bundle in the tests is minified with: terser's ES module defaults, as test/size.test.ts.
const TERSER = { module: true, ecma: 2020, compress: { passes: 2 } } as const;

/**
 * Bundles `source` (an ES module importing from 'ssekit...') as written to `<project>/<name>.mjs`,
 * for the browser (conditions `import`, `module`, `browser`, `default`), honouring package.json
 * "sideEffects" as both tools do by default.
 */
export async function bundle(bundler: Bundler, project: string, name: string, source: string): Promise<Bundle> {
  const entry = join(project, name + '.mjs');
  writeFileSync(entry, source);
  const pkg = realpathSync(join(project, 'node_modules', 'ssekit'));
  const ours = (file: string) => {
    const rel = relative(pkg, realpathSync(file)).replace(/\\/g, '/');
    return rel.startsWith('..') ? null : rel;
  };
  let code: string;
  let carried: string[];
  if (bundler === 'esbuild') {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: project,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    code = result.outputFiles[0]?.text ?? '';
    const output = Object.values(result.metafile.outputs)[0];
    carried = Object.entries(output?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => resolve(project, file));
  } else {
    const b = await rollup({ input: entry, plugins: [nodeResolve({ rootDir: project, browser: true })], onwarn: () => {} });
    const { output } = await b.generate({ format: 'es', plugins: [terser(TERSER)] });
    await b.close();
    code = output[0].code;
    carried = Object.entries(output[0].modules)
      .filter(([, m]) => m.renderedLength > 0)
      .map(([file]) => file);
  }
  const files = carried
    .map(ours)
    .filter((f): f is string => f !== null)
    .sort();
  return { code, gzip: gzipSync(code, { level: 9 }).length, files };
}

/** How many times `needle` occurs in `text`. */
export function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

// A message the EventSource constructor carries once per copy of the engine.
const ENGINE_MARK = "1 argument required: the stream's URL.";

/** The three bundles of one tool: the polyfill alone, connect() + EventSource alone, both together. */
export interface OneEngine {
  polyfill: Bundle;
  client: Bundle;
  together: Bundle;
}

/** Bundles the polyfill entry and the main entry apart and together with `bundler`, in `project`. */
export async function oneEngineBundles(bundler: Bundler, project: string): Promise<OneEngine> {
  return {
    polyfill: await bundle(bundler, project, bundler + '-polyfill', `import 'ssekit/polyfill';\n`),
    client: await bundle(bundler, project, bundler + '-client', `export { connect, EventSource } from 'ssekit';\n`),
    together: await bundle(bundler, project, bundler + '-together', `import 'ssekit/polyfill';\nexport { connect, EventSource } from 'ssekit';\n`),
  };
}

/** Runs an ES module bundle in a new Node process (no global EventSource there) and returns whether the global is the bundle's export. */
export function installsExport(code: string, dir: string): boolean {
  const file = join(dir, 'run-bundle.mjs');
  writeFileSync(file, code);
  const script = `import(${JSON.stringify(pathToFileURL(file).href)}).then((m) => console.log(JSON.stringify(globalThis.EventSource === m.EventSource)));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
  if (run.status !== 0) throw new Error(`the bundle failed in Node: ${run.stderr}`);
  return JSON.parse(run.stdout) as boolean;
}

/** The assertions both this test and the install matrix make on one tool's bundles. */
export function expectOneEngine(b: OneEngine, dir: string): void {
  const union = [...new Set([...b.polyfill.files, ...b.client.files])].sort();
  expect(b.together.files).toEqual(union);
  expect(b.together.files.filter((f) => f.startsWith('dist/legacy/'))).toEqual([]);
  expect(b.together.files).toContain('dist/eventsource.mjs');
  expect(occurrences(b.together.code, ENGINE_MARK)).toBe(1);
  // The polyfill adds its install() call, not a second engine.
  expect(b.together.gzip - b.client.gzip).toBeLessThan(b.polyfill.gzip / 10);
  expect(installsExport(b.together.code, dir)).toBe(true);
}
