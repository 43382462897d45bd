// HTML of the demo pages: the seed's page and the e2e harness page, each in three modes (native, ssekit ES module, ssekit classic ES5 in an IE-class page).

/** @typedef {'native' | 'modern' | 'legacy'} ModeName */
/** The e2e harness's modes: the seed's three, and `shared`, a modern page whose source is ssekit/shared's SharedEventSource. @typedef {ModeName | 'shared'} HarnessModeName */

/** @type {{ name: ModeName, path: string, title: string }[]} */
export const MODES = [
  { name: 'native', path: '/', title: "native EventSource (the browser's own)" },
  { name: 'modern', path: '/modern', title: 'ssekit ES module (/dist/polyfill.mjs), native EventSource deleted' },
  { name: 'legacy', path: '/legacy', title: 'ssekit classic ES5 script in an IE-class page (/dist/ssekit.js; the e2e harness: /dist/polyfill.js)' },
];

/** The harness's modes by name, with the title its pages show. @type {{ name: HarnessModeName, title: string }[]} */
export const HARNESS_MODES = [
  ...MODES,
  { name: 'shared', title: 'ssekit/shared SharedEventSource (/dist/shared.mjs), native EventSource deleted; alone in its tab, it holds its connection' },
];

/** @param {string} text */
function words(text) {
  return text.trim().split(/\s+/);
}

// What IE11 lacks and ssekit's classic script must therefore not assume: the globals named in the
// issue, plus the ones a careless build would reach for (globalThis, queueMicrotask, reportError,
// Response/Headers, responseURL) and ES2015+ methods, so a slip shows up as a TypeError here.
const LEGACY_GLOBALS = words(`
  EventSource fetch ReadableStream WritableStream TransformStream TextDecoder TextEncoder AbortController AbortSignal
  URL URLSearchParams Symbol Map Set WeakMap WeakSet WeakRef Promise Reflect Proxy Event MessageEvent CustomEvent
  EventTarget Request Response Headers globalThis queueMicrotask reportError structuredClone
`);
const LEGACY_METHODS = {
  Object: ['assign', 'entries', 'values', 'fromEntries', 'getOwnPropertyDescriptors', 'is', 'hasOwn'],
  Array: ['from', 'of'],
  'Array.prototype': ['includes', 'find', 'findIndex', 'findLast', 'findLastIndex', 'fill', 'copyWithin', 'entries', 'keys', 'values', 'flat', 'flatMap', 'at'],
  String: ['fromCodePoint', 'raw'],
  'String.prototype': 'startsWith endsWith includes repeat padStart padEnd codePointAt normalize trimStart trimEnd at replaceAll'.split(' '),
  Number: ['isNaN', 'isFinite', 'isInteger', 'isSafeInteger', 'parseFloat', 'parseInt'],
  Math: ['trunc', 'sign', 'log2', 'log10', 'hypot', 'imul', 'clz32', 'fround', 'cbrt', 'expm1', 'log1p'],
  'XMLHttpRequest.prototype': ['responseURL'],
};

// The globals each page reports as present or missing (the issue's list), measured before any engine loads.
const REPORTED = words(`
  EventSource fetch ReadableStream TextDecoder AbortController URL Symbol Map Set WeakMap Promise Reflect Event MessageEvent EventTarget
`);

function legacyPrelude() {
  return `(function (w) {
  var globals = ${JSON.stringify(LEGACY_GLOBALS)};
  var methods = ${JSON.stringify(LEGACY_METHODS)};
  var i, owner, names, target, j;
  for (i = 0; i < globals.length; i++) {
    try { delete w[globals[i]]; } catch (e) {}
  }
  for (owner in methods) {
    names = methods[owner];
    target = owner === 'Object' ? Object : owner === 'Array' ? Array : owner === 'String' ? String
      : owner === 'Number' ? Number : owner === 'Math' ? Math : owner === 'Array.prototype' ? Array.prototype
      : owner === 'String.prototype' ? String.prototype : XMLHttpRequest.prototype;
    for (j = 0; j < names.length; j++) {
      try { delete target[names[j]]; } catch (e) {}
    }
  }
})(window);`;
}

