// Builds: the modern modules (index, polyfill, parser, shared) as ES modules and CommonJS with declarations for both; the legacy-capable ssekit/legacy; the ES5 classic scripts.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';

const ROOT = dirname(fileURLToPath(import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');

// src/legacy.ts says whether IE-class paths (XHR, URL merging, listener registry) are needed
// (LEGACY) and whether the build runs in legacy documents only (PAGE); each build fixes both, so
// rollup drops the paths it cannot take.
const flags = (LEGACY, PAGE) => ({
  name: 'ssekit-build-flags',
  load(id) {
    return id.replace(/\\/g, '/').endsWith('/src/legacy.ts') ? `export const LEGACY = ${LEGACY};\nexport const PAGE = ${PAGE};` : null;
  },
});

// Modules that read no build flag, directly or through their imports: ssekit/legacy imports the
// modern build's files for them (same file name, extension `ext`) rather than carrying copies, so
// a bundle holding both entries holds one parser and one set of error classes.
const SHARED = ['parser', 'errors', 'decoder', 'transport/fetch'];
const shareModern = (ext) => ({
  name: 'ssekit-shared-modules',
  resolveId(source, importer) {
    if (!importer || !source.startsWith('.')) return null;
    const name = relative(SRC, resolve(dirname(importer), source))
      .replace(/\\/g, '/')
      .replace(/\.js$/, '');
    return SHARED.includes(name) ? { id: join(DIST, name + ext), external: true } : null;
  },
});

// Node loads the CommonJS files for `import` too (the package.json "node" condition): one copy of
// each module per process, whichever way it is reached. dist/node/<entry>.mjs re-exports them.
const ENTRIES = ['index', 'parser', 'polyfill', 'shared', 'legacy/index'];
const nodeWrappers = () => ({
  name: 'ssekit-node-wrappers',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk' || !chunk.isEntry || !ENTRIES.includes(chunk.name)) continue;
      const target = '../' + chunk.fileName.replace(/\.mjs$/, '.cjs');
      const names = [...chunk.exports].sort();
      this.emitFile({
        type: 'asset',
        fileName: 'node/' + chunk.name.replace(/\/index$/, '') + '.mjs',
        source:
          `// Node's ES module entry for ${chunk.name.replace(/\/index$/, '')}: the CommonJS build's exports (one copy of ssekit per process).\n` +
          (names.length ? `export { ${names.join(', ')} } from '${target}';\n` : `import '${target}';\n`),
      });
    }
  },
});

// Declarations for the CommonJS files: each dist/**/*.d.ts again as .d.cts, its relative imports
// pointing at .cjs, so TypeScript sees CommonJS types for `require` (node16, nodenext, node10).
const ctsDeclarations = () => ({
  name: 'ssekit-cts-declarations',
  closeBundle() {
    const walk = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
    for (const file of walk(DIST).filter((f) => f.endsWith('.d.ts'))) {
      const text = readFileSync(file, 'utf8').replace(/((?:from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]*?)\.js(['"])/g, '$1.cjs$2');
      writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text);
    }
  },
});

// The ES5 scripts take their one TypeScript helper (__extends) from src/tslib-es5.js rather than tslib.
const es5 = () =>
  typescript({
    target: 'ES5',
    noEmitOnError: true,
    declaration: false,
    declarationMap: false,
    outDir: undefined,
    rootDir: 'src',
    tslib: join(SRC, 'tslib-es5.js'),
  });

const minify = { ecma: 5, safari10: true, compress: { passes: 2 } };

// ssekit/legacy, as an ES module and as CommonJS: the same exports as ssekit with the IE-class paths.
const legacy = (format, ext) => ({
  input: { 'legacy/index': 'src/index.ts' },
  output: {
    dir: 'dist',
    format,
    entryFileNames: '[name]' + ext,
    // Relative to dist/, which rollup makes relative to each output file.
    paths: (id) => (id.startsWith(DIST) ? './' + relative(DIST, id).replace(/\\/g, '/') : id),
    plugins: ext === '.mjs' ? [nodeWrappers()] : [],
  },
  plugins: [
    shareModern(ext),
    flags(true, false),
    typescript({ noEmitOnError: true, declaration: false, declarationMap: false, outDir: 'dist', rootDir: 'src' }),
  ],
});

export default [
  {
    // Evergreen browsers, workers, Node 18+: streaming fetch, TextDecoder, URL and EventTarget assumed.
    // One file per module, so bundlers honouring "sideEffects" drop what is not imported, and
    // ssekit/polyfill installs the very EventSource that ssekit exports.
    // The shared modules are entries too, so that every export ssekit/legacy imports is kept.
    // ssekit/shared (tab sharing) is an entry of this build, importing the same modules: the
    // other entries never carry it, and a bundle holding it and ssekit holds one engine.
    input: {
      index: 'src/index.ts',
      parser: 'src/parser.ts',
      polyfill: 'src/polyfill.ts',
      shared: 'src/shared.ts',
      ...Object.fromEntries(SHARED.map((m) => [m, `src/${m}.ts`])),
    },
    output: [
      { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].mjs', plugins: [nodeWrappers()] },
      { dir: 'dist', format: 'cjs', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].cjs' },
    ],
    plugins: [
      flags(false, false),
      typescript({ noEmitOnError: true, declaration: true, declarationDir: 'dist', outDir: 'dist', rootDir: 'src' }),
      ctsDeclarations(),
    ],
  },
  // For bundles that must also run on IE-class engines: `ssekit/legacy`.
  legacy('es', '.mjs'),
  legacy('cjs', '.cjs'),
  {
    input: 'src/classic.ts',
    output: [
      { file: 'dist/ssekit.js', format: 'iife', name: 'SSEKit' },
      { file: 'dist/ssekit.min.js', format: 'iife', name: 'SSEKit', plugins: [terser(minify)] },
    ],
    plugins: [flags(true, false), es5()],
  },
  {
    input: 'src/classic-polyfill.ts',
    output: [
      { file: 'dist/polyfill.js', format: 'iife' },
      { file: 'dist/polyfill.min.js', format: 'iife', plugins: [terser(minify)] },
    ],
    // Legacy pages only: XHR, <a> and createEvent always there (see PAGE in src/legacy.ts).
    plugins: [flags(true, true), es5()],
  },
];
