// Local HTTP server for the browser bench (127.0.0.1, port 0): candidate pages, scripts, and pre-generated event streams.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MIB = 1 << 20;

/**
 * How the server hands a stream to the socket (`?write=` on a stream URL): the whole body in one
 * write (as a proxy or a fast backend hands it over), 1 MiB writes waiting for the socket to drain,
 * or 1 KB every 1 ms (a paced producer: many small network reads, many XHR callbacks).
 */
export const WRITE_PATTERNS = {
  whole: { label: 'one write', size: Infinity, pauseMs: 0 },
  mib: { label: '1 MiB writes', size: MIB, pauseMs: 0 },
  paced: { label: '1 KB / 1 ms', size: 1024, pauseMs: 1 },
};

/** How each candidate's page gets its EventSource constructor. */
export const CANDIDATES = {
  native: { label: 'native', body: '<script>__bench.use(EventSource)</script>' },
  modern: { label: 'ssekit modern (fetch)', body: "<script type=module>import { EventSource } from '/dist/index.mjs'; __bench.use(EventSource);</script>" },
  legacy: {
    label: 'ssekit legacy (XHR, IE-class page)',
    legacy: true,
    // What a legacy page loads: the page-only polyfill, which installs EventSource and nothing else.
    body: '<script src="/dist/polyfill.min.js"></script><script>if (typeof EventSource !== "function" || /native code/.test(EventSource)) throw new Error("not installed"); __bench.use(EventSource)</script>',
  },
  yaffle: {
    label: "Yaffle's event-source-polyfill",
    body: '<script src="/nm/event-source-polyfill/src/eventsource.min.js"></script><script>__bench.use(EventSourcePolyfill)</script>',
  },
  eventsource4: {
    label: 'eventsource@4 (bundled)',
    body: '<script src="/build/eventsource4.js"></script><script>__bench.use(EventSourcePkg.EventSource)</script>',
  },
  // Throughput only: the bare transports (lib/harness.js), to show what no JS EventSource can beat.
  'floor-fetch': { label: 'floor: fetch + TextDecoder, count LFs', floor: 'fetch', body: "<script>__bench.useFloor('fetch')</script>" },
  'floor-xhr': { label: 'floor: XHR responseText, count LFs (IE-class page)', floor: 'xhr', legacy: true, body: "<script>__bench.useFloor('xhr')</script>" },
};

const FILES = {
  '/harness.js': 'bench/lib/harness.js',
  '/nm/event-source-polyfill/src/eventsource.min.js': 'node_modules/event-source-polyfill/src/eventsource.min.js',
  '/build/eventsource4.js': 'bench/.build/eventsource4.js',
};

