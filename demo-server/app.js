// The demo server (Koa, as in the seed): the seed's endpoints and pages in three modes, dist/ served statically, and scripted streams that record what they receive for the e2e tests.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import Router from '@koa/router';
import { clientPage, fuzzPage, harnessPage, lifecyclePage, seedPage, HARNESS_MODES, MODES } from './pages.js';
import { mountShowcase } from './showcase.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CONTENT_TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

// The streams the page may open; anything else would let a query string inject script into the page.
const SEED_SOURCES = ['/event', '/stream'];

/**
 * @typedef {object} LogEntry
 * @property {number} seq         order of arrival over the whole app
 * @property {string} method
 * @property {string} url         path and query as received
 * @property {string} path
 * @property {Record<string, string | string[] | undefined>} headers  as Node parsed them (names lower-cased, values OWS-trimmed)
 * @property {string[]} rawHeaders as Node received them (case kept; HTTP parsing already trimmed surrounding spaces)
 * @property {number} time        Date.now() at arrival
 * @property {string} [key]       scripted stream key
 * @property {string} [leg]       scripted stream leg ('' for the main one)
 * @property {number} [index]     connection number within the key and leg, from 0
 * @property {number} [closedAt]  Date.now() when the response was finished or the socket went away
 * @property {boolean} [finished] the server ended the response normally
 * @property {boolean} [destroyed] the server reset the socket on purpose (scripted 'destroy')
 * @property {boolean} [aborted]  the client went away before the server ended the response
 * @property {string} [body]      request body, for /client/echo and /client/chat
 * @property {boolean} [preflight] an OPTIONS request answered by the script's `preflight`
 */

/** An append-only log of the requests the app received (bounded: the demo may run for days). */
export function createRequestLog(limit = 10000) {
  /** @type {LogEntry[]} */
  const entries = [];
  let seq = 0;
  return {
    entries,
    /** @param {Omit<LogEntry, 'seq'>} entry */
    add(entry) {
      const full = /** @type {LogEntry} */ ({ seq: seq++, ...entry });
      entries.push(full);
      if (entries.length > limit) entries.splice(0, entries.length - limit);
      return full;
    },
    /** Entries of one scripted stream key, in arrival order. */
    forKey(/** @type {string} */ key) {
      return entries.filter((e) => e.key === key);
    },
    /** The sequence number the next request will get: entries with seq >= mark arrived later. */
    mark() {
      return seq;
    },
  };
}

/**
 * Reports of test pages by key (POST /report/KEY): each kept until taken, waited for with a bound.
 * The key is chosen by the test (a scripted stream key, or its own), so pages cannot mix them up.
 */
