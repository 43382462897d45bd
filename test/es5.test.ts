// The classic scripts dist/ssekit.js, dist/polyfill.js and their .min.js must be ES5 syntax (IE11 parses nothing newer) and, run as a script, install EventSource only when missing; only ssekit.js defines SSEKit.
import { parse } from 'acorn';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = ['dist/ssekit.js', 'dist/ssekit.min.js'];
const polyfills = ['dist/polyfill.js', 'dist/polyfill.min.js'];

function source(file: string): string {
  const full = path.join(root, file);
  if (!existsSync(full)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test builds before testing).`);
  return readFileSync(full, 'utf8');
}

// The minified file is one long line, so show a window around the column rather than the line.
function excerpt(code: string, line: number, column: number): string {
  const text = code.split('\n')[line - 1] ?? '';
  const from = Math.max(0, column - 60);
  return text.slice(from, column + 60) + '\n' + ' '.repeat(column - from) + '^';
}

function assertES5(file: string, code: string): void {
  try {
    parse(code, { ecmaVersion: 5, sourceType: 'script', locations: true });
  } catch (error) {
    const e = error as SyntaxError & { loc?: { line: number; column: number } };
    if (!e.loc) throw error;
    throw new Error(`${file}:${e.loc.line}:${e.loc.column + 1} is not ES5: ${e.message}\n${excerpt(code, e.loc.line, e.loc.column)}`, { cause: error });
  }
}

// Runs the classic script in a fresh V8 context (no DOM, no EventSource) after `prelude`, and reports what it left.
function runClassic(code: string, file: string, prelude = '') {
  const context = vm.createContext({});
  vm.runInContext(prelude, context);
  const before = new Set(vm.runInContext('Object.getOwnPropertyNames(this)', context) as string[]);
  vm.runInContext(code, context, { filename: file });
  const after = vm.runInContext('Object.getOwnPropertyNames(this)', context) as string[];
  const added = after.filter((name) => !before.has(name)).sort();
  return { context, added, get: (expression: string) => vm.runInContext(expression, context) as unknown };
}

describe.each(files)('%s', (file) => {
  it('parses as an ES5 script (acorn, ecmaVersion 5)', () => {
    assertES5(file, source(file));
  });

  it('defines SSEKit and installs it as the global EventSource when there is none', () => {
    const run = runClassic(source(file), file);
    expect(run.added).toEqual(['EventSource', 'SSEKit']);
    expect(run.get('typeof SSEKit.EventSource')).toBe('function');
    expect(run.get('typeof SSEKit.createParser')).toBe('function');
    expect(run.get('typeof SSEKit.install')).toBe('function');
    expect(run.get('EventSource === SSEKit.EventSource')).toBe(true);
    expect(run.get('EventSource.length')).toBe(1);
    expect(run.get('[EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED].join()')).toBe('0,1,2');
  });

  it('keeps an EventSource the page already has', () => {
    const run = runClassic(source(file), file, 'function EventSource(url) { this.url = url; } var Native = EventSource;');
    expect(run.added).toEqual(['SSEKit']);
    expect(run.get('EventSource === Native')).toBe(true);
    expect(run.get('SSEKit.EventSource !== Native && typeof SSEKit.EventSource')).toBe('function');
    expect(run.get('SSEKit.install() === Native')).toBe(true);
  });

  // IE11 has neither globalThis nor (in workers) window: install() must find the global through self or window.
  it.each([
    ['self', 'delete globalThis.globalThis; var self = this;'],
    ['window', 'delete globalThis.globalThis; var window = this;'],
  ])('installs on %s when globalThis is missing', (_name, prelude) => {
    const run = runClassic(source(file), file, prelude);
    expect(run.get('typeof globalThis')).toBe('undefined');
    expect(run.added).toEqual(['EventSource', 'SSEKit']);
    expect(run.get('EventSource === SSEKit.EventSource')).toBe(true);
  });
});

// A legacy document as the page-only polyfill assumes it (IE10-11: XHR, createEvent, <a>, no
// Promise), which also offers every modern API as a trap: the PAGE build must take the IE paths
// even where those exist, and `calls` shows which platform features it used, in order.
// oldWebKit: events as WebKit before Safari 10 makes them, each attribute an own non-configurable
// accessor (only `origin` modelled), so that an own `origin` cannot be defined on them.
const legacyPage = (oldWebKit = false) => `
  var oldWebKit = ${oldWebKit};
  var window = this;
  var pageListeners = [];
  window.addEventListener = function (type) { pageListeners.push(type); };
  window.removeEventListener = function (type) { pageListeners.splice(pageListeners.indexOf(type), 1); };
  delete this.Promise;
  var calls = [];
  var location = { href: 'http://127.0.0.1:3001/legacy' };
  function trap(name) {
    return function () { calls.push(name); throw new Error(name + ' must not be used by the page build'); };
  }
  var URL = trap('URL'), fetch = trap('fetch'), reportError = trap('reportError'), WeakMap = trap('WeakMap');
  var EventTarget = trap('EventTarget'), Event = trap('Event'), MessageEvent = trap('MessageEvent');
  var reported = [];
  function Element(tag) { this.tag = tag; this.listeners = []; this.resolved = ''; }
  Object.defineProperty(Element.prototype, 'href', {
    get: function () { return this.resolved; },
    set: function (value) { this.resolved = value.charAt(0) === '/' ? 'http://127.0.0.1:3001' + value : value; },
  });
  Element.prototype.addEventListener = function (type, fn) { this.listeners.push(fn); };
  // A browser reports an exception thrown by a listener to window.onerror and returns normally.
  Element.prototype.dispatchEvent = function (event) {
    for (var i = 0; i < this.listeners.length; i++) {
      try { this.listeners[i].call(this, event); } catch (error) { reported.push(error.message); }
    }
    return true;
  };
  function HostEvent() {
    var slots = this.slots = {};
    if (oldWebKit) Object.defineProperty(this, 'origin', { get: function () { return slots.origin; }, enumerable: true });
  }
  HostEvent.prototype.initEvent = function (type) { this.type = type; };
  HostEvent.prototype.initMessageEvent = function (type, bubbles, cancelable, data, origin, lastEventId) {
    this.type = type; this.data = data; this.lastEventId = lastEventId;
    if (oldWebKit) this.slots.origin = origin;
    else this.origin = origin;
  };
  var document = {
    createElement: function (tag) { calls.push('createElement ' + tag); return new Element(tag); },
    createEvent: function (kind) { calls.push('createEvent ' + kind); return new HostEvent(); },
    // A request listens for securitypolicyviolation until its response (issue 18).
    addEventListener: function () {},
    removeEventListener: function () {},
  };
  var timers = [];
  function setTimeout(fn) { timers.push(fn); return timers.length; }
  function clearTimeout() {}
  function runTimers() { while (timers.length) timers.shift()(); }
  var xhr = null;
  function XMLHttpRequest() { calls.push('XMLHttpRequest'); xhr = this; this.readyState = 0; this.status = 0; }
  XMLHttpRequest.prototype.open = function (method, url) { calls.push('open ' + method + ' ' + url); this.readyState = 1; };
  XMLHttpRequest.prototype.overrideMimeType = function () {};
  XMLHttpRequest.prototype.setRequestHeader = function () {};
  XMLHttpRequest.prototype.send = function () {};
  XMLHttpRequest.prototype.abort = function () {};
  XMLHttpRequest.prototype.getResponseHeader = function (name) { return /^content-type$/i.test(name) ? 'text/event-stream' : null; };
  function respond(text) {
    xhr.readyState = 3; xhr.status = 200; xhr.statusText = 'OK'; xhr.responseText = text;
    xhr.onreadystatechange();
  }
`;

describe.each(polyfills)('%s', (file) => {
  it('parses as an ES5 script (acorn, ecmaVersion 5)', () => {
    assertES5(file, source(file));
  });

  it('in a page without EventSource, installs it as the global EventSource and defines nothing else', () => {
    const run = runClassic(source(file), file, 'var window = this; var document = {};');
    expect(run.added).toEqual(['EventSource']);
    expect(run.get('typeof SSEKit')).toBe('undefined');
    expect(run.get('EventSource.length')).toBe(1);
    expect(run.get('[EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED].join()')).toBe('0,1,2');
  });

  // A worker (IE10-11 importScripts) has no document: an EventSource built for pages could not work there.
  it('installs nothing where there is no document', () => {
    const run = runClassic(source(file), file, 'var self = this;');
    expect(run.added).toEqual([]);
    expect(run.get('typeof EventSource')).toBe('undefined');
  });

  it('keeps an EventSource the page already has', () => {
    const run = runClassic(source(file), file, 'var window = this; var document = {}; function EventSource(url) { this.url = url; } var Native = EventSource;');
    expect(run.added).toEqual([]);
    expect(run.get('EventSource === Native')).toBe(true);
  });

  it.each([
    ['self', 'delete globalThis.globalThis; var self = this; var window = this; var document = {};'],
    ['window', 'delete globalThis.globalThis; var window = this; var document = {};'],
  ])('installs on %s when globalThis is missing', (name, prelude) => {
    const run = runClassic(source(file), file, prelude);
    expect(run.get('typeof globalThis')).toBe('undefined');
    expect(run.added).toEqual(['EventSource']);
    expect(run.get(`typeof ${name}.EventSource`)).toBe('function');
  });

  it('takes the legacy-page paths even where URL, fetch, EventTarget, Event, reportError and WeakMap exist', () => {
    const run = runClassic(source(file), file, legacyPage());
    // No constructor tried at load; one event made, to see whether it takes an own origin.
    expect(run.get('calls')).toEqual(['createEvent MessageEvent']);
    run.get(`
      var es = new EventSource('/s');
      var log = [];
      es.onopen = function (e) { log.push(e.type + ' ' + (e instanceof HostEvent)); };
      es.onmessage = function (e) { log.push(e.type + ' ' + e.data + ' ' + e.origin + ' ' + (e instanceof HostEvent) + ' ' + e.ports.length); throw new Error('boom'); };
      es.addEventListener('message', function () { log.push('next listener, reported: ' + reported.join()); });
      runTimers();
      respond('data: x\\n\\n');
    `);
    expect(run.get('es.url')).toBe('http://127.0.0.1:3001/s');
    expect(run.get('log')).toEqual(['open true', 'message x http://127.0.0.1:3001 true 0', 'next listener, reported: boom']);
    expect(run.get('calls')).toEqual([
      'createEvent MessageEvent',
      'createElement a',
      'XMLHttpRequest',
      'open GET http://127.0.0.1:3001/s',
      'createEvent Event',
      'createEvent MessageEvent',
      'createElement i',
      'createEvent Event',
    ]);
    // The internal slot is a non-enumerable own property: nothing shows on the instance.
    expect(run.get('Object.keys(es)')).toEqual([]);
    // The back/forward cache is followed from the window, until the source closes.
    expect(run.get('pageListeners')).toEqual(['pagehide', 'pageshow']);
    run.get('es.close()');
    expect(run.get('pageListeners')).toEqual([]);
  });

  it('gives old WebKit, whose events refuse an own origin, the origin through initMessageEvent', () => {
    const run = runClassic(source(file), file, legacyPage(true));
    run.get(`
      var es = new EventSource('/s');
      var log = [];
      es.onmessage = function (e) { log.push(e.data + ' ' + e.origin + ' ' + Object.getOwnPropertyDescriptor(e, 'origin').configurable); };
      runTimers();
      respond('data: x\\n\\ndata: y\\n\\n');
    `);
    // Redefining the own accessor would have thrown in the dispatch, and no message would arrive.
    expect(run.get('log')).toEqual(['x http://127.0.0.1:3001 false', 'y http://127.0.0.1:3001 false']);
  });
});

it('the ES5 check rejects ES2015 syntax, with the location', () => {
  expect(() => assertES5('sample.js', 'var a = 1;\nconst b = () => a;\n')).toThrow(/^sample\.js:2:1 is not ES5/);
});
