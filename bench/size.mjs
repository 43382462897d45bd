// Sizes (issue 6 §5): raw, minified, min+gzip, min+brotli of every dist/ script, beside Yaffle's polyfill and eventsource@4; app bundles of ssekit, ssekit/shared (issue 16) and the smaller clients.
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { minify } from 'terser';
import { ssekitEventSourceOnly, eventsource4Module, browserModule, DIST_INDEX, DIST_SHARED, ESM_TERSER } from './lib/builds.mjs';
import { table } from './lib/stats.mjs';
import { rollup } from 'rollup';
import configs from '../rollup.config.mjs';
import { build as esbuild } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHAKEN = 'ES module EventSource alone (tree-shaken from dist/index.mjs, rollup defaults)';
const SHAKEN_SE = 'ES module EventSource alone (same, honouring package.json sideEffects)';
const ES_ES = 'ES module EventSource alone (esbuild --bundle --minify from dist/index.mjs)';
const ES_CONNECT = 'ES module connect() alone (esbuild --bundle --minify from dist/index.mjs)';
// Issue 17's targets (the esbuild rows are how it measured; the rollup rows are test/size.test.ts's).
const TARGETS = { 'dist/polyfill.min.js': 4000, 'dist/ssekit.min.js': 8500, [SHAKEN]: 3000, [SHAKEN_SE]: 3000, [ES_ES]: 3000, [ES_CONNECT]: 5000 };

