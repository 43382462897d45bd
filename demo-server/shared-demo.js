// The /demo card of ssekit/shared: tabs opened from it share one connection to /demo/shared/stream; the card shows what the server sees (connections, which tab holds one) and what each tab received.

/** @param {string} text */
const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// A tab's name is written into its page and sent as a header: a short plain word or two.
const TAB_NAME = /^[A-Za-z0-9 _.-]{1,24}$/;
// The connections the card lists, newest last (the demo may run for days).
const HISTORY = 8;
// The stream's pace: slow enough to read, fast enough to see a hand-over lose nothing.
const EVERY = 400;

/**
 * @typedef {object} SharedConnection
 * @property {number} number      1, 2, ... in arrival order
 * @property {string} tab         the X-Demo-Tab header: the tab whose headers function ran, i.e. the leader
 * @property {string | null} lastEventId  the Last-Event-ID it resumed from
 * @property {number} openedAt    Date.now() at arrival
 * @property {number | null} closedAt
 */

/**
 * Registers GET /demo/shared/stream (the shared stream), /demo/shared/status (what the server
 * sees of it, as a stream) and /demo/shared/tab (a page that opens it with connectShared()).
 * @param {import('@koa/router').default} router
 */
export function mountSharedDemo(router) {
  let next = 1;
  /** @type {SharedConnection[]} */
  const history = [];
  /** @type {Set<SharedConnection>} */
  const open = new Set();
  /** @type {Set<import('node:http').ServerResponse>} */
  const watchers = new Set();

  const status = () => ({
    connections: open.size,
    holders: [...open].map((c) => c.tab),
    history: history.map((c, i) => {
      const previous = history[i - 1];
      // How long after the previous connection closed this one arrived (negative: it arrived
      // before the server saw the previous one's socket close).
      const gap = previous && previous.closedAt !== null ? c.openedAt - previous.closedAt : null;
      return { ...c, gap };
    }),
  });
  const tell = () => {
    const text = `data: ${JSON.stringify(status())}\n\n`;
    for (const res of watchers) res.write(text);
  };

  // One event every EVERY ms: `id: n` and which tab's connection carried it, from the event
  // after the request's Last-Event-ID, held open until the client leaves (at most 100,000 events).
  router.get('/demo/shared/stream', (ctx) => {
    const header = ctx.get('X-Demo-Tab');
    const tab = TAB_NAME.test(header) ? header : '(no X-Demo-Tab)';
    const lastEventId = ctx.get('Last-Event-ID') || null;
    let n = Number(lastEventId) || 0;
    const last = n + 100_000;
    /** @type {SharedConnection} */
    const connection = { number: next++, tab, lastEventId, openedAt: Date.now(), closedAt: null };
    history.push(connection);
    if (history.length > HISTORY) history.shift();
    open.add(connection);
    ctx.respond = false;
    const res = ctx.res;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    const tick = () => {
      if (++n > last) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(`id: ${n}\ndata: ${JSON.stringify({ n, tab, connections: open.size })}\n\n`);
    };
    const timer = setInterval(tick, EVERY);
    tick();
    res.on('close', () => {
      clearInterval(timer);
      connection.closedAt = Date.now();
      open.delete(connection);
      tell();
    });
    tell();
  });

  // What the server sees of /demo/shared/stream, sent at once and on every change.
  router.get('/demo/shared/status', (ctx) => {
    ctx.respond = false;
    const res = ctx.res;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.write(`data: ${JSON.stringify(status())}\n\n`);
    watchers.add(res);
    res.on('close', () => watchers.delete(res));
  });

  router.get('/demo/shared/tab', (ctx) => {
    const asked = typeof ctx.query.name === 'string' ? ctx.query.name : '';
    const name = TAB_NAME.test(asked) ? asked : 'Tab ' + Math.random().toString(36).slice(2, 6);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = tabPage(name);
  });
}

// The tab's script (a module, after connectShared is imported). Written as a function so the
// linter reads it; the page gets its source text.
/**
 * @param {typeof import('../src/shared.js').connectShared} connectShared
 * @param {string} name
 */
