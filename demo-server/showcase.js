// The showcase at /demo: the seed example live in three isolated panels (native, ssekit ES module, ssekit in an IE-class page), a try-the-wrapper section and the ssekit/shared card, with the endpoints they use.
import { head, MODES } from './pages.js';
import { mountSharedDemo, sharedCard, sharedCardScript, SHARED_CARD_STYLE } from './shared-demo.js';

// The streams a panel may open; anything else in the query would be written into the page.
const SOURCES = ['/event', '/stream'];

// What each panel runs, in its own words. The ES module panel imports EventSource from the package's
// main entry, as an app would (`import { EventSource } from 'ssekit'`), with the native one deleted.
/** @type {Record<string, { name: string, runs: string, accent: string }>} */
const PANEL_LOOK = {
  native: { name: 'Native EventSource', runs: "the browser's own EventSource", accent: '#4a5a78' },
  modern: { name: 'ssekit · ES module', runs: 'EventSource from /dist/index.mjs; the native one deleted', accent: '#12806a' },
  legacy: { name: 'ssekit · IE-class page', runs: 'classic ES5 /dist/ssekit.js; globals deleted as on /legacy', accent: '#b35c00' },
};

const delay = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string} text */
const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The request body as text, at most `limit` bytes (a demo endpoint has no reason to buffer more).
 * @param {import('node:http').IncomingMessage} req
 */