// Counts the requests the page's EventSource makes per transport, and shows mode, missing globals
// and the engine in the page; tests read the same facts from data-* attributes. ES5 only.
function reporter(mode) {
  return `(function (w) {
  var page = w.__ssekitDemo = { mode: ${JSON.stringify(mode)}, missing: [], engine: '', requests: { xhr: 0, fetch: 0 } };
  var names = ${JSON.stringify(REPORTED)};
  for (var i = 0; i < names.length; i++) if (typeof w[names[i]] === 'undefined') page.missing.push(names[i]);
  if (typeof Object.assign !== 'function') page.missing.push('Object.assign');
  // What ssekit/shared shares with; without either the shared page would test the fallback only.
  if (page.mode === 'shared' && !(w.navigator && w.navigator.locks)) page.missing.push('navigator.locks');
  if (page.mode === 'shared' && typeof w.BroadcastChannel === 'undefined') page.missing.push('BroadcastChannel');
  function text(id, value, attrs) {
    var el = document.getElementById(id);
    if (!el) return;
    el.innerHTML = '';
    el.appendChild(document.createTextNode(value));
    for (var name in attrs) el.setAttribute('data-' + name, attrs[name]);
  }
  function show() {
    text('transport', 'Requests made: XMLHttpRequest ' + page.requests.xhr + ', fetch ' + page.requests.fetch,
      { xhr: page.requests.xhr, fetch: page.requests.fetch });
  }
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function () { page.requests.xhr++; show(); return open.apply(this, arguments); };
  // Uncaught errors, as the page saw them: the tests compare them in every engine, whose drivers
  // report them differently or not at all.
  page.errors = [];
  w.addEventListener('error', function (e) {
    page.errors.push(String(e.error && e.error.message !== undefined ? e.error.message : e.message));
  }, false);
  // Sends what a test page found to the server (POST /report/KEY), with the page's facts: how the
  // tests read pages in every engine, even where a WebDriver script cannot run (WebKit's runs in
  // the page's own world, where the IE-class page deleted Promise and Map). Over the unpatched
  // XMLHttpRequest open, so it is not counted as the engine's request.
  var reported = {};
  page.report = function (key, payload) {
    // The first report of a key is the one the test reads (a partial one, when the page ran out of time).
    if (reported[key]) return;
    reported[key] = true;
    function send() {
      var xhr = new XMLHttpRequest();
      open.call(xhr, 'POST', '/report/' + encodeURIComponent(key));
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.send(JSON.stringify({ payload: payload, engine: page.engine, transport: page.requests, missing: page.missing, errors: page.errors }));
    }
    // The facts are complete once the engine is in place (DOMContentLoaded, below; module
    // scripts run before it, while readyState is already 'interactive').
    if (page.engine) send();
    else document.addEventListener('DOMContentLoaded', function () { setTimeout(send, 0); }, false);
  };
  if (typeof w.fetch === 'function') {
    var realFetch = w.fetch;
    w.fetch = function () { page.requests.fetch++; show(); return realFetch.apply(this, arguments); };
  }
  // Module scripts have run by now, so the engine is in place in every mode.
  document.addEventListener('DOMContentLoaded', function () {
    var E = w.__engine || w.EventSource;
    page.engine = typeof E !== 'function' ? 'none'
      : /\\[native code\\]/.test(Function.prototype.toString.call(E)) ? 'native' : 'ssekit';
    text('env', 'Missing before the engine loaded: ' + (page.missing.length ? page.missing.join(', ') : 'nothing'),
      { missing: page.missing.join(' ') });
    text('engine', 'EventSource in use: ' + page.engine, { engine: page.engine });
    show();
  }, false);
})(window);`;
}

