// One-off: A/B parser builds against the decode + scan baseline, per workload and chunk size, interleaved in one process (issue 17).
//
// node bench/experiments/parser-ab.mjs a.mjs b.mjs [a-copy.mjs ...]   (each a module exporting createParser)
// env: W workloads (lib/workloads.mjs names, plus `lf`: crlf's events with LF ends), C chunk sizes,
// N rounds per cell (9), S workload scale (1).
// Pass the same build twice under two file names (an A/A control): on the shared 2-core machine two
// copies of one parser differed by up to 7 % per cell, so a smaller difference is not a result.
// Each candidate gets its own driver function (its own type feedback at feed and onEvent). Printed
// per cell: min ms, then median-of-per-round ratio / ratio of mins × baseline, and the same × c1.
import { parserWorkloads, namedWithIds } from '../lib/workloads.mjs';

const paths = process.argv.slice(2);
if (paths.length === 0) throw new Error('usage: node bench/experiments/parser-ab.mjs a.mjs [b.mjs ...]');
const mods = await Promise.all(paths.map((p) => import(new URL(p, `file://${process.cwd()}/`).href)));
const driver = (createParser) =>
  new Function(
    'createParser',
    `return function (chunks) {
      const decoder = new TextDecoder();
      let events = 0, dataLength = 0;
      const parser = createParser({ onEvent(e) { events++; dataLength += e.data.length; } });
      for (let i = 0; i < chunks.length; i++) { const text = decoder.decode(chunks[i], { stream: true }); if (text !== '') parser.feed(text); }
      return events * 1e9 + dataLength;
    }`,
  )(createParser);
const baseline = (chunks) => {
  const decoder = new TextDecoder();
  let n = 0;
  const count = (t) => {
    n += t.length;
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) n++;
  };
  for (let i = 0; i < chunks.length; i++) count(decoder.decode(chunks[i], { stream: true }));
  count(decoder.decode());
  return n;
};
const all = [baseline, ...mods.map((m) => driver(m.createParser))];
const N = Number(process.env.N || 9);
const names = (process.env.W || 'small,1KB,64KB,multiline,crlf,mix').split(',');
const ws = parserWorkloads(Number(process.env.S || 1), names.filter((x) => x !== 'lf').join(',') || 'small');
if (names.includes('lf')) ws.push(namedWithIds('lf', 100000, 40, '\n'));
const CS = (process.env.C || '65536,1024,16').split(',').map(Number);
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const geo = {};
for (const w of ws) {
  for (const C of CS) {
    const chunks = [];
    for (let o = 0; o < w.bytes.length; o += C) chunks.push(w.bytes.subarray(o, o + C));
    const t = all.map(() => []);
    for (const f of all) f(chunks);
    for (let r = 0; r < N; r++) {
      for (let k = 0; k < all.length; k++) {
        const f = (k + r) % all.length;
        const t0 = performance.now();
        const res = all[f](chunks);
        t[f].push(performance.now() - t0);
        if (f > 0 && res !== w.events * 1e9 + w.dataLength) throw new Error(`${paths[f - 1]} is wrong on ${w.name}`);
      }
    }
    const mins = t.map((ts) => Math.min(...ts));
    const ratio = (i, j) => `${med(t[i].map((x, r) => t[j][r] / x)).toFixed(2)}/${(mins[j] / mins[i]).toFixed(2)}`;
    const cells = t.map((_, i) =>
      i === 0 ? `base ${mins[0].toFixed(1)}ms` : `c${i} ${mins[i].toFixed(1)}ms ${ratio(i, 0)}${i > 1 ? ` (${ratio(i, 1)} × c1)` : ''}`,
    );
    console.log(w.name.padEnd(10), String(C).padStart(6), cells.join('  '));
    for (let i = 1; i < all.length; i++) (geo[`${C}:${i}`] ||= []).push(med(t[i].map((x, r) => t[0][r] / x)));
  }
}
for (const C of CS) {
  const g = paths.map((_, j) => {
    const xs = geo[`${C}:${j + 1}`];
    return `c${j + 1} ${Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length).toFixed(3)}`;
  });
  console.log('geomean', C, g.join('  '));
}