async function readBody(req, limit = 16 * 1024) {
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** @param {unknown} value @param {number} fallback @param {number} min @param {number} max */
function intIn(value, fallback, min, max) {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : fallback;
  return Math.min(max, Math.max(min, n));
}

/**
 * Registers the showcase's routes: GET /demo, /demo/panel, /demo/whoami, /demo/flaky, POST /demo/echo, and
 * ssekit/shared's card: /demo/shared/stream, /demo/shared/status, /demo/shared/tab (shared-demo.js).
 * @param {import('@koa/router').default} router
 */
export function mountShowcase(router) {
  mountSharedDemo(router);

  router.get('/demo', (ctx) => {
    const src = typeof ctx.query.src === 'string' && SOURCES.includes(ctx.query.src) ? ctx.query.src : '/event';
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = showcasePage(src);
  });

  router.get('/demo/panel', (ctx) => {
    const mode = MODES.find((m) => m.name === ctx.query.mode);
    if (!mode) {
      ctx.status = 404;
      ctx.body = 'Unknown mode: use /demo/panel?mode=native|modern|legacy&src=/event|/stream.';
      return;
    }
    const src = typeof ctx.query.src === 'string' && SOURCES.includes(ctx.query.src) ? ctx.query.src : '/event';
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = panelPage(mode.name, src);
  });

  // One event saying what this connection carried, then the end of the body: connect() reconnects
  // (after the `retry:` below), calling its headers function again, so each row shows a new token.
  router.get('/demo/whoami', (ctx) => {
    const lastEventId = ctx.get('Last-Event-ID');
    const payload = { authorization: ctx.get('Authorization') || null, lastEventId: lastEventId || null };
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/event-stream';
    ctx.body = `retry: 500\nid: ${(Number(lastEventId) || 0) + 1}\ndata: ${JSON.stringify(payload)}\n\n`;
  });

  // What the POST carried as an `echo` event, then its prompt back word by word, the way an LLM
  // endpoint streams an answer; the end of the body closes the stream (a POST is not re-sent).
  router.post('/demo/echo', async (ctx) => {
    const body = await readBody(ctx.req);
    if (body === null) {
      ctx.status = 413;
      ctx.body = 'The demo echoes at most 16 KiB.';
      return;
    }
    if (ctx.state.entry) ctx.state.entry.body = body;
    /** @type {unknown} */
    let prompt = body;
    try {
      const parsed = JSON.parse(body);
      if (parsed && typeof parsed.prompt === 'string') prompt = parsed.prompt;
    } catch {
      // Not JSON: echo the text as it came.
    }
    const words = String(prompt).split(/\s+/).filter(Boolean).slice(0, 40);
    ctx.respond = false;
    const res = ctx.res;
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.write(`event: echo\ndata: ${JSON.stringify({ method: ctx.method, contentType: ctx.get('Content-Type') || null, body })}\n\n`);
    for (const word of words) {
      await delay(120);
      if (gone) return;
      res.write(`data: ${JSON.stringify(word)}\n\n`);
    }
    res.end();
  });

  // 503 for the first `fails` requests of a run (?run=ID), then a stream whose one event tells
  // what the server saw: how many requests, and the gaps between them (the client's backoff).
  /** @type {Map<string, number[]>} */
  const runs = new Map();
  router.get('/demo/flaky', (ctx) => {
    const run = typeof ctx.query.run === 'string' ? ctx.query.run.slice(0, 64) : '';
    const fails = intIn(ctx.query.fails, 3, 0, 6);
    let times = runs.get(run);
    if (!times) {
      times = [];
      runs.set(run, times);
      // Bounded: the demo may run for days; the oldest run is the one nobody is watching.
      if (runs.size > 500) runs.delete(/** @type {string} */ (runs.keys().next().value));
    }
    times.push(Date.now());
    if (times.length > 50) times.shift();
    const attempt = times.length;
    ctx.set('Cache-Control', 'no-store');
    if (attempt <= fails) {
      ctx.status = 503;
      if (ctx.query.retryAfter === '1') ctx.set('Retry-After', '1');
      ctx.body = `Attempt ${attempt} of run "${run}": failing on purpose (${fails} times in all).`;
      return;
    }
    const gaps = times.slice(1).map((t, i) => t - /** @type {number} */ (times[i]));
    ctx.respond = false;
    const res = ctx.res;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.write(`data: ${JSON.stringify({ requests: attempt, gaps })}\n\n`);
    // Held open for whoever opens it by hand, but not forever.
    const timer = setTimeout(() => res.end(), 30_000);
    res.on('close', () => clearTimeout(timer));
  });
}

// The panel's engine-agnostic driver, ES5 (the IE-class panel runs it): opens the seed's stream
// with whichever EventSource the page has, logs what the seed's page logs plus the errors, and
// shows readyState (polled, since no event announces every change), last event id and reconnects.
const PANEL_SCRIPT = `function startPanel(ES, initialSrc) {
  var STATES = ['CONNECTING', 'OPEN', 'CLOSED'];
  var es = null;
  var src = initialSrc;
  var opens = 0;
  var lastId = null;
  function $(id) { return document.getElementById(id); }
  function setText(el, value) {
    el.innerHTML = '';
    el.appendChild(document.createTextNode(value));
  }
  var log = $('log');
  function line(text, kind) {
    var div = document.createElement('div');
    div.className = kind;
    div.appendChild(document.createTextNode(text));
    log.appendChild(div);
    // Bounded: a panel left open on /stream for hours would otherwise grow without end.
    while (log.childNodes.length > 300) log.removeChild(log.firstChild);
    log.scrollTop = log.scrollHeight;
  }
  function render() {
    var rs = es ? es.readyState : 2;
    var state = $('state');
    setText(state, rs + ' ' + STATES[rs]);
    state.setAttribute('data-state', String(rs));
    state.className = 'value badge s' + rs;
    var id = $('last-id');
    setText(id, lastId === null ? '(none yet)' : '"' + lastId + '"');
    id.setAttribute('data-value', lastId === null ? '' : lastId);
    var reconnects = opens > 1 ? opens - 1 : 0;
    setText($('reconnects'), String(reconnects));
    $('reconnects').setAttribute('data-count', String(reconnects));
    $('close').disabled = rs === 2;
    $('src-event').className = src === '/event' ? 'on' : '';
    $('src-stream').className = src === '/stream' ? 'on' : '';
  }
  function close() {
    if (es && es.readyState !== 2) {
      es.close();
      line('close(): no more events, no reconnection', 'note');
    }
    render();
  }
  function open(newSrc) {
    if (newSrc) src = newSrc;
    if (es) es.close();
    log.innerHTML = '';
    opens = 0;
    lastId = null;
    var url = src + '?id=50';
    document.body.setAttribute('data-src', src);
    line('new EventSource("' + url + '")', 'note');
    var current = es = new ES(url);
    // Listeners of a replaced EventSource stay quiet: close() stops events, this guards the rest.
    function live() { return current === es; }
    es.addEventListener('open', function () {
      if (!live()) return;
      opens++;
      line('SSE connected!', 'ev');
      render();
    }, false);
    es.addEventListener('message', function (e) {
      if (!live()) return;
      lastId = e.lastEventId;
      line('>>' + e.data, 'ev');
      render();
    }, false);
    es.addEventListener('error', function () {
      if (!live()) return;
      if (es.readyState === 0) line('error: reconnecting, with Last-Event-ID "' + (lastId === null ? '' : lastId) + '"', 'err');
      else line('error: readyState ' + es.readyState + ', the connection is closed for good', 'err');
      render();
    }, false);
    render();
  }
  $('close').onclick = close;
  $('reopen').onclick = function () { open(); };
  $('src-event').onclick = function () { open('/event'); };
  $('src-stream').onclick = function () { open('/stream'); };
  setInterval(render, 200);
  // The IE-class page's list of missing globals is long: clamped in view, whole on hover.
  document.addEventListener('DOMContentLoaded', function () {
    $('env').setAttribute('title', $('env').textContent);
  }, false);
  window.demoPanel = { open: open, close: close };
  open();
  document.documentElement.setAttribute('data-ready', 'true');
}`;

const PANEL_STYLE = `
  html, body { margin: 0; height: 100%; }
  body { font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; background: #fff;
    display: flex; flex-direction: column; }
  header { padding: 8px 10px 6px; color: #fff; }
  header h1 { margin: 0; font-size: 15px; }
  header p { margin: 2px 0 0; font-size: 11.5px; opacity: .92; }
  .facts { padding: 5px 10px; background: #f3f5f8; border-bottom: 1px solid #e1e5eb; font-size: 11px; color: #4a5160; }
  .facts p { margin: 1px 0; }
  #env { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
  .status { display: flex; gap: 14px; padding: 7px 10px 3px; flex-wrap: wrap; }
  .status div { display: flex; flex-direction: column; }
  .label { font-size: 10px; text-transform: uppercase; letter-spacing: .04em; color: #6b7385; }
  .value { font: 600 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre; }
  .badge { padding: 0 6px; border-radius: 9px; color: #fff; }
  .s0 { background: #c98a00; } .s1 { background: #1f8f4e; } .s2 { background: #8a8f99; }
  .controls { display: flex; gap: 6px; align-items: center; padding: 5px 10px 7px; border-bottom: 1px solid #e1e5eb; }
  button { font: inherit; font-size: 12px; padding: 3px 9px; border: 1px solid #b9c0cc; border-radius: 5px; background: #fff; cursor: pointer; }
  button:hover { background: #eef1f5; }
  button:disabled { color: #a0a6b0; cursor: default; background: #fff; }
  .seg { margin-left: auto; display: flex; }
  .seg button { border-radius: 0; margin-left: -1px; }
  .seg button:first-child { border-radius: 5px 0 0 5px; }
  .seg button:last-child { border-radius: 0 5px 5px 0; }
  .seg button.on { background: #1d2330; border-color: #1d2330; color: #fff; }
  #log { flex: 1; overflow: auto; padding: 6px 10px; font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; min-height: 0; }
  #log .ev { white-space: pre; }
  #log .note { color: #6b7385; font-style: italic; }
  #log .err { color: #b35c00; }
`;

/**
 * One panel of the showcase: the seed's stream (`src`) in one mode, with its log, readyState,
 * last event id and reconnect count, and its own close/reopen/source controls.
 * @param {import('./pages.js').ModeName} mode
 * @param {string} src
 */
export function panelPage(mode, src) {
  const look = PANEL_LOOK[mode] || { name: mode, runs: mode, accent: '#333' };
  const source = JSON.stringify(src);
  // window.__engine tells the page's reporter (pages.js) which EventSource is in use.
  const load =
    mode === 'modern'
      ? `<script type="module">
    import { EventSource } from '/dist/index.mjs';
    window.__engine = EventSource;
    startPanel(EventSource, ${source});
  </script>`
      : `${mode === 'legacy' ? '<script src="/dist/ssekit.js"></script>' : ''}
  <script>startPanel(window.EventSource, ${source});</script>`;
  return `${head(mode, `ssekit demo panel: ${look.name}`)}
  <style>${PANEL_STYLE}</style>
  <script>${PANEL_SCRIPT}</script>
</head>
<body data-mode="${mode}">
  <header style="background: ${look.accent}">
    <h1 id="mode">${escapeHtml(look.name)}</h1>
    <p id="runs">${escapeHtml(look.runs)}</p>
  </header>
  <div class="facts"><p id="engine"></p><p id="transport"></p><p id="env"></p></div>
  <div class="status">
    <div><span class="label">readyState</span><span class="value badge" id="state"></span></div>
    <div><span class="label">last event id</span><span class="value" id="last-id"></span></div>
    <div><span class="label">reconnects</span><span class="value" id="reconnects">0</span></div>
  </div>
  <div class="controls">
    <button id="close" type="button">Close</button>
    <button id="reopen" type="button">Reopen</button>
    <span class="seg"><button id="src-event" type="button" title="one event per connection">/event</button><button id="src-stream" type="button" title="one held-open connection">/stream</button></span>
  </div>
  <div id="log" aria-live="off"></div>
  ${load}
</body>
</html>`;
}

// The showcase page's own script, run as a module after `connect` is imported: whole-page
// controls for the panels, and the three try-the-wrapper cards. Written as a function so the
// linter reads it; the page gets its source text.
/** @param {typeof import('../src/index.js').connect} connect */
function showcaseScript(connect) {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  /** An element with text (never HTML: the texts come from the server). */
  const el = (/** @type {string} */ tag, /** @type {string} */ className, /** @type {string} */ text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };
  const runId = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 8);

  // Panels: each iframe exposes window.demoPanel once its script ran; until then, reload it.
  const frames = /** @type {HTMLIFrameElement[]} */ (Array.from(document.querySelectorAll('iframe.panel')));
  /** @param {(panel: { open(src?: string): void, close(): void }) => void} action @param {string} [src] */
  const eachPanel = (action, src) => {
    for (const frame of frames) {
      const panel = /** @type {any} */ (frame.contentWindow)?.demoPanel;
      if (panel) action(panel);
      else if (src) frame.src = frame.src.replace(/src=[^&]*/, 'src=' + encodeURIComponent(src));
    }
  };
  const showSource = (/** @type {string} */ src) => {
    for (const button of document.querySelectorAll('#all-src button')) button.classList.toggle('on', /** @type {HTMLElement} */ (button).dataset.src === src);
  };
  $('close-all').onclick = () => eachPanel((panel) => panel.close());
  $('reopen-all').onclick = () => eachPanel((panel) => panel.open());
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('#all-src button'))) {
    button.onclick = () => {
      const src = button.dataset.src || '/event';
      showSource(src);
      eachPanel((panel) => panel.open(src), src);
    };
  }

  // Headers: a fresh token per (re)connection; /demo/whoami says what it received, then ends.
  $('run-headers').onclick = () => {
    const out = $('headers-out');
    out.textContent = '';
    const button = /** @type {HTMLButtonElement} */ ($('run-headers'));
    button.disabled = true;
    let token = 0;
    const stream = connect('/demo/whoami?run=' + runId(), {
      // Stands for a token refresh (an async call to your auth code) before every connection.
      headers: async () => ({ Authorization: 'Bearer demo-token-' + ++token }),
      json: true,
    });
    let seen = 0;
    stream.addEventListener('message', (event) => {
      const data = /** @type {{ authorization: string | null, lastEventId: string | null }} */ (/** @type {unknown} */ (event.data));
      const row = el('li', 'row', '');
      row.dataset.auth = data.authorization || '';
      row.append(
        el('span', 'k', 'Authorization '),
        el('code', '', String(data.authorization)),
        el('span', 'k', ' · Last-Event-ID '),
        el('code', '', data.lastEventId || '(none)'),
      );
      out.append(row);
      if (++seen === 3) {
        stream.close();
        out.append(el('li', 'note', 'closed by the page after 3 connections'));
        button.disabled = false;
      }
    });
    stream.addEventListener('error', (event) => out.append(el('li', 'err', 'error: ' + /** @type {any} */ (event).error?.message)));
  };

  // POST: the body goes once; the server echoes it, then streams the prompt back word by word.
  $('run-post').onclick = () => {
    const out = $('post-out');
    out.textContent = '';
    const words = el('code', '', '');
    words.id = 'post-words';
    let received = '';
    const button = /** @type {HTMLButtonElement} */ ($('run-post'));
    button.disabled = true;
    const prompt = /** @type {HTMLInputElement} */ ($('post-prompt')).value;
    const stream = connect('/demo/echo', { body: { prompt }, json: true });
    stream.addEventListener('echo', (event) => {
      const data = /** @type {{ method: string, contentType: string | null, body: string }} */ (/** @type {MessageEvent} */ (event).data);
      const row = el('li', 'row echo', '');
      row.dataset.body = data.body;
      row.append(el('span', 'k', 'server received '), el('code', '', data.method + ' ' + data.contentType), el('br', '', ''), el('code', 'body', data.body));
      const back = el('li', 'row', '');
      back.append(el('span', 'k', 'streamed back '), words);
      out.append(row, back);
    });
    stream.addEventListener('message', (event) => {
      received += (received ? ' ' : '') + event.data;
      words.textContent = received;
    });
    stream.addEventListener('close', (event) => {
      const error = /** @type {any} */ (event).error;
      out.append(el('li', error ? 'err' : 'note done', error ? 'closed: ' + error.message : 'close: the body ended, clean (a POST is never re-sent)'));
      button.disabled = false;
    });
  };

  // Backoff: headers() runs right before each attempt, which makes it the place to time them.
  $('run-backoff').onclick = () => {
    const rows = $('backoff-rows');
    const out = $('backoff-out');
    rows.textContent = '';
    out.textContent = '';
    const button = /** @type {HTMLButtonElement} */ ($('run-backoff'));
    button.disabled = true;
    const fails = /** @type {HTMLSelectElement} */ ($('backoff-fails')).value;
    const jitter = /** @type {HTMLInputElement} */ ($('backoff-jitter')).checked ? 1 : 0;
    const retryAfter = /** @type {HTMLInputElement} */ ($('backoff-retry-after')).checked;
    // min: 0 lifts the default 500 ms floor, so the first waits are the 250 and 500 ms shown.
    const retry = { initial: 250, min: 0, factor: 2, max: 4000, jitter };
    $('backoff-code').textContent = "connect('/demo/flaky', {\n  retry: { initial: 250, min: 0, factor: 2, jitter: " + jitter + ' } });';
    let attempt = 0;
    let failures = 0;
    let failedAt = 0;
    /** @type {HTMLTableRowElement | null} */
    let current = null;
    const stream = connect('/demo/flaky?run=' + runId() + '&fails=' + fails + (retryAfter ? '&retryAfter=1' : ''), {
      retry,
      json: true,
      headers: () => {
        attempt++;
        const row = document.createElement('tr');
        row.dataset.attempt = String(attempt);
        // The planned wait is the wrapper's formula: initial × factor^failures, capped; Retry-After wins.
        const planned = Math.min(retry.max, retry.initial * Math.pow(retry.factor, failures - 1));
        const plan = attempt === 1 ? '' : retryAfter ? '1000 ms (Retry-After: 1)' : jitter ? '≤ ' + planned + ' ms (jitter)' : planned + ' ms';
        const waited = attempt === 1 ? '' : Math.round(performance.now() - failedAt) + ' ms';
        row.append(el('td', '', '#' + attempt), el('td', 'plan', plan), el('td', 'waited', waited), el('td', 'answer', '…'));
        rows.append(row);
        current = row;
        return {};
      },
    });
    const answer = (/** @type {string} */ text, /** @type {string} */ kind, /** @type {string} */ detail) => {
      const cell = /** @type {HTMLElement | null | undefined} */ (current?.querySelector('.answer'));
      if (!cell || !current) return;
      cell.textContent = text;
      cell.title = detail;
      current.className = kind;
      current.dataset.answer = kind;
    };
    stream.addEventListener('error', (event) => {
      const error = /** @type {any} */ (event).error;
      failedAt = performance.now();
      failures++;
      answer(error && error.status ? error.status + ' → error' : 'error: ' + (error && error.message), 'failed', error && error.message);
    });
    stream.addEventListener('open', () => answer('200 → open', 'open', ''));
    stream.addEventListener('message', (event) => {
      const data = /** @type {{ requests: number, gaps: number[] }} */ (/** @type {unknown} */ (event.data));
      const line = el('p', 'server', 'The server saw ' + data.requests + ' requests, ' + data.gaps.map((gap) => gap + ' ms').join(', ') + ' apart.');
      line.dataset.requests = String(data.requests);
      out.append(line);
      stream.close();
    });
    stream.addEventListener('close', () => {
      out.append(el('p', 'note', 'Closed by the page once the stream was open.'));
      button.disabled = false;
    });
  };
  document.documentElement.dataset.ready = 'true';
}