// The seed's inline script, verbatim but for the stream's path.
function seedScript(src) {
  return `
        var es = new EventSource(${JSON.stringify(src + '?id=50')});        
        
        es.addEventListener('message', function(e) {
          var div = document.createElement("div");     
          div.appendChild(document.createTextNode('>>' + e.data));
          document.body.appendChild(div);
        }, false);
        
        es.addEventListener('open', function(e) {          
          var div = document.createElement("div");     
          div.appendChild(document.createTextNode("SSE connected!"));
          document.body.appendChild(div);
        }, false);
        
        es.addEventListener('error', function(e) {
          console.log('failed')
        }, false);
      `;
}

function modeTitle(mode) {
  const found = HARNESS_MODES.find((m) => m.name === mode);
  return found ? found.title : mode;
}

export function head(mode, title) {
  return `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8" />
  <title>${title}</title>
  <meta http-equiv="X-UA-Compatible" content="IE=edge">
  ${mode === 'legacy' ? `<script>${legacyPrelude()}</script>` : mode === 'modern' || mode === 'shared' ? '<script>delete window.EventSource;</script>' : ''}
  <script>${reporter(mode)}</script>`;
}

function about(mode, extra) {
  return `<header id="about" data-mode="${mode}" style="font: 13px sans-serif; color: #444; border-bottom: 1px solid #ccc; margin-bottom: 8px">
    <p id="mode"><strong>Mode: ${modeTitle(mode)}</strong></p>
    <p id="env"></p>
    <p id="engine"></p>
    <p id="transport"></p>
    ${extra}
  </header>`;
}

// Reports the texts of the body's divs (what the seed's script appends) once there are `count`. ES5.
function divWatcher(watch) {
  return `<script>(function (key, count) {
    var sent = false;
    var observer = new MutationObserver(check);
    function check() {
      if (sent) return;
      var texts = [];
      var children = document.body.children;
      for (var i = 0; i < children.length; i++) if (children[i].tagName === 'DIV') texts.push(children[i].textContent);
      if (texts.length < count) return;
      sent = true;
      observer.disconnect();
      __ssekitDemo.report(key, { texts: texts });
    }
    observer.observe(document.body, { childList: true });
    check();
  })(${JSON.stringify(watch.key)}, ${Number(watch.count)});</script>`;
}

/**
 * The seed's page in one mode, opening `src` (`/event`: one event per connection; `/stream`: held
 * open). With `watch` (the e2e tests), it also reports the texts of the body's divs once there are
 * `watch.count` of them (see `report` in the page's reporter).
 * @param {ModeName} mode
 * @param {string} src
 * @param {{ key: string, count: number }} [watch]
 */
export function seedPage(mode, src, watch) {
  const links = MODES.map((m) => `<a href="${m.path}">${m.path}</a> (<a href="${m.path}?src=/stream">${m.path}?src=/stream</a>)`).join(' · ');
  const nav = `<p>Stream: <code>${src}?id=50</code>. Pages: ${links}</p>`;
  if (mode === 'modern') {
    return `${head(mode, 'EventSource example (ssekit ES module)')}
  <script type="module">
    import '/dist/polyfill.mjs';
${seedScript(src)}
  </script>
</head>
<body>
  ${about(mode, nav)}
  ${watch ? divWatcher(watch) : ''}
</body>
</html>`;
  }
  return `${head(mode, mode === 'legacy' ? 'EventSource example (ssekit classic script)' : 'EventSource example')}
  ${mode === 'legacy' ? '<script src="/dist/ssekit.js"></script>' : ''}
  <script>${seedScript(src)}</script>
</head>
<body>
  ${about(mode, nav)}
  ${watch ? divWatcher(watch) : ''}
</body>
</html>`;
}

