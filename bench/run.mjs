// `npm run bench`: every benchmark in its own Node process (parser, size, conformance, browser, shared), tables to stdout, JSON to bench/results/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const parts = (process.env.BENCH_PARTS || 'parser,size,conformance,browser,shared').split(',');
const started = Date.now();
mkdirSync(HERE + 'results', { recursive: true });
console.log(
  `ssekit bench — ${new Date().toISOString()} — Node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}, ${os.platform()} ${os.release()}${process.env.BENCH_QUICK ? ' — BENCH_QUICK' : ''}\n`,
);
let failed = false;
for (const part of parts) {
  const t0 = Date.now();
  // A process each: the parser bench gets a clean heap, and a failing part does not hide the others.
  const r = spawnSync(process.execPath, [HERE + part + '.mjs'], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  console.log(`\n(${part}: ${((Date.now() - t0) / 1000).toFixed(0)} s${r.status === 0 ? '' : `, FAILED with status ${r.status}`})\n`);
  if (r.status !== 0) failed = true;
}
writeFileSync(
  HERE + 'results/machine.json',
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      memory: os.totalmem(),
      os: `${os.platform()} ${os.release()}`,
      seconds: (Date.now() - started) / 1000,
    },
    null,
    1,
  ) + '\n',
);
console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; JSON in bench/results/`);
process.exit(failed ? 1 : 0);