export function createReports() {
  /** @type {Map<string, unknown>} */
  const arrived = new Map();
  /** @type {Map<string, (value: unknown) => void>} */
  const waiting = new Map();
  return {
    /** @param {string} key @param {unknown} value */
    put(key, value) {
      const resolve = waiting.get(key);
      waiting.delete(key);
      if (resolve) resolve(value);
      else arrived.set(key, value);
    },
    /**
     * The report for `key`, taken (a key reports once): resolves with it, or with undefined when
     * none arrived within `timeout` ms.
     * @param {string} key @param {number} timeout
     * @returns {Promise<unknown>}
     */
    take(key, timeout) {
      if (arrived.has(key)) {
        const value = arrived.get(key);
        arrived.delete(key);
        return Promise.resolve(value);
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(key);
          resolve(undefined);
        }, timeout);
        waiting.set(key, (value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
  };
}

const delay = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {string | Uint8Array | number[] | { wait: number }} Chunk
 *   a string is sent as UTF-8; bytes as they are; `{ wait }` pauses before the next chunk
 * @typedef {object} ScriptedConnection
 * @property {number} [status]   default 200
 * @property {Record<string, string>} [headers] replace the defaults (text/event-stream, no-store); `{self}` in a value becomes this stream's path
 * @property {Chunk[]} [chunks]
 * @property {number} [gap]      ms between two data chunks (default 10): enough for the client to read them apart
 * @property {'end' | 'open' | 'destroy'} [end] after the chunks: end the body (default), keep it open until the client leaves, or reset the socket
 * @typedef {object} ScriptDefinition
 * @property {ScriptedConnection[]} connections  per connection to /script/KEY, in order; past the end: 204 (fails the EventSource, nothing hangs)
 * @property {Record<string, ScriptedConnection[]>} [legs] more paths, /script/KEY/LEG (redirect targets)
 * @property {Record<string, unknown>} [page] the harness page's config (see pages.js)
 * @property {ScriptedConnection} [preflight] the answer to every OPTIONS request to the key's paths (logged with `preflight: true`); without it an OPTIONS request takes a connection's turn
 */

const DEFAULT_HEADERS = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' };

function chunkBytes(/** @type {Exclude<Chunk, { wait: number }>} */ chunk) {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.from(chunk);
}

/**
 * Builds the Koa app. `options.root`: the directory holding dist/ (default: the repository).
 * `options.logLimit`: how many requests the log keeps.
 */
export function createApp(options = {}) {
  const root = options.root || ROOT;
  const distDir = path.join(root, 'dist');
  const log = createRequestLog(options.logLimit);
  /** @type {Map<string, ScriptDefinition>} */
  const scripts = new Map();
  /** @type {Map<string, number>} */
  const counters = new Map();
  /** The responses of each key not closed yet, for `scripts.release`. @type {Map<string, Set<import('node:http').ServerResponse>>} */
  const live = new Map();
  let nextKey = 0;
  const reports = createReports();

  const router = new Router();

  // The seed's endpoint, kept as the seed wrote it (only `require` became `import`). It writes the
  // head and the first event to ctx.res and returns without a body, so Koa's respond() finishes
  // the response at once: one event per connection, and the browser reconnects with
  // Last-Event-ID. Koa 3 sees no body, so it ends the response with its status message, "OK"
  // (writeHead(200) set the status); with no line break after it, that is a partial line, which
  // the spec discards at the end of the stream. The 'close' handler then clears the timer.
  router.get('/event', async (ctx) => {
    ctx.res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      'Access-Control-Allow-Origin': '*',
    });

    const lastEventId = Number(ctx.request.headers['last-event-id']) || Number(ctx.query.id) || 100;
    let timeoutId = 0;
    let i = lastEventId;
    let c = i + 100;

    let f = function () {
      if (++i < c) {
        ctx.res.write(`id: ${i} \n`);
        ctx.res.write(`data: ${i} \n\n`);
        timeoutId = setTimeout(f, 1000);
      } else {
        ctx.res.end();
      }
    };

    f();

    ctx.res.on('close', function () {
      clearTimeout(timeoutId);
    });
  });

  // The same events on one held-open connection, the way the seed meant it.
  router.get('/stream', async (ctx) => {
    ctx.respond = false;
    ctx.res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      'Access-Control-Allow-Origin': '*',
    });
    const lastEventId = Number(ctx.request.headers['last-event-id']) || Number(ctx.query.id) || 100;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timeoutId;
    let i = lastEventId;
    const c = i + 100;
    const f = function () {
      if (++i < c) {
        ctx.res.write(`id: ${i} \n`);
        ctx.res.write(`data: ${i} \n\n`);
        timeoutId = setTimeout(f, 1000);
      } else {
        ctx.res.end();
      }
    };
    f();
    ctx.res.on('close', () => clearTimeout(timeoutId));
  });

  for (const mode of MODES) {
    router.get(mode.path, (ctx) => {
      const src = typeof ctx.query.src === 'string' && SEED_SOURCES.includes(ctx.query.src) ? ctx.query.src : '/event';
      // ?report=KEY&count=N (the e2e tests): report the page's first N lines as KEY.
      const key = typeof ctx.query.report === 'string' && /^[\w-]{1,40}$/.test(ctx.query.report) ? ctx.query.report : '';
      const count = Number(ctx.query.count);
      const watch = key && Number.isInteger(count) && count > 0 && count <= 100 ? { key, count } : undefined;
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'html';
      ctx.body = seedPage(mode.name, src, watch);
    });
  }

  // One scenario of the e2e table in one mode: /harness?mode=native|modern|legacy|shared&key=KEY[&reportAfter=MS]; the page reports to /report/KEY.
  router.get('/harness', (ctx) => {
    const mode = HARNESS_MODES.find((m) => m.name === ctx.query.mode);
    const key = typeof ctx.query.key === 'string' ? ctx.query.key : '';
    const script = scripts.get(key);
    if (!mode || !script) {
      ctx.status = 404;
      ctx.body = 'Unknown mode or scenario key: use /harness?mode=native|modern|legacy|shared&key=KEY with a key from scripts.add().';
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    // The page's Content-Security-Policy, when the scenario gives one (a stream URL the page may not connect to).
    if (script.page && typeof script.page.csp === 'string') ctx.set('Content-Security-Policy', script.page.csp);
    ctx.type = 'html';
    // ?reportAfter=MS: when the page reports what it has if the scenario has not finished (default 5 s).
    const reportAfter = Math.min(Math.max(Number(ctx.query.reportAfter) || 5000, 100), 600_000);
    const config = { url: `/script/${key}`, ...script.page, key, reportAfter };
    // `{self}` in a page URL becomes the stream's path (a cross-origin scenario names another origin).
    if (typeof config.url === 'string') config.url = config.url.split('{self}').join(`/script/${key}`);
    ctx.body = harnessPage(mode.name, config);
  });

  // The lifecycle test page: /lifecycle?mode=native|modern|legacy&key=KEY, KEY from scripts.add({ connections, page: { api, options } }).
  // Not no-store (Cache-Control: no-cache), so that a browser may keep it in its back/forward cache.
  router.get('/lifecycle', (ctx) => {
    const mode = MODES.find((m) => m.name === ctx.query.mode);
    const key = typeof ctx.query.key === 'string' ? ctx.query.key : '';
    const script = scripts.get(key);
    if (!mode || !script || !script.page || (mode.name === 'native' && script.page.api === 'connect')) {
      ctx.status = 404;
      ctx.body = 'Unknown mode or lifecycle key: use /lifecycle?mode=native|modern|legacy&key=KEY (connect() has no native mode).';
      return;
    }
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'html';
    ctx.body = lifecyclePage(mode.name, {
      api: script.page.api === 'connect' ? 'connect' : 'eventsource',
      url: `/script/${key}`,
      options: script.page.options || {},
      ...(script.page.report ? { report: key } : {}),
    });
  });

  // Where the lifecycle test navigates to and comes back from.
  router.get('/lifecycle/away', (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'html';
    ctx.body = '<!DOCTYPE html><title>away</title><p>Another page: go back.</p>';
  });

  // The fuzz test's page: one batch of cases in one mode, /fuzz?mode=native|modern|legacy&key=KEY,
  // KEY from scripts.add({ connections: [], page: { cases: [{ url, listen }], lanes, caseTimeout } }).
  router.get('/fuzz', (ctx) => {
    const mode = MODES.find((m) => m.name === ctx.query.mode);
    const script = typeof ctx.query.key === 'string' ? scripts.get(ctx.query.key) : undefined;
    if (!mode || !script || !script.page) {
      ctx.status = 404;
      ctx.body = 'Unknown mode or fuzz batch key: use /fuzz?mode=native|modern|legacy&key=KEY.';
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = fuzzPage(mode.name, { ...script.page, key: ctx.query.key });
  });

  // What a test page found (see `report` in pages.js), for the test waiting on that key.
  router.post('/report/:key', async (ctx) => {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    let value;
    try {
      value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      ctx.status = 400;
      ctx.body = 'A report is a JSON body.';
      return;
    }
    reports.put(ctx.params.key ?? '', value);
    ctx.status = 204;
  });

  // The wrapper's e2e page: ssekit's connect() as SSEKit.connect, in the modern or IE-class page.
  router.get('/client', (ctx) => {
    const mode = ctx.query.mode === 'legacy' ? 'legacy' : 'modern';
    const name = typeof ctx.query.case === 'string' ? ctx.query.case : '';
    const tag = typeof ctx.query.tag === 'string' ? ctx.query.tag : '';
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = clientPage(mode, name, tag);
  });

  // Echoes what the client sent (method, Authorization, body, Last-Event-ID) as one event, then ends
  // the body, so every (re)connection is seen: the wrapper's headers, POST and resume tests.
  let echoes = 0;
  router.all('/client/echo', async (ctx) => {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    /** @type {LogEntry} */ (ctx.state.entry).body = body;
    const id = ++echoes;
    const payload = {
      method: ctx.method,
      auth: ctx.get('Authorization') || null,
      contentType: ctx.get('Content-Type') || null,
      body,
      lastEventId: ctx.get('Last-Event-ID') || null,
      query: ctx.querystring,
    };
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/event-stream';
    ctx.body = `retry: 20\nid: ${id}\ndata: ${JSON.stringify(payload)}\n\n`;
  });

  // A stream behind a token: 401 unless `Authorization: Bearer fresh`, then one event, held open
  // until the client leaves (the wrapper's onResponse refresh-on-401 test).
  router.get('/client/auth', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (ctx.get('Authorization') !== 'Bearer fresh') {
      ctx.status = 401;
      ctx.type = 'text/plain';
      ctx.body = 'token expired';
      return;
    }
    ctx.respond = false;
    ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Session': 's1' });
    ctx.res.write('data: welcome\n\n');
  });

  // An LLM chat completion as OpenAI / OpenRouter send it: keep-alive comments, JSON chunks, then
  // data: [DONE], then the end of the body (the wrapper's json: true end-of-stream test).
  router.post('/client/chat', async (ctx) => {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    /** @type {LogEntry} */ (ctx.state.entry).body = Buffer.concat(chunks).toString('utf8');
    ctx.respond = false;
    const res = ctx.res;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' });
    res.write(': OPENROUTER PROCESSING\n\n');
    for (const token of ['Hel', 'lo', ' w\u00f6rld']) res.write('data: ' + JSON.stringify({ choices: [{ delta: { content: token } }] }) + '\n\n');
    res.write(': OPENROUTER PROCESSING\n\n');
    res.end('data: [DONE]\n\n');
  });

  // An answer cut off: one event, then the socket is reset in the middle of the chunked body (1 s
  // later, so the event is read first: a fetch body's error drops what the page has not read).
  router.post('/client/cut', async (ctx) => {
    for await (const chunk of ctx.req) void chunk;
    ctx.respond = false;
    ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    ctx.res.write('data: part\n\n');
    const timer = setTimeout(() => ctx.req.socket.destroy(), 1000);
    ctx.res.on('close', () => clearTimeout(timer));
  });

  // One event, then held open until the client leaves: the abort tests watch the log for that.
  router.get('/client/hold', (ctx) => {
    ctx.respond = false;
    ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    ctx.res.write('data: held\n\n');
  });

  // ssekit/shared's e2e tests (e2e/shared.spec.ts). A counting stream: `id: n` and
  // `data: {"n", "tab", "user"}` (the X-Tab and X-User request headers, null when absent) every
  // `every` ms (default 50), from the event after the request's Last-Event-ID (or 1), held open
  // until the client leaves; at most 100,000 events. Tests find their requests by a `tag` in the query.
  router.get('/shared/count', (ctx) => {
    const every = Math.min(Math.max(Number(ctx.query.every) || 50, 10), 10_000);
    const tab = ctx.get('X-Tab') || null;
    const user = ctx.get('X-User') || null;
    let n = Number(ctx.get('Last-Event-ID')) || 0;
    const last = n + 100_000;
    ctx.respond = false;
    const res = ctx.res;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    const tick = () => {
      if (++n > last) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(`id: ${n}\ndata: ${JSON.stringify({ n, tab, user })}\n\n`);
    };
    const timer = setInterval(tick, every);
    tick();
    res.on('close', () => clearInterval(timer));
  });

  // An ordinary request (the six-connections test waits for its answer) and an empty page of the origin.
  router.get('/shared/ping', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = 'pong';
  });
  router.get('/shared/blank', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>ssekit/shared test page</title></head><body></body></html>';
  });

  /** @param {import('koa').Context} ctx */
  const scripted = async (ctx) => {
    const key = ctx.params.key ?? '';
    const leg = ctx.params.leg || '';
    const script = scripts.get(key);
    if (!script) {
      ctx.status = 404;
      ctx.body = `No scripted stream "${key}": register one with app.scripts.add(definition).`;
      return;
    }
    let responses = live.get(key);
    if (!responses) live.set(key, (responses = new Set()));
    const res = ctx.res;
    responses.add(res);
    res.on('close', () => responses.delete(res));
    // A CORS preflight, when the script answers them: served apart, so it takes no connection's turn.
    if (ctx.method === 'OPTIONS' && script.preflight) {
      Object.assign(ctx.state.entry, { key, leg, preflight: true });
      await serveScripted(ctx, script.preflight, `/script/${key}`);
      return;
    }
    const counterKey = key + '/' + leg;
    const index = counters.get(counterKey) || 0;
    counters.set(counterKey, index + 1);
    /** @type {LogEntry} */ (ctx.state.entry).key = key;
    ctx.state.entry.leg = leg;
    ctx.state.entry.index = index;
    const list = leg ? script.legs?.[leg] : script.connections;
    const connection = list?.[index] || { status: 204, headers: {}, chunks: [] };
    await serveScripted(ctx, connection, `/script/${key}`);
  };
  router.all('/script/:key', scripted);
  router.all('/script/:key/:leg', scripted);

  mountShowcase(router);

  const app = new Koa();
  // A client that goes away mid-request (a page navigating on, a test leaving it) is no server
  // error; anything else is printed, as Koa does by default.
  app.on('error', (/** @type {NodeJS.ErrnoException} */ error) => {
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || error.code === 'ECONNABORTED' || error.code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    console.error(error);
  });

  // dist/ as built by rollup; a dozen lines instead of a static-file dependency.
  app.use(async (ctx, next) => {
    if (!ctx.path.startsWith('/dist/')) return next();
    let file = '';
    try {
      file = path.resolve(distDir, '.' + decodeURIComponent(ctx.path.slice('/dist'.length)));
    } catch {
      // A malformed %-escape names no file.
    }
    if (!file.startsWith(distDir + path.sep)) {
      ctx.status = 404;
      return;
    }
    try {
      ctx.body = await readFile(file);
    } catch {
      ctx.status = 404;
      ctx.body = `Not in dist/: ${ctx.path}. Run \`npm run build\` first.`;
      return;
    }
    ctx.type = CONTENT_TYPES[/** @type {keyof typeof CONTENT_TYPES} */ (path.extname(file))] || 'application/octet-stream';
    ctx.set('Cache-Control', 'no-store');
  });

  // Every request but the static files goes in the log, with how its response ended.
  app.use(async (ctx, next) => {
    if (ctx.path.startsWith('/dist/') || ctx.path.startsWith('/report/') || ctx.path === '/favicon.ico') return next();
    const entry = log.add({
      method: ctx.method,
      url: ctx.url,
      path: ctx.path,
      headers: { ...ctx.request.headers },
      rawHeaders: ctx.req.rawHeaders.slice(),
      time: Date.now(),
    });
    ctx.state.entry = entry;
    const res = ctx.res;
    res.on('close', () => {
      entry.closedAt = Date.now();
      entry.finished = res.writableFinished;
      entry.aborted = !res.writableFinished && !entry.destroyed;
    });
    return next();
  });
  app.use(router.routes()).use(router.allowedMethods());

  return Object.assign(app, {
    log,
    reports,
    scripts: {
      /** Registers a scripted stream; returns its key (served at /script/KEY). */
      add(/** @type {ScriptDefinition} */ definition) {
        const key = 's' + nextKey++;
        scripts.set(key, definition);
        return key;
      },
      get: (/** @type {string} */ key) => scripts.get(key),
      /**
       * Closes the sockets of every response of `key` still open. For a test whose page is gone:
       * a browser may keep a cancelled response's socket open for seconds to drain it for reuse.
       */
      release(/** @type {string} */ key) {
        for (const res of live.get(key) || []) res.socket?.destroy();
        live.delete(key);
      },
    },
  });
}

/**
 * Plays one scripted connection: head, chunks with pauses, then end, hold, or reset.
 * @param {import('koa').Context} ctx
 * @param {ScriptedConnection} connection
 * @param {string} self
 */
async function serveScripted(ctx, connection, self) {
  ctx.respond = false;
  const res = ctx.res;
  const socket = ctx.req.socket;
  socket.setNoDelay(true);
  let gone = false;
  res.on('close', () => {
    gone = true;
  });
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [name, value] of Object.entries(connection.headers || DEFAULT_HEADERS)) headers[name] = value.split('{self}').join(self);
  res.writeHead(connection.status || 200, headers);
  res.flushHeaders();
  const gap = connection.gap ?? 10;
  for (const chunk of connection.chunks || []) {
    if (gone) return;
    if (typeof chunk === 'object' && chunk !== null && 'wait' in chunk) {
      await delay(chunk.wait);
      continue;
    }
    res.write(chunkBytes(chunk));
    await delay(gap);
  }
  if (gone) return;
  const end = connection.end || 'end';
  if (end === 'end') res.end();
  else if (end === 'destroy') {
    ctx.state.entry.destroyed = true;
    socket.destroy();
  }
}