// Writes `body` in writes of `pattern` (default 1 MiB), waiting for the socket to drain; stops when the client is gone.
async function writeAll(res, body, pattern = WRITE_PATTERNS.mib) {
  const size = Math.min(pattern.size, body.length || 1);
  for (let off = 0; off < body.length && !res.destroyed; off += size) {
    if (pattern.pauseMs && off > 0) await new Promise((resolve) => setTimeout(resolve, pattern.pauseMs));
    if (!res.write(body.subarray(off, off + size))) {
      await new Promise((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
}

// Offsets where each event of a segment starts (after each blank line), for resuming mid-segment.
function eventStarts(bytes) {
  const starts = [0];
  for (let i = 1; i < bytes.length; i++) if (bytes[i] === 10 && bytes[i - 1] === 10 && i + 1 < bytes.length) starts.push(i + 1);
  return starts;
}

/**
 * Starts the server. `streams` maps a name to a Buffer written whole and then held open until the
 * client goes; `/reconnect` sends `retry: 250` and one event, then ends. `/segmented/KIND/TOKEN`
 * is one logical stream made of segments `segmented[KIND].make(k)` (`perSegment` events each,
 * event i with id i when `ids`), released one at a time by `pushSegment(TOKEN)`; a new request for
 * the same TOKEN with `Last-Event-ID` resumes after that event (a client renewing its request).
 */
export async function startServer({ streams = {}, segmented = {} } = {}) {
  const open = new Map(); // token -> { kind, res, released, seg, off, requests, cache }
  const segment = (st, k) => {
    if (!st.cache.has(k)) {
      const bytes = st.kind.make(k);
      st.cache.clear();
      st.cache.set(k, { bytes, starts: st.kind.ids ? eventStarts(bytes) : null });
    }
    return st.cache.get(k);
  };
  // Writes what has been released past the stream's position to its current response.
  const flush = async (st) => {
    while (st.res && !st.res.destroyed && st.seg < st.released) {
      const { bytes } = segment(st, st.seg);
      const body = bytes.subarray(st.off);
      st.seg++;
      st.off = 0;
      await writeAll(st.res, body);
    }
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const path = url.pathname;
    if (path.startsWith('/page/')) {
      const c = CANDIDATES[path.slice(6)];
      if (!c) return notFound(res);
      const html = `<!doctype html><meta charset=utf-8><title>${c.label}</title><script src="/harness.js"></script>${c.body}`;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      return res.end(html);
    }
    let file = FILES[path];
    if (path.startsWith('/dist/') && /^[\w./-]+$/.test(path) && !path.includes('..')) file = path.slice(1);
    if (file) {
      if (!existsSync(ROOT + file)) return notFound(res);
      const type = file.endsWith('.mjs') || file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      return res.end(readFileSync(ROOT + file));
    }
    if (path.startsWith('/stream/') && streams[path.slice(8)]) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      // A renewed request (ssekit's XHR memory bound) resumes after its Last-Event-ID, as a real server does.
      let body = streams[path.slice(8)];
      const last = req.headers['last-event-id'];
      if (last !== undefined) {
        const at = body.indexOf(`id: ${Number(last) + 1}\n`);
        const before = at === -1 ? -1 : body.lastIndexOf('\n\n', at);
        body = at === -1 ? body.subarray(body.length) : body.subarray(before === -1 ? 0 : before + 2);
      }
      const pattern = WRITE_PATTERNS[url.searchParams.get('write') || 'mib'];
      if (!pattern) return notFound(res);
      return writeAll(res, body, pattern); // held open: the page closes at its N-th event
    }
    if (path === '/reconnect') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      return res.end('retry: 250\ndata: hello\n\n');
    }
    const seg = /^\/segmented\/(\w+)\/([\w-]+)$/.exec(path);
    if (seg && segmented[seg[1]]) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.flushHeaders();
      let st = open.get(seg[2]);
      if (!st) open.set(seg[2], (st = { kind: segmented[seg[1]], res: null, released: 0, seg: 0, off: 0, requests: 0, resumed: [], cache: new Map() }));
      st.requests++;
      const last = req.headers['last-event-id'];
      if (st.kind.ids && last !== undefined) {
        const next = Number(last) + 1;
        st.seg = Math.floor(next / st.kind.perSegment);
        st.off = st.seg < st.released ? segment(st, st.seg).starts[next % st.kind.perSegment] : 0;
        st.resumed.push(next);
      }
      if (st.res && st.res !== res) st.res.end();
      st.res = res;
      return flush(st);
    }
    notFound(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    /** Releases the next segment of a segmented stream and writes it to the open response. */
    async pushSegment(token) {
      const st = open.get(token);
      if (!st) throw new Error(`no request for segmented stream ${token}`);
      st.released++;
      await flush(st);
    },
    hasRequest: (token) => open.has(token),
    /** How many requests the stream got, and the event indexes renewals resumed at. */
    requests: (token) => ({ requests: open.get(token)?.requests ?? 0, resumed: open.get(token)?.resumed ?? [] }),
    endSegmented(token) {
      const st = open.get(token);
      open.delete(token);
      if (st?.res) st.res.end();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

function notFound(res) {
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found');
}