// Records every event the scenario's EventSource fires until a stop condition, then closes it and
// publishes the record as JSON in #record (data-done when finished). ES5, for the legacy page too.
const RECORDER = `function __startScenario(cfg, ES) {
  if (cfg.probe) return __runProbe(cfg, ES);
  var record = window.__record = { url: null, readyStateAtStart: null, readyStateAtEnd: null, events: [], thrown: null, done: false };
  var out = document.getElementById('record');
  var counts = {};
  var finished = false;
  var es;
  function publish() {
    out.innerHTML = '';
    out.appendChild(document.createTextNode(JSON.stringify(record)));
  }
  function finish() {
    if (finished) return;
    finished = true;
    es.close();
    record.readyStateAtEnd = es.readyState;
    // A task later, anything the engine still dispatches after close() (it must not) is in the record too.
    setTimeout(function () {
      record.done = true;
      publish();
      out.setAttribute('data-done', 'true');
      __ssekitDemo.report(cfg.key, record);
    }, 0);
  }
  function iface(e) {
    return Object.prototype.toString.call(e).slice(8, -1);
  }
  function listener(e) {
    var entry = { type: e.type, readyState: es.readyState, iface: iface(e) };
    if ('data' in e) {
      entry.data = e.data;
      entry.lastEventId = e.lastEventId;
      entry.origin = e.origin;
      entry.source = e.source === null ? null : typeof e.source;
      entry.ports = e.ports ? e.ports.length : String(e.ports);
    }
    if (finished) entry.afterClose = true;
    record.events.push(entry);
    publish();
    if (finished) return;
    counts[e.type] = (counts[e.type] || 0) + 1;
    // cfg.windowStop: the page calls window.stop() from this listener once it has seen that many
    // events of that type (an abort the page causes; nothing else of the page loads by then).
    var ws = cfg.windowStop;
    if (ws && ws.type === e.type && counts[e.type] === (ws.count || 1)) window.stop();
    if (finished) return;
    var stops = cfg.stop || [];
    for (var i = 0; i < stops.length; i++) {
      var s = stops[i];
      if (s.type === e.type && counts[e.type] >= (s.count || 1) && (s.readyState === undefined || s.readyState === es.readyState)) {
        finish();
        return;
      }
    }
    // A failed connection never comes back: nothing more to wait for.
    if (e.type === 'error' && es.readyState === 2) finish();
  }
  try {
    es = cfg.init ? new ES(cfg.url, cfg.init) : new ES(cfg.url);
  } catch (err) {
    record.thrown = err && err.name;
    record.done = true;
    publish();
    out.setAttribute('data-done', 'true');
    __ssekitDemo.report(cfg.key, record);
    return;
  }
  record.url = es.url;
  record.readyStateAtStart = es.readyState;
  var types = cfg.listen || ['open', 'message', 'error'];
  for (var t = 0; t < types.length; t++) es.addEventListener(types[t], listener, false);
  publish();
}`;

// A probe scenario (e2e/conformance.spec.ts): \`cfg.probe\` is the source of a function, compiled
// as sloppy code and called with (ES, api, cfg); it records named results with api.set(name, value)
// and ends with api.done(). Its record is the recorder's, with \`results\`. ES5.
const PROBE_RUNNER = `function __runProbe(cfg, ES) {
  var record = window.__record = { url: null, readyStateAtStart: null, readyStateAtEnd: null, events: [], thrown: null, done: false, results: {} };
  var out = document.getElementById('record');
  function publish() {
    out.innerHTML = '';
    out.appendChild(document.createTextNode(JSON.stringify(record)));
  }
  var api = {
    set: function (name, value) { record.results[name] = value; publish(); },
    done: function () {
      if (record.done) return;
      record.done = true;
      publish();
      out.setAttribute('data-done', 'true');
      __ssekitDemo.report(cfg.key, record);
    }
  };
  publish();
  try {
    new Function('return (' + cfg.probe + ')')()(ES, api, cfg);
  } catch (err) {
    record.thrown = String(err && err.name) + ': ' + String(err && err.message);
    api.done();
  }
}`;

