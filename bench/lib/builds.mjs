// Bundles the bench needs beside dist/: eventsource@4 for the browser, and ssekit's EventSource tree-shaken from dist/index.mjs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export const BUILD_DIR = fileURLToPath(new URL('../.build/', import.meta.url));
export const DIST_INDEX = fileURLToPath(new URL('../../dist/index.mjs', import.meta.url));
export const DIST_SHARED = fileURLToPath(new URL('../../dist/shared.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = JSON.parse(readFileSync(ROOT + 'package.json', 'utf8'));
/** The terser options every ES module size in the bench (and test/size.test.ts) uses. */
export const ESM_TERSER = { module: true, ecma: 2020, compress: { passes: 2 } };

// Bare specifiers resolved the way a browser bundler would (the `import` condition); `virtual:` ids are entries given as text.
// With `sideEffects`, files of this package get moduleSideEffects from package.json's "sideEffects" list, as
// webpack, esbuild and rollup's node-resolve plugin give them; without it rollup assumes every module has side effects.
function resolver(virtual, sideEffects) {
  const listed = new Set((PKG.sideEffects || []).map((f) => resolvePath(ROOT, f)));
  const mark = (file) => (sideEffects && file.startsWith(ROOT + 'dist/') ? { id: file, moduleSideEffects: listed.has(file) } : file);
  return {
    name: 'bench-resolve',
    resolveId(id, importer) {
      if (id in virtual) return '\0' + id;
      if (id === 'eventsource' || id === 'eventsource-parser') return fileURLToPath(import.meta.resolve(id));
      if (id === 'ssekit') return mark(DIST_INDEX);
      if (importer && id.startsWith('.')) return mark(resolvePath(dirname(importer.replace(/^\0/, '')), id));
      if (id.startsWith('/')) return mark(id);
      return null;
    },
    load(id) {
      return id.startsWith('\0') ? virtual[id.slice(1)] : null;
    },
  };
}

async function bundle(entry, output, sideEffects = false) {
  const b = await rollup({ input: 'entry', plugins: [resolver({ entry }, sideEffects)], onwarn: () => {} });
  const {
    output: [chunk],
  } = await b.generate(output);
  await b.close();
  return chunk.code;
}

/**
 * ssekit's `EventSource` alone, tree-shaken from dist/index.mjs and minified (ES module). `sideEffects`:
 * honour package.json's "sideEffects" (what users' bundlers do) rather than rollup's default.
 */
export function ssekitEventSourceOnly(sideEffects = false) {
  return bundle(
    `import { EventSource } from ${JSON.stringify(DIST_INDEX)};\nexport { EventSource };\n`,
    { format: 'es', plugins: [terser(ESM_TERSER)] },
    sideEffects,
  );
}

/** eventsource@4's `EventSource` (with eventsource-parser) as a minified browser ES module. */
export function eventsource4Module() {
  return bundle(`export { EventSource } from 'eventsource';\n`, { format: 'es', plugins: [terser(ESM_TERSER)] });
}

/** Writes bench/.build/eventsource4.js: a classic script defining `EventSourcePkg.EventSource`, for the browser pages. */
export async function writeEventsource4Script() {
  const code = await bundle(`export { EventSource } from 'eventsource';\n`, { format: 'iife', name: 'EventSourcePkg' });
  mkdirSync(BUILD_DIR, { recursive: true });
  const file = BUILD_DIR + 'eventsource4.js';
  writeFileSync(file, code);
  return file;
}

/**
 * `entry` (ES module source importing packages by name, or dist/ files by absolute path) bundled for
 * the browser as an app's bundler does it: rollup + node-resolve (package.json "exports" with the
 * browser conditions, and "sideEffects"), minified like every ES module size here.
 */
export async function browserModule(entry) {
  const b = await rollup({
    input: 'entry',
    plugins: [
      { name: 'entry', resolveId: (id) => (id === 'entry' ? '\0entry' : null), load: (id) => (id === '\0entry' ? entry : null) },
      nodeResolve({ rootDir: ROOT, browser: true }),
    ],
    onwarn: () => {},
  });
  const {
    output: [chunk],
  } = await b.generate({ format: 'es', plugins: [terser(ESM_TERSER)] });
  await b.close();
  return chunk.code;
}