// `import { name } from 'ssekit'` bundled by esbuild --bundle --minify (the measurement).
async function esbuildOnly(name) {
  const out = await esbuild({
    stdin: { contents: `import { ${name} } from ${JSON.stringify(DIST_INDEX)};\nglobalThis.x = ${name};\n`, resolveDir: ROOT },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

export const gzip = (s) => gzipSync(s, { level: 9 }).length;
export const brotli = (s) => brotliCompressSync(s, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.m?js$/.test(f) ? [p] : [];
  });
}

async function measure(name, code, { minified = null, classic = false } = {}) {
  let min = minified;
  if (min === null) {
    const r = await minify(code, classic ? { ecma: 5, safari10: true, compress: { passes: 2 } } : ESM_TERSER);
    min = r.code;
  }
  const b = (s) => Buffer.byteLength(s, 'utf8');
  return { name, raw: b(code), min: b(min), gzip: gzip(min), brotli: brotli(min), target: TARGETS[name] ?? null };
}

export async function runSizeBench() {
  const rows = [];
  for (const p of files(join(ROOT, 'dist')).sort()) {
    const code = readFileSync(p, 'utf8');
    const name = relative(ROOT, p);
    // Already-minified scripts are measured as shipped; the rest are minified like a user's bundler would.
    rows.push(await measure(name, code, { minified: /\.min\.js$/.test(p) ? code : null, classic: !p.endsWith('.mjs') }));
  }
  const shaken = await ssekitEventSourceOnly(false);
  rows.push(await measure(SHAKEN, shaken, { minified: shaken }));
  const shakenSE = await ssekitEventSourceOnly(true);
  rows.push(await measure(SHAKEN_SE, shakenSE, { minified: shakenSE }));
  for (const [label, name] of [
    [ES_ES, 'EventSource'],
    [ES_CONNECT, 'connect'],
  ]) {
    const code = await esbuildOnly(name);
    rows.push(await measure(label, code, { minified: code }));
  }
  const yaffleMin = readFileSync(fileURLToPath(import.meta.resolve('event-source-polyfill/src/eventsource.min.js')), 'utf8');
  const yaffle = readFileSync(fileURLToPath(import.meta.resolve('event-source-polyfill/src/eventsource.js')), 'utf8');
  rows.push({ ...(await measure("Yaffle's event-source-polyfill (src/eventsource.js → its .min.js)", yaffle, { minified: yaffleMin })) });
  const es4 = await eventsource4Module();
  const es4pkg = JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('eventsource/package.json')), 'utf8'));
  rows.push(await measure(`eventsource@${es4pkg.version} EventSource, ES module bundle with eventsource-parser`, es4, { minified: es4 }));
  // What an app bundles for each package's main API (rollup + node-resolve, sideEffects honoured, terser).
  const ssekit = JSON.stringify(DIST_INDEX);
  const shared = JSON.stringify(DIST_SHARED);
  const apps = [
    ['ssekit connect() alone', `export { connect } from ${ssekit};`],
    ['ssekit connect() + EventSource', `export { connect, EventSource } from ${ssekit};`],
    ['ssekit/shared SharedEventSource alone', `export { SharedEventSource } from ${shared};`],
    ['ssekit/shared connectShared() alone', `export { connectShared } from ${shared};`],
    ['ssekit/shared SharedEventSource + connectShared()', `export { SharedEventSource, connectShared } from ${shared};`],
    ['ssekit connect() + ssekit/shared connectShared()', `export { connect } from ${ssekit};\nexport { connectShared } from ${shared};`],
    ['@microsoft/fetch-event-source fetchEventSource', `export { fetchEventSource } from '@microsoft/fetch-event-source';`],
    ['fetch-event-stream stream', `export { stream } from 'fetch-event-stream';`],
    ['sse.js SSE', `export { SSE } from 'sse.js';`],
  ];
  for (const [what, entry] of apps) {
    const name = what.split(' ')[0];
    const version = name.startsWith('ssekit') ? '' : '@' + JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
    const code = await browserModule(entry);
    rows.push(await measure(`${name}${version}${what.slice(name.length)}, app bundle`, code, { minified: code }));
  }

  for (const r of rows) r.met = r.target === null ? null : r.gzip <= r.target;
  for (const t of Object.keys(TARGETS))
    if (!rows.some((r) => r.name === t)) rows.push({ name: t, raw: null, min: null, gzip: null, brotli: null, target: TARGETS[t], met: false, missing: true });

  const n = (x) => (x === null ? '—' : x.toLocaleString('en-US'));
  const text =
    'Sizes in bytes (terser, gzip -9, brotli q11)\n\n' +
    table(
      ['file', 'raw', 'min', 'min+gzip', 'min+brotli', 'target (gzip)', 'met'],
      rows.map((r) => [
        r.name,
        n(r.raw),
        n(r.min),
        n(r.gzip),
        n(r.brotli),
        r.target === null ? '' : '≤ ' + n(r.target),
        r.met === null ? '' : r.missing ? 'no (file missing)' : r.met ? 'yes' : `no (+${n(r.gzip - r.target)})`,
      ]),
    );
  const parts = await buildParts('dist/polyfill.js');
  const ssekitParts = await buildParts('dist/ssekit.js');
  const partsTable = (file, ps) =>
    `\nWhat ${file} is made of: each source module as rollup renders it into that build, minified and gzipped alone\n` +
    '(alone they add up to more than the bundle, whose gzip shares context across modules)\n\n' +
    table(
      ['module', 'min', 'min+gzip alone'],
      ps.map((p) => [p.module, n(p.min), n(p.gzip)]),
    );
  return {
    result: { bench: 'size', date: new Date().toISOString(), rows, polyfillParts: parts, ssekitParts },
    text: text + '\n' + partsTable('dist/polyfill.min.js', parts) + '\n' + partsTable('dist/ssekit.min.js', ssekitParts),
  };
}

// The build of `file` (dist/polyfill.js, dist/ssekit.js) from rollup.config.mjs (same plugins and flags), split by module.
async function buildParts(file) {
  const config = configs.find((c) => c.output.some?.((o) => o.file === file));
  if (!config) throw new Error(`rollup.config.mjs has no build writing ${file}`);
  const build = await rollup({ input: config.input, plugins: config.plugins, onwarn: () => {} });
  const { output } = await build.generate({ format: 'iife' });
  await build.close();
  const parts = [];
  for (const [id, m] of Object.entries(output[0].modules)) {
    if (!m.code) continue;
    // No top-level mangling or dropping: a module's declarations are used by the others.
    const min = (await minify(m.code, { ecma: 5, compress: { passes: 2, unused: false } })).code ?? '';
    parts.push({ module: relative(ROOT, id), min: Buffer.byteLength(min), gzip: gzip(min) });
  }
  return parts.sort((a, b) => b.gzip - a.gzip);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { result, text } = await runSizeBench();
  console.log(text);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/size.json', import.meta.url), JSON.stringify(result, null, 1) + '\n');
}
