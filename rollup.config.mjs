// Builds: the modern ES modules (index, parser) with declarations; the legacy-capable ES modules (polyfill, legacy); the ES5 classic scripts.
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';

// src/legacy.ts says whether IE-class paths (XHR, URL merging, listener registry) are needed
// (LEGACY) and whether the build runs in legacy documents only (PAGE); each build fixes both, so
// rollup drops the paths it cannot take.
const flags = (LEGACY, PAGE) => ({
  name: 'ssekit-build-flags',
  load(id) {
    return id.replace(/\\/g, '/').endsWith('/src/legacy.ts') ? `export const LEGACY = ${LEGACY};\nexport const PAGE = ${PAGE};` : null;
  },
});

const es5 = () => typescript({ target: 'ES5', noEmitOnError: true, declaration: false, declarationMap: false, outDir: undefined, rootDir: 'src' });

const minify = { ecma: 5, safari10: true, compress: { passes: 2 } };

export default [
  {
    // Evergreen browsers, workers, Node 18+: streaming fetch, TextDecoder, URL and EventTarget assumed.
    // One file per module, so bundlers honouring "sideEffects": false drop what is not imported.
    input: { index: 'src/index.ts', parser: 'src/parser.ts' },
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].mjs' },
    plugins: [flags(false, false), typescript({ noEmitOnError: true, declaration: true, declarationDir: 'dist', outDir: 'dist', rootDir: 'src' })],
  },
  {
    // For bundlers targeting IE-class engines too: `ssekit/polyfill` and `ssekit/legacy`.
    input: { polyfill: 'src/polyfill.ts', 'legacy/index': 'src/index.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'legacy/[name].mjs' },
    plugins: [flags(true, false), typescript({ noEmitOnError: true, declaration: false, declarationMap: false, outDir: 'dist', rootDir: 'src' })],
  },
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
