// Builds: ES modules (index, polyfill, parser) with declarations, and the ES5 classic scripts ssekit.js / ssekit.min.js.
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';

const es5 = () => typescript({ target: 'ES5', noEmitOnError: true, declaration: false, declarationMap: false, outDir: undefined, rootDir: 'src' });

const minify = { ecma: 5, safari10: true, compress: { passes: 2 } };

export default [
  {
    input: { index: 'src/index.ts', polyfill: 'src/polyfill.ts', parser: 'src/parser.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name].mjs' },
    plugins: [typescript({ noEmitOnError: true, declaration: true, declarationDir: 'dist', outDir: 'dist', rootDir: 'src' })],
  },
  {
    input: 'src/classic.ts',
    output: [
      { file: 'dist/ssekit.js', format: 'iife', name: 'SSEKit' },
      {
        file: 'dist/ssekit.min.js',
        format: 'iife',
        name: 'SSEKit',
        plugins: [terser(minify)],
      },
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