function tabScript(connectShared, name) {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const sharing = typeof navigator.locks === 'object' && navigator.locks !== null && typeof BroadcastChannel === 'function';
  const state = { name, sharing, events: 0, lastId: '', holder: '', readyState: 0, gaps: 0, repeats: 0, last: 0 };
  // The card on /demo listens here; so do the other tabs' cards (only the card shows them).
  const card = typeof BroadcastChannel === 'function' ? new BroadcastChannel('ssekit-demo-shared-tabs') : null;
  const report = () => {
    if (card) card.postMessage({ ...state });
  };
  const log = $('log');
  const line = (/** @type {string} */ text, /** @type {string} */ kind) => {
    const div = document.createElement('div');
    div.className = kind;
    div.textContent = text;
    log.prepend(div);
    // Bounded: a tab left open for hours.
    while (log.childNodes.length > 40) log.lastChild?.remove();
  };
  const render = () => {
    const holds = state.holder === name;
    $('role').textContent = holds ? 'holds the connection (its headers function ran)' : state.holder ? 'reads ' + state.holder + "'s connection" : '…';
    $('role').className = holds ? 'leader' : '';
    document.body.dataset.leader = String(holds);
    for (const key of /** @type {const} */ (['events', 'lastId', 'gaps', 'repeats', 'readyState'])) {
      const cell = $(key);
      cell.textContent = String(state[key]);
      cell.dataset.value = String(state[key]);
    }
  };
  $('sharing').textContent = sharing
    ? 'on: navigator.locks and BroadcastChannel are here'
    : 'off: no navigator.locks (not a secure context? use http://localhost) or no BroadcastChannel; this tab has a connection of its own';
  const stream = connectShared('/demo/shared/stream', {
    // Runs in the tab that holds the connection only: the server learns which tab that is.
    headers: () => ({ 'X-Demo-Tab': name }),
    json: true,
  });
  stream.addEventListener('open', () => {
    state.readyState = stream.readyState;
    line('open', 'note');
    render();
    report();
  });
  stream.addEventListener('message', (event) => {
    const data = /** @type {{ n: number, tab: string, connections: number }} */ (/** @type {unknown} */ (event.data));
    // Every number once, in order: a gap or a repeat would show here.
    if (state.last && data.n > state.last + 1) state.gaps += data.n - state.last - 1;
    if (state.last && data.n <= state.last) state.repeats++;
    state.last = Math.max(state.last, data.n);
    if (state.holder && data.tab !== state.holder) line('now held by ' + data.tab + ', resumed after id ' + (data.n - 1), 'note');
    state.holder = data.tab;
    state.events++;
    state.lastId = event.lastEventId;
    state.readyState = stream.readyState;
    line('#' + data.n + ' via ' + data.tab, 'ev');
    render();
    report();
  });
  stream.addEventListener('error', (event) => {
    state.readyState = stream.readyState;
    line('error: ' + event.error.message, 'err');
    render();
    report();
  });
  if (card) {
    card.onmessage = (event) => {
      const note = event.data;
      if (note && note.who) report();
      if (note && note.close === name) window.close();
    };
  }
  addEventListener('pagehide', () => {
    if (card) card.postMessage({ name, gone: true });
  });
  $('close-tab').onclick = () => window.close();
  $('close-stream').onclick = () => {
    stream.close();
    state.readyState = stream.readyState;
    line('close(): this tab reads nothing more; the other tabs go on', 'note');
    render();
    report();
  };
  render();
  report();
  document.documentElement.dataset.ready = 'true';
}