/**
 * The e2e harness page: runs one scenario (`config`: url, init, listen, stop) in one mode. The
 * IE-class page loads the page-only polyfill (dist/polyfill.js), as legacy pages do; the seed,
 * demo and connect() pages load dist/ssekit.js, so both classic builds run in it. The shared
 * page runs SharedEventSource, alone in its tab: it leads its own connection.
 * @param {HarnessModeName} mode
 * @param {Record<string, unknown>} config
 */
export function harnessPage(mode, config) {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const module = mode === 'modern' ? ['EventSource', '/dist/index.mjs'] : mode === 'shared' ? ['SharedEventSource', '/dist/shared.mjs'] : null;
  const start = module
    ? `<script type="module">
    import { ${module[0]} as Source } from '${module[1]}';
    window.__engine = Source;
    __startScenario(${json}, Source);
  </script>`
    : `${mode === 'legacy' ? '<script src="/dist/polyfill.js"></script>' : ''}
  <script>__startScenario(${json}, window.EventSource);</script>`;
  return `${head(mode, 'ssekit e2e harness: ' + mode)}
</head>
<body>
  ${about(mode, `<p>Scenario: <code>${json.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code></p>`)}
  <pre id="record"></pre>
  <script>${RECORDER}
${PROBE_RUNNER}
  // Out of time (config.reportAfter ms): the record so far, done false, is the report.
  setTimeout(function () {
    __ssekitDemo.report(${JSON.stringify(String(config.key))}, window.__record || { url: null, readyStateAtStart: null, readyStateAtEnd: null, events: [], thrown: null, done: false });
  }, ${Number(config.reportAfter) || 5000});</script>
  ${start}
</body>
</html>`;
}

// The wrapper's e2e cases, ES5 (the IE-class page runs them too). Each may use SSEKit, TAG (a
// query string naming the test's requests), record(x) and done(); results land in #results.
const CLIENT_CASES = {
  // The headers function runs before every (re)connection; each reconnection resumes by Last-Event-ID.
  headers: `var n = 0;
    var stream = SSEKit.connect('/client/echo?' + TAG, {
      headers: function () { n++; return { Authorization: 'Bearer ' + n }; },
      json: true,
      retry: { initial: 20, min: 20, jitter: 0 }
    });
    var seen = 0;
    stream.addEventListener('message', function (e) {
      record({ auth: e.data.auth, lastEventId: e.data.lastEventId, id: e.lastEventId });
      if (++seen === 3) { stream.close(); record({ readyState: stream.readyState }); done(); }
    });`,
  // A JSON POST body, sent once; the end of its response closes the stream cleanly.
  post: `var stream = SSEKit.connect('/client/echo?' + TAG, { body: { prompt: 'h\u00e9llo' }, json: true, retry: { initial: 20, min: 20 } });
    stream.addEventListener('message', function (e) { record({ method: e.data.method, body: e.data.body, type: e.data.contentType }); });
    stream.addEventListener('close', function (e) { record({ closed: true, error: e.error }); done(); });`,
  // Stopping a held-open stream: an AbortSignal where the page has one, close() in the IE-class page.
  stop: `var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var stream = SSEKit.connect('/client/hold?' + TAG, controller ? { signal: controller.signal } : {});
    var closes = 0;
    stream.addEventListener('close', function () { closes++; });
    stream.addEventListener('message', function (e) {
      record(e.data);
      if (controller) controller.abort(); else stream.close();
      setTimeout(function () { record({ closes: closes, readyState: stream.readyState }); done(); }, 0);
    });`,
  // onResponse: on a 401, refresh the token and reconnect at once, once (the README recipe, sync
  // headers: the IE-class page has no Promise). \`fresh\` is the token the refresh yields.
  refresh: `var token = 'stale', retried = false, fresh = /refresh=([a-z-]+)/.exec(TAG)[1];
    var stream = SSEKit.connect('/client/auth?' + TAG, {
      headers: function () { return { Authorization: 'Bearer ' + token }; },
      onResponse: function (response) {
        record({ status: response.status, session: response.headers.get('X-Session') });
        if (response.status !== 401) retried = false;
        else if (!retried) { retried = true; token = fresh; return 'retry'; }
      }
    });
    stream.onerror = function (e) { record({ error: e.error.name, status: e.error.status }); };
    stream.onmessage = function (e) { record({ message: e.data }); stream.close(); };
    stream.onclose = function (e) { record({ closed: true, error: e.error && e.error.name }); done(); };`,
  // A POST answer cut off by a connection reset in the middle of the body: a NetworkError, over XHR too.
  cut: `var stream = SSEKit.connect('/client/cut?' + TAG, { body: { prompt: 'x' } });
    stream.onmessage = function (e) { record({ message: e.data }); };
    stream.onerror = function (e) { record({ error: e.error.name }); };
    stream.onclose = function (e) { record({ closed: true, error: e.error && e.error.name }); done(); };`,
  // An LLM chat completion over POST with json: true: the tokens, then data: [DONE] closes the stream cleanly.
  chat: `var text = '';
    var stream = SSEKit.connect('/client/chat?' + TAG, { body: { model: 'any', stream: true }, json: true });
    stream.onmessage = function (e) { text += e.data.choices[0].delta.content; };
    stream.onerror = function (e) { record({ error: e.error.name }); };
    stream.onclose = function (e) { record({ text: text, error: e.error, readyState: stream.readyState }); done(); };`,
};

/** The names of the wrapper's e2e cases. */
export const CLIENT_CASE_NAMES = Object.keys(CLIENT_CASES);

/**
 * The wrapper's e2e page: ssekit's ES module (modern) or classic script (legacy, IE-class page)
 * as window.SSEKit; runs the case `name` (none: only sets data-ready on <html>) for requests
 * tagged `tag`, publishing its results as JSON in #results (data-done when finished).
 * @param {'modern' | 'legacy'} mode
 * @param {string} name
 * @param {string} tag
 */
export function clientPage(mode, name, tag) {
  const code = Object.prototype.hasOwnProperty.call(CLIENT_CASES, name) ? CLIENT_CASES[/** @type {keyof typeof CLIENT_CASES} */ (name)] : '';
  const runner = `var TAG = ${JSON.stringify(tag).replace(/</g, '\\u003c')};
    var __results = [];
    var __out = document.getElementById('results');
    function record(x) { __results.push(x); __out.innerHTML = ''; __out.appendChild(document.createTextNode(JSON.stringify(__results))); }
    function done() { __out.setAttribute('data-done', 'true'); }
    ${code}
    document.documentElement.setAttribute('data-ready', 'true');`;
  const load =
    mode === 'modern'
      ? `<script type="module">
    import * as ssekit from '/dist/index.mjs';
    window.SSEKit = ssekit;
    ${runner}
  </script>`
      : `<script src="/dist/ssekit.js"></script>
  <script>${runner}</script>`;
  return `${head(mode, 'ssekit connect() e2e: ' + mode)}
</head>
<body>
  ${about(mode, `<p>connect() case: <code>${name || '(none)'}</code></p>`)}
  <pre id="results"></pre>
  ${load}
</body>
</html>`;
}

// Plays the cases of one fuzz batch (e2e/fuzz.spec.ts), `lanes` at a time, each its own EventSource
// on its own scripted stream. A case ends at its first `error` Event (the body ended: the source
// would reconnect), where the page closes it; a task later its record is final. The records land
// as JSON in #fuzz (data-done when all are in). ES5, for the legacy page too.
const FUZZ_RUNNER = `function __fuzzStart(cfg, ES) {
  var out = document.getElementById('fuzz');
  var cases = cfg.cases || [];
  var results = [];
  var next = 0;
  var completed = 0;
  function done() {
    out.appendChild(document.createTextNode(JSON.stringify(results)));
    out.setAttribute('data-done', 'true');
    __ssekitDemo.report(cfg.key, results);
  }
  var running = {};
  function showRunning() {
    var list = [];
    for (var k in running) if (running[k]) list.push(k);
    out.setAttribute('data-running', list.join(','));
  }
  function settle(i) {
    completed++;
    running[i] = false;
    showRunning();
    out.setAttribute('data-completed', String(completed));
    if (next < cases.length) start(next++);
    else if (completed === cases.length) done();
  }
  function start(i) {
    var c = cases[i];
    var rec = results[i] = { events: [], readyStateAtStart: null, readyStateAtEnd: null, thrown: null, timedOut: false };
    var finished = false;
    running[i] = true;
    showRunning();
    var es, timer;
    function finish(timedOut) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      rec.timedOut = timedOut;
      // Anything the engine still dispatches after close() (it must not) is recorded too.
      setTimeout(function () { settle(i); }, 0);
      es.close();
      rec.readyStateAtEnd = es.readyState;
    }
    function listener(e) {
      var entry = { type: e.type, readyState: es.readyState, iface: Object.prototype.toString.call(e).slice(8, -1) };
      var message = 'data' in e;
      if (message) {
        entry.data = e.data;
        entry.lastEventId = e.lastEventId;
        entry.origin = e.origin;
        entry.source = e.source === null ? null : typeof e.source;
        entry.ports = e.ports ? e.ports.length : String(e.ports);
      }
      if (finished) entry.afterClose = true;
      rec.events.push(entry);
      if (!finished && !message && e.type === 'error') finish(false);
    }
    try {
      es = new ES(c.url);
    } catch (err) {
      rec.thrown = String(err && err.name);
      setTimeout(function () { settle(i); }, 0);
      return;
    }
    rec.readyStateAtStart = es.readyState;
    for (var t = 0; t < c.listen.length; t++) es.addEventListener(c.listen[t], listener, false);
    timer = setTimeout(function () { finish(true); }, cfg.caseTimeout || 10000);
  }
  if (!cases.length) done();
  while (next < cases.length && next < (cfg.lanes || 1)) start(next++);
}`;

/**
 * The fuzz test's page: plays `config.cases` (`{ url, listen }` each) in one mode, `config.lanes`
 * at a time, each case bounded by `config.caseTimeout` ms.
 * @param {ModeName} mode
 * @param {Record<string, unknown>} config
 */
export function fuzzPage(mode, config) {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const start =
    mode === 'modern'
      ? `<script type="module">
    import { EventSource } from '/dist/index.mjs';
    window.__engine = EventSource;
    __fuzzStart(${json}, EventSource);
  </script>`
      : `${mode === 'legacy' ? '<script src="/dist/polyfill.js"></script>' : ''}
  <script>__fuzzStart(${json}, window.EventSource);</script>`;
  return `${head(mode, 'ssekit fuzz: ' + mode)}
</head>
<body>
  ${about(mode, `<p>Fuzz batch: ${Array.isArray(config.cases) ? config.cases.length : 0} cases</p>`)}
  <pre id="fuzz"></pre>
  <script>${FUZZ_RUNNER}</script>
  ${start}
</body>
</html>`;
}

// Records what one stream (EventSource, or connect()'s stream) and the page's lifecycle show, as
// JSON in #log: the stream's events with its readyState, and pagehide / pageshow (persisted),
// freeze, resume, visibilitychange and online / offline. The page's own lifecycle listeners are
// added after the stream is made, so they see what the engine's listeners, which run first, did.
// ES5, for the IE-class page too.
const LIFECYCLE_RECORDER = `function __startLifecycle(cfg, make) {
  var log = window.__log = [];
  var out = document.getElementById('log');
  var stream;
  function add(entry) {
    entry.readyState = stream.readyState;
    // The requests the engine has started so far (counted as it starts them: see reporter()).
    entry.requests = __ssekitDemo.requests.xhr + __ssekitDemo.requests.fetch;
    log.push(entry);
    out.innerHTML = '';
    out.appendChild(document.createTextNode(JSON.stringify(log)));
    // cfg.report: the log goes to the server too, for drivers that cannot read the IE-class page
    // (see Lanes in e2e/fixtures.ts): POST /report/KEY.N, N counting the tab's reports (across the
    // documents going back may load), as beacons may arrive out of order. A beacon, as it is not
    // the document's request: it keeps no page out of a back/forward cache, nor is it counted.
    if (cfg.report && navigator.sendBeacon) {
      var n = +(sessionStorage.getItem('report ' + cfg.report) || 0) + 1;
      sessionStorage.setItem('report ' + cfg.report, String(n));
      navigator.sendBeacon('/report/' + cfg.report + '.' + n, JSON.stringify({ log: log }));
    }
  }
  stream = make(cfg);
  var types = ['open', 'message', 'error', 'close'];
  for (var i = 0; i < types.length; i++) {
    stream.addEventListener(types[i], function (e) {
      var entry = { type: e.type };
      if (e.type === 'message') { entry.data = e.data; entry.lastEventId = e.lastEventId; }
      if (e.error) entry.error = e.error.name;
      add(entry);
    }, false);
  }
  function page(e) {
    var entry = { type: e.type };
    if (e.type === 'pagehide' || e.type === 'pageshow') entry.persisted = !!e.persisted;
    if (e.type === 'visibilitychange') entry.visibilityState = document.visibilityState;
    add(entry);
  }
  var onWindow = ['pagehide', 'pageshow', 'online', 'offline'], onDocument = ['freeze', 'resume', 'visibilitychange'];
  for (i = 0; i < onWindow.length; i++) window.addEventListener(onWindow[i], page, false);
  for (i = 0; i < onDocument.length; i++) document.addEventListener(onDocument[i], page, false);
  window.__stream = stream;
}`;

/**
 * The lifecycle e2e page (e2e/lifecycle.spec.ts): one stream, `config.api` `'eventsource'` (the
 * mode's EventSource: native, the ES module's, or dist/polyfill.js in the IE-class page) or
 * `'connect'` (the ES module's connect(), or dist/ssekit.js's in the IE-class page, with
 * `config.options`), on `config.url`; what it shows lands as JSON in #log. Served without
 * `no-store`, so a browser may keep it in its back/forward cache.
 * @param {ModeName} mode
 * @param {{ api: 'eventsource' | 'connect', url: string, options?: Record<string, unknown>, report?: string }} config
 *   `report`: also send the log to POST /report/REPORT.N (N: 1, 2, ... in the tab) on every entry, as `{ log }`
 */
export function lifecyclePage(mode, config) {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const make =
    config.api === 'connect' ? 'function (cfg) { return SSEKit.connect(cfg.url, cfg.options || {}); }' : 'function (cfg) { return new ES(cfg.url); }';
  const start =
    mode === 'modern'
      ? `<script type="module">
    import * as SSEKit from '/dist/index.mjs';
    var ES = SSEKit.EventSource;
    __startLifecycle(${json}, ${make});
  </script>`
      : `${mode === 'legacy' ? `<script src="/dist/${config.api === 'connect' ? 'ssekit' : 'polyfill'}.js"></script>` : ''}
  <script>var ES = window.EventSource; __startLifecycle(${json}, ${make});</script>`;
  return `${head(mode, 'ssekit lifecycle e2e: ' + mode)}
</head>
<body>
  ${about(mode, `<p>Lifecycle: <code>${json.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code></p>`)}
  <pre id="log"></pre>
  <script>${LIFECYCLE_RECORDER}</script>
  ${start}
</body>
</html>`;
}
