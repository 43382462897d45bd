// What each capability costs in bytes: removes only it from a copy of src/, builds, and prints min+gzip deltas (page polyfill, ssekit.min.js, EventSource by esbuild).
// Run: node bench/experiments/capability-cost.mjs [name ...]   (about 15 s a build; not part of npm run bench)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const gzip = (code) => gzipSync(code, { level: 9 }).length;

// Each removal: [file under src/, text to find, replacement]. The replacement turns the capability
// off where rollup can see it is dead; a pattern no longer found fails loudly (update it).
const REMOVALS = {
  'XHR memory bound (renewal)': [
    ['connection.ts', 'received > RENEW_AFTER && handlers.renewable', 'false && handlers.renewable'],
    ['connection.ts', 'let mode = renewed ? CHECK : firstId === null ? FIRST : PASS;', 'let mode = PASS;'],
  ],
  'its replay check': [['connection.ts', 'let mode = renewed ? CHECK : firstId === null ? FIRST : PASS;', 'let mode = PASS;']],
  'CSP check': [['connection.ts', 'const watch = inDocument()', 'const watch = false && inDocument()']],
  'XHR read spacing': [['transport/xhr.ts', 'if (!force && start < readAfter) {', 'if (false) {']],
  'constructor messages': [
    ['eventsource.ts', `"Failed to construct 'EventSource': 1 argument required: the stream's URL."`, "''"],
    ['eventsource.ts', `"Failed to construct 'EventSource': The provided value is not of type 'EventSourceInit': pass { withCredentials }."`, "''"],
  ],
  'back/forward cache': [['eventsource.ts', 'if (inDocument())\n    listen(', 'if (false)\n    listen(']],
  'Symbol.toStringTag': [['eventsource.ts', "if (!LEGACY || (typeof Symbol === 'function' && Symbol.toStringTag)) {", 'if (false) {']],
  'CORS probe': [['transport/fetch.ts', "if (request.method !== 'GET' || !controller", 'if (true || !controller']],
};

const work = mkdtempSync(join(tmpdir(), 'ssekit-cost-'));
for (const f of ['package.json', 'tsconfig.json', 'rollup.config.mjs']) cpSync(join(ROOT, f), join(work, f));
symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));

async function measure(removal) {
  rmSync(join(work, 'src'), { recursive: true, force: true });
  cpSync(join(ROOT, 'src'), join(work, 'src'), { recursive: true });
  for (const [file, from, to] of removal) {
    const path = join(work, 'src', file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(from)) throw new Error(`src/${file} no longer contains: ${from}`);
    writeFileSync(path, text.replace(from, to));
  }
  execFileSync(process.execPath, [join(ROOT, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent'], { cwd: work, stdio: 'inherit' });
  const out = await build({
    stdin: { contents: `import { EventSource } from './dist/index.mjs';\nglobalThis.E = EventSource;\n`, resolveDir: work },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  return [
    gzip(readFileSync(join(work, 'dist/polyfill.min.js'), 'utf8')),
    gzip(readFileSync(join(work, 'dist/ssekit.min.js'), 'utf8')),
    gzip(out.outputFiles[0].text),
  ];
}

try {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(REMOVALS);
  const base = await measure([]);
  console.log(`with everything: polyfill.min.js ${base[0]} B, ssekit.min.js ${base[1]} B, EventSource (esbuild) ${base[2]} B\n`);
  console.log('| capability removed | polyfill.min.js | ssekit.min.js | EventSource (esbuild) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const name of names) {
    if (!REMOVALS[name]) throw new Error(`unknown capability "${name}": one of ${Object.keys(REMOVALS).join(', ')}`);
    const size = await measure(REMOVALS[name]);
    console.log(`| ${name} | ${size.map((s, i) => base[i] - s).join(' | ')} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