/** @param {string} name */
function tabPage(name) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>${escapeHtml(name)} · ssekit/shared demo</title>
  <link rel="icon" href="data:," />
  <style>
    body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; background: #eef1f5; }
    main { max-width: 640px; margin: 0 auto; padding: 12px 16px; }
    h1 { font-size: 20px; margin: 0 0 4px; }
    p { margin: 2px 0; }
    .k { color: #5b6475; }
    #role { font-weight: 600; }
    #role.leader { color: #1f8f4e; }
    table { border-collapse: collapse; margin: 8px 0; }
    td { padding: 1px 14px 1px 0; font: 600 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    th { text-align: left; font-weight: 400; color: #5b6475; font-size: 11px; text-transform: uppercase; padding-right: 14px; }
    button { font: inherit; font-size: 13px; padding: 4px 11px; border: 1px solid #aeb6c4; border-radius: 6px; background: #fff; cursor: pointer; }
    #log { margin-top: 8px; background: #fff; border: 1px solid #cfd5de; border-radius: 8px; padding: 6px 10px; height: 300px; overflow: auto;
      font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    #log .note { color: #5b6475; font-style: italic; }
    #log .err { color: #b35c00; }
  </style>
</head>
<body data-tab="${escapeHtml(name)}">
<main>
  <h1>${escapeHtml(name)}</h1>
  <p><span class="k">This tab </span><span id="role">…</span></p>
  <p><span class="k">Sharing: </span><span id="sharing"></span></p>
  <pre>connectShared('/demo/shared/stream', {
  headers: () =&gt; ({ 'X-Demo-Tab': ${escapeHtml(JSON.stringify(name))} }), json: true });</pre>
  <table>
    <thead><tr><th>events</th><th>last id</th><th>gaps</th><th>repeats</th><th>readyState</th></tr></thead>
    <tbody><tr><td id="events"></td><td id="lastId"></td><td id="gaps"></td><td id="repeats"></td><td id="readyState"></td></tr></tbody>
  </table>
  <button id="close-tab" type="button">Close this tab</button>
  <button id="close-stream" type="button">close() the stream</button>
  <div id="log" aria-live="off"></div>
</main>
<script type="module">
  import { connectShared } from '/dist/shared.mjs';
  (${tabScript.toString()})(connectShared, ${JSON.stringify(name).replace(/</g, '\\u003c')});
</script>
</body>
</html>`;
}

/** The card's HTML, a wide section of its own under the connect() cards. */
export function sharedCard() {
  return `<h2>One connection for every tab: <code>ssekit/shared</code> <small>over HTTP/1.1 a browser opens at most six connections per origin; shared, every tab reads one</small></h2>
  <section class="card wide" id="try-shared">
    <div class="shared-top">
      <div>
        <p class="what">Each tab opens the same stream with <code>connectShared()</code> from <code>/dist/shared.mjs</code>. One tab (elected with Web Locks) holds the connection and its <code>headers</code> function names it to the server; the others read its events over a <code>BroadcastChannel</code>. Close the tab that holds it: the next one reconnects with <code>Last-Event-ID</code>, and no tab misses or repeats an event.</p>
        <div class="go">
          <button class="primary" id="shared-open" type="button">Open a tab</button>
          <button id="shared-close-leader" type="button" disabled>Close the tab holding the connection</button>
        </div>
      </div>
      <div class="server">
        <span class="k">the server sees</span>
        <span id="shared-connections" data-count="0">0</span>
        <span class="k">open connection(s) to <code>/demo/shared/stream</code>, held by</span>
        <span id="shared-leader" data-tab="">nobody</span>
      </div>
    </div>
    <div class="shared-tables">
      <table>
        <thead><tr><th>tab</th><th>role</th><th>events</th><th>last id</th><th>gaps</th><th>repeats</th><th>readyState</th></tr></thead>
        <tbody id="shared-tabs"></tbody>
      </table>
      <table>
        <thead><tr><th>connection</th><th>held by</th><th>Last-Event-ID</th><th>state</th></tr></thead>
        <tbody id="shared-history"></tbody>
      </table>
    </div>
  </section>`;
}

export const SHARED_CARD_STYLE = `
  .card.wide { margin-top: 0; }
  .shared-top { display: flex; gap: 20px; align-items: flex-start; }
  .shared-top > div:first-child { flex: 1; }
  .server { min-width: 300px; padding: 6px 10px; background: #f3f5f8; border-radius: 6px; font-size: 12.5px; }
  #shared-connections { font: 700 20px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 0 4px; }
  #shared-leader { font-weight: 600; color: #1f8f4e; }
  .shared-tables { display: grid; grid-template-columns: 3fr 2fr; gap: 16px; }
  #shared-tabs tr.leader td:first-child { font-weight: 600; color: #1f8f4e; }
  #shared-tabs tr.gone td { color: #9aa1ad; text-decoration: line-through; }
`;

/**
 * The card's script, run in the /demo page with connect() (the server's view) and the tabs it
 * opened; reads the tabs' reports on the demo's own BroadcastChannel.
 * @param {typeof import('../src/index.js').connect} connect
 */
export function sharedCardScript(connect) {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const cell = (/** @type {string} */ text) => {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  };
  /** @type {Map<string, Window>} the tabs this page opened, by name */
  const opened = new Map();
  /** @type {Map<string, { name: string, events: number, lastId: string, gaps: number, repeats: number, readyState: number, holder: string, gone?: boolean, sharing: boolean }>} */
  const tabs = new Map();
  let leader = '';
  let count = 0;

  const renderTabs = () => {
    const body = $('shared-tabs');
    body.textContent = '';
    for (const tab of tabs.values()) {
      const row = document.createElement('tr');
      const holds = !tab.gone && tab.name === leader;
      row.className = tab.gone ? 'gone' : holds ? 'leader' : '';
      Object.assign(row.dataset, {
        tab: tab.name,
        leader: String(holds),
        events: String(tab.events),
        gaps: String(tab.gaps),
        repeats: String(tab.repeats),
        gone: String(!!tab.gone),
      });
      const role = tab.gone ? 'closed' : holds ? 'holds the connection' : tab.sharing ? 'reads it' : 'own connection (no sharing)';
      row.append(
        cell(tab.name),
        cell(role),
        cell(String(tab.events)),
        cell(tab.lastId),
        cell(String(tab.gaps)),
        cell(String(tab.repeats)),
        cell(String(tab.readyState)),
      );
      body.append(row);
    }
    const closer = /** @type {HTMLButtonElement} */ ($('shared-close-leader'));
    closer.disabled = !leader || !tabs.has(leader) || !!tabs.get(leader)?.gone;
  };

  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('ssekit-demo-shared-tabs') : null;
  if (channel) {
    channel.onmessage = (event) => {
      const note = event.data;
      if (!note || typeof note.name !== 'string') return;
      if (note.gone) {
        const tab = tabs.get(note.name);
        if (tab) tab.gone = true;
      } else tabs.set(note.name, note);
      renderTabs();
    };
    // Tabs opened before this page was (re)loaded say who they are.
    channel.postMessage({ who: true });
  }

  /** @typedef {{ number: number, tab: string, lastEventId: string | null, openedAt: number, closedAt: number | null, gap: number | null }} Connection */
  const status = connect('/demo/shared/status', { json: true });
  status.addEventListener('message', (event) => {
    const data = /** @type {{ connections: number, holders: string[], history: Connection[] }} */ (/** @type {unknown} */ (event.data));
    leader = data.holders.length === 1 ? /** @type {string} */ (data.holders[0]) : '';
    const connections = $('shared-connections');
    connections.textContent = String(data.connections);
    connections.dataset.count = String(data.connections);
    const holder = $('shared-leader');
    holder.textContent = data.holders.length ? data.holders.join(', ') : 'nobody';
    holder.dataset.tab = leader;
    const history = $('shared-history');
    history.textContent = '';
    for (const c of data.history) {
      const row = document.createElement('tr');
      row.dataset.tab = c.tab;
      row.dataset.lastEventId = c.lastEventId || '';
      const state =
        c.closedAt === null
          ? 'open' + (c.gap !== null ? (c.gap >= 0 ? ', ' + c.gap + ' ms after the previous one closed' : ', arrived before the previous one closed') : '')
          : 'closed';
      row.append(cell('#' + c.number), cell(c.tab), cell(c.lastEventId || '(none)'), cell(state));
      history.append(row);
    }
    renderTabs();
  });

  $('shared-open').onclick = () => {
    const name = 'Tab ' + ++count + '-' + Math.random().toString(36).slice(2, 5);
    const tab = window.open('/demo/shared/tab?name=' + encodeURIComponent(name), '_blank');
    if (tab) opened.set(name, tab);
  };
  $('shared-close-leader').onclick = () => {
    const tab = opened.get(leader);
    if (tab && !tab.closed) tab.close();
    // A tab this page did not open (opened by hand, or before a reload) closes itself when asked.
    else if (channel) channel.postMessage({ close: leader });
  };
}