const SHOWCASE_STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; background: #eef1f5; }
  main { max-width: 1280px; margin: 0 auto; padding: 10px 16px 20px; }
  code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
  .top { display: flex; align-items: baseline; gap: 14px; }
  h1 { font-size: 20px; margin: 0; white-space: nowrap; }
  h1 small { font-weight: 400; color: #5b6475; font-size: 14px; }
  .lede { margin: 0 0 8px; color: #434b5c; }
  .bar { display: flex; align-items: center; gap: 8px; margin: 0 0 8px; flex-wrap: wrap; }
  .bar .label { color: #5b6475; font-size: 13px; }
  button { font: inherit; font-size: 13px; padding: 4px 11px; border: 1px solid #aeb6c4; border-radius: 6px; background: #fff; cursor: pointer; }
  button:hover { background: #f4f6f9; }
  button:disabled { color: #9aa1ad; cursor: default; }
  button.primary { background: #1d2330; color: #fff; border-color: #1d2330; }
  button.primary:disabled { background: #7c8392; border-color: #7c8392; color: #fff; }
  .seg { display: inline-flex; }
  .seg button { border-radius: 0; margin-left: -1px; }
  .seg button:first-child { border-radius: 6px 0 0 6px; }
  .seg button:last-child { border-radius: 0 6px 6px 0; }
  .seg button.on { background: #1d2330; border-color: #1d2330; color: #fff; }
  .panels { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; }
  iframe.panel { width: 100%; height: 340px; border: 1px solid #cfd5de; border-radius: 8px; background: #fff; display: block; }
  h2 { font-size: 16px; margin: 12px 0 8px; }
  h2 small { font-weight: 400; font-size: 13px; color: #5b6475; margin-left: 6px; }
  .cards { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; }
  .card { background: #fff; border: 1px solid #cfd5de; border-radius: 8px; padding: 9px 12px 10px; }
  .card h3 { margin: 0 0 4px; font-size: 14px; }
  .card p.what { margin: 0 0 6px; font-size: 12.5px; color: #434b5c; }
  .card pre { margin: 0 0 7px; padding: 5px 8px; background: #f3f5f8; border-radius: 5px; white-space: pre-wrap; font-size: 11.5px; }
  .card .go { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; font-size: 12.5px; }
  .card input[type=text] { flex: 1; min-width: 0; font: inherit; padding: 3px 6px; border: 1px solid #aeb6c4; border-radius: 5px; }
  .card select { font: inherit; }
  ol.out { margin: 8px 0 0; padding-left: 20px; font-size: 12.5px; }
  ol.out li { margin: 2px 0; }
  ol.out li.note, ol.out li.err, p.note { list-style: none; margin-left: -20px; color: #5b6475; font-style: italic; }
  ol.out li.err { color: #b35c00; }
  .k { color: #5b6475; }
  code.body { word-break: break-all; }
  table { border-collapse: collapse; width: 100%; margin-top: 8px; font-size: 12.5px; }
  th { text-align: left; font-weight: 600; color: #5b6475; font-size: 11px; text-transform: uppercase; letter-spacing: .03em; }
  td, th { padding: 1px 10px 1px 0; }
  td { white-space: nowrap; }
  tr.failed .answer { color: #b35c00; }
  tr.open .answer { color: #1f8f4e; font-weight: 600; }
  p.server { margin: 6px 0 0; font-size: 12.5px; }
  p.note { margin: 2px 0 0; font-size: 12.5px; }
  footer { margin-top: 12px; font-size: 12px; color: #5b6475; }
${SHARED_CARD_STYLE}`;

/**
 * The showcase: three panels side by side on the seed's `src`, whole-page controls, and the wrapper section.
 * @param {string} src
 */
export function showcasePage(src) {
  const panels = MODES.map(
    (m) =>
      `<iframe class="panel" id="panel-${m.name}" title="${escapeHtml(`${PANEL_LOOK[m.name]?.name}: ${PANEL_LOOK[m.name]?.runs}`)}" src="/demo/panel?mode=${m.name}&amp;src=${encodeURIComponent(src)}"></iframe>`,
  ).join('\n      ');
  const seedLinks = MODES.map((m) => `<a href="${m.path}">${m.path}</a>`).join(' · ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>ssekit live demo</title>
  <link rel="icon" href="data:," />
  <style>${SHOWCASE_STYLE}</style>
</head>
<body>
<main>
  <div class="top">
    <h1>ssekit <small>live demo</small></h1>
    <p class="lede">The seed's example three times at once, each in its own frame: the browser's <code>EventSource</code>, ssekit's ES module, ssekit's ES5 script in an IE-class page.</p>
  </div>
  <div class="bar">
    <span class="label">All panels:</span>
    <button id="close-all" type="button">Close all</button>
    <button id="reopen-all" type="button">Reopen all</button>
    <span class="label" style="margin-left: 10px">Stream:</span>
    <span class="seg" id="all-src">
      <button type="button" data-src="/event" class="${src === '/event' ? 'on' : ''}">/event · one event per connection, then a reconnection</button>
      <button type="button" data-src="/stream" class="${src === '/stream' ? 'on' : ''}">/stream · one held-open connection</button>
    </span>
  </div>
  <div class="panels">
      ${panels}
  </div>

  <h2>Try the wrapper: <code>connect()</code> <small>what the native <code>EventSource</code> cannot do; ssekit's <code>/dist/index.mjs</code>, in this (modern) page</small></h2>
  <div class="cards">
    <section class="card" id="try-headers">
      <h3>Request headers, refreshed per connection</h3>
      <p class="what"><code>headers</code> runs before every (re)connection. <code>/demo/whoami</code> answers with what it received and ends, so the wrapper reconnects, with <code>Last-Event-ID</code>.</p>
      <pre>connect('/demo/whoami', {
  headers: async () =&gt;
    ({ Authorization: 'Bearer ' + await token() }),
});</pre>
      <div class="go"><button class="primary" id="run-headers" type="button">Connect</button> <span class="k">three connections, a new token each</span></div>
      <ol class="out" id="headers-out"></ol>
    </section>
    <section class="card" id="try-post">
      <h3>A POST body</h3>
      <p class="what">A plain object goes as JSON. <code>/demo/echo</code> echoes the request, then the prompt word by word; a POST is never re-sent, so the end of the body closes the stream.</p>
      <pre>connect('/demo/echo', {
  body: { prompt }, json: true });</pre>
      <div class="go"><input type="text" id="post-prompt" value="Server-sent events, now with a body" aria-label="prompt" /><button class="primary" id="run-post" type="button">POST</button></div>
      <ol class="out" id="post-out"></ol>
    </section>
    <section class="card" id="try-backoff">
      <h3>Backoff against a failing endpoint</h3>
      <p class="what"><code>/demo/flaky</code> answers 503 a few times, then a stream. Each 503 is an <code>error</code> event, then a retry after an exponential delay (or <code>Retry-After</code>).</p>
      <pre id="backoff-code">connect('/demo/flaky', {
  retry: { initial: 250, factor: 2, jitter: 0 } });</pre>
      <div class="go">
        <label>503 × <select id="backoff-fails">${[1, 2, 3, 4, 5].map((n) => `<option${n === 3 ? ' selected' : ''}>${n}</option>`).join('')}</select></label>
        <label><input type="checkbox" id="backoff-jitter" /> jitter</label>
        <label><input type="checkbox" id="backoff-retry-after" /> Retry-After: 1</label>
        <button class="primary" id="run-backoff" type="button">Connect</button>
      </div>
      <table><thead><tr><th>attempt</th><th>backoff</th><th>waited</th><th>answer → event</th></tr></thead><tbody id="backoff-rows"></tbody></table>
      <div id="backoff-out"></div>
    </section>
  </div>

  ${sharedCard()}
  <footer>The seed's pages on their own: ${seedLinks} (add <code>?src=/stream</code>). <code>/demo?src=/stream</code> starts these panels on <code>/stream</code>.</footer>
</main>
<script type="module">
  import { connect } from '/dist/index.mjs';
  (${showcaseScript.toString()})(connect);
  (${sharedCardScript.toString()})(connect);
</script>
</body>
</html>`;
}
