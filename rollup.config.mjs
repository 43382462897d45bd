// Builds: the modern ES modules (index, parser) with declarations; the legacy-capable ES modules (polyfill, legacy); the ES5 classic scripts.
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';

// src/legacy.ts says whether IE-class paths (XHR, own UTF-8 decoder, URL merging, listener
// registry) are needed; the modern build replaces it with `false` so rollup drops those paths.
const legacyFlag = (value) => ({
  name: 'ssekit-legacy-flag',
  load(id) {
    return id.replace(/\\/g, '/').endsWith('/src/legacy.ts') ? `export const LEGACY = ${value};` : null;
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
    plugins: [legacyFlag(false), typescript({ noEmitOnError: true, declaration: true, declarationDir: 'dist', outDir: 'dist', rootDir: 'src' })],
  },
  {
    // For bundlers targeting IE-class engines too: `ssekit/polyfill` and `ssekit/legacy`.
    input: { polyfill: 'src/polyfill.ts', 'legacy/index': 'src/index.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'legacy/[name].mjs' },
    plugins: [typescript({ noEmitOnError: true, declaration: false, declarationMap: false, outDir: 'dist', rootDir: 'src' })],
  },
  {
    input: 'src/classic.ts',
    output: [
      { file: 'dist/ssekit.js', format: 'iife', name: 'SSEKit' },
      { file: 'dist/ssekit.min.js', format: 'iife', name: 'SSEKit', plugins: [terser(minify)] },
    ],
    plugins: [es5()],
  },
  {
    input: 'src/classic-polyfill.ts',
    output: [
      { file: 'dist/polyfill.js', format: 'iife' },
      { file: 'dist/polyfill.min.js', format: 'iife', plugins: [terser(minify)] },
    ],
    plugins: [es5()],
  },
];
