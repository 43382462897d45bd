// An IE11-class page for mujs, in ES5 only: window/self, location, a minimal document, window and document listeners, timers on a virtual clock, a scripted IE11-like XMLHttpRequest, and assertion helpers.

var window = this;
var self = this;

// IE11 has no document.baseURI, so the engine resolves against location.href: its own URL merge
// in the plain and ie modes (no createElement), an <a> element in the page mode.
var location = {
  href: 'http://127.0.0.1:3001/legacy',
  protocol: 'http:',
  host: '127.0.0.1:3001',
  hostname: '127.0.0.1',
  port: '3001',
  pathname: '/legacy',
  search: '',
  hash: '',
};

var SHIM_EVENTS = (typeof RUN === 'object' && RUN.options.events) || 'plain';
if (SHIM_EVENTS !== 'plain' && SHIM_EVENTS !== 'ie' && SHIM_EVENTS !== 'page') {
  throw new Error('shim: --events must be plain, ie or page, not ' + SHIM_EVENTS);
}

// Every exception that would reach the page's window.onerror: thrown by a timer callback, an XHR event handler or a DOM element's listener.
var uncaught = [];
// The same with where each was thrown (mujs keeps the stack in stackTrace), for failure messages.
var uncaughtDetails = [];
function reportUncaught(where, error) {
  var text = error && error.name ? error.name + ': ' + error.message : String(error);
  uncaught.push(text);
  uncaughtDetails.push(text + ' (in ' + where + ')' + (error && error.stackTrace ? error.stackTrace : ''));
  print('uncaught (' + where + ') ' + text);
}

/* ---------- document: plain events (no createEvent), IE9-11's createEvent/initMessageEvent, or those and createElement ---------- */

// IE's event objects are host objects whose attributes are getters on the prototype: assigning
// one in strict code throws, so the engine has to use defineProperty to set target & co.
function hiddenSlots(object, slots) {
  Object.defineProperty(object, '__slots', { value: slots, enumerable: false });
}
function readOnly(proto, names) {
  for (var i = 0; i < names.length; i++) {
    (function (name) {
      Object.defineProperty(proto, name, {
        get: function () {
          return this.__slots[name];
        },
        enumerable: true,
        configurable: true,
      });
    })(names[i]);
  }
}

function IEEvent() {
  hiddenSlots(this, {
    type: '',
    bubbles: false,
    cancelable: false,
    target: null,
    currentTarget: null,
    eventPhase: 0,
    defaultPrevented: false,
    isTrusted: false,
    timeStamp: 0,
  });
}
readOnly(IEEvent.prototype, ['type', 'bubbles', 'cancelable', 'target', 'currentTarget', 'eventPhase', 'defaultPrevented', 'isTrusted', 'timeStamp']);
IEEvent.prototype.initEvent = function (type, bubbles, cancelable) {
  this.__slots.type = String(type);
  this.__slots.bubbles = !!bubbles;
  this.__slots.cancelable = !!cancelable;
};
IEEvent.prototype.preventDefault = function () {
  if (this.__slots.cancelable) this.__slots.defaultPrevented = true;
};
IEEvent.prototype.stopPropagation = function () {};
IEEvent.prototype.stopImmediatePropagation = function () {};

function IEMessageEvent() {
  IEEvent.call(this);
  var s = this.__slots;
  s.data = null;
  s.origin = '';
  s.lastEventId = '';
  s.source = null;
  s.ports = null;
}
IEMessageEvent.prototype = Object.create(IEEvent.prototype);
IEMessageEvent.prototype.constructor = IEMessageEvent;
readOnly(IEMessageEvent.prototype, ['data', 'origin', 'lastEventId', 'source', 'ports']);
// IE11's signature: seven arguments, no ports (they stay null on a script-made event).
IEMessageEvent.prototype.initMessageEvent = function (type, bubbles, cancelable, data, origin, lastEventId, source) {
  this.initEvent(type, bubbles, cancelable);
  var s = this.__slots;
  s.data = data;
  s.origin = String(origin);
  s.lastEventId = String(lastEventId);
  s.source = source === undefined ? null : source;
};

var document = { nodeType: 9, readyState: 'complete' };
if (SHIM_EVENTS === 'ie' || SHIM_EVENTS === 'page') {
  document.createEvent = function (kind) {
    if (kind === 'Event' || kind === 'Events' || kind === 'HTMLEvents') return new IEEvent();
    if (kind === 'MessageEvent') return new IEMessageEvent();
    var error = new Error('NotSupportedError: createEvent(' + kind + ')');
    error.name = 'NotSupportedError';
    throw error;
  };
}

// The page mode's <a href>: resolves the assigned URL against location.href as a browser does for
// the forms the scenarios use. Absolute URLs are kept as given (no case folding or default-port
// dropping: the engine's own checks see them raw), and a form not modelled here throws rather than
// resolving wrongly; a URL that cannot be resolved reads back unchanged, as in a browser.
function resolveHref(input) {
  var url = String(input).replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url)) return url;
  var base = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(\/\/[^/?#]*)([^?#]*)(\?[^#]*)?/.exec(location.href);
  if (!base) return url;
  var scheme = base[1];
  var authority = base[2];
  var path = base[3] || '/';
  var query = base[4] || '';
  if (/(^|\/)\.\.?(\/|[?#]|$)/.test(url.replace(/[?#].*$/, ''))) throw new Error('shim: <a href> does not model dot segments: ' + url);
  if (url.slice(0, 2) === '//') return scheme + url;
  if (url.charAt(0) === '/') return scheme + authority + url;
  if (url === '' || url.charAt(0) === '#') return scheme + authority + path + query + url;
  if (url.charAt(0) === '?') return scheme + authority + path + url;
  return scheme + authority + path.slice(0, path.lastIndexOf('/') + 1) + url;
}

// An element for the page mode: IE's addEventListener / dispatchEvent, and href on an <a>. An
// exception thrown by a listener goes to window.onerror at once and dispatchEvent returns normally,
// as browsers do; only events made by document.createEvent and initialized can be dispatched.
function ShimElement(tagName) {
  Object.defineProperty(this, '__listeners', { value: {}, enumerable: false });
  this.tagName = String(tagName).toUpperCase();
  if (this.tagName === 'A') {
    var href = '';
    Object.defineProperty(this, 'href', {
      get: function () {
        return href;
      },
      set: function (value) {
        href = resolveHref(value);
      },
      enumerable: true,
    });
  }
}
ShimElement.prototype.addEventListener = function (type, listener) {
  var list = this.__listeners[type] || (this.__listeners[type] = []);
  if (list.indexOf(listener) === -1) list.push(listener);
};
ShimElement.prototype.removeEventListener = function (type, listener) {
  var list = this.__listeners[type];
  if (list && list.indexOf(listener) !== -1) list.splice(list.indexOf(listener), 1);
};
ShimElement.prototype.dispatchEvent = function (event) {
  if (!(event instanceof IEEvent) || event.type === '') throw invalidState('dispatchEvent of an event not made and initialized by document.createEvent');
  var list = (this.__listeners[event.type] || []).slice();
  event.__slots.target = event.__slots.currentTarget = this;
  event.__slots.eventPhase = 2;
  for (var i = 0; i < list.length; i++) {
    try {
      list[i].call(this, event);
    } catch (error) {
      reportUncaught('event', error);
    }
  }
  event.__slots.currentTarget = null;
  event.__slots.eventPhase = 0;
  return !event.defaultPrevented;
};

if (SHIM_EVENTS === 'page') {
  document.createElement = function (tagName) {
    return new ShimElement(tagName);
  };
}

/* ---------- the page's lifecycle: listeners on window and document, as IE9-11 have them, and navigator.onLine ---------- */

var navigator = { onLine: true };

// Gives `target` addEventListener / removeEventListener; returns its listeners by type.
function listenerRegistry(target) {
  var lists = {};
  target.addEventListener = function (type, fn) {
    var list = lists[type] || (lists[type] = []);
    if (list.indexOf(fn) === -1) list.push(fn);
  };
  target.removeEventListener = function (type, fn) {
    var list = lists[type];
    if (list && list.indexOf(fn) !== -1) list.splice(list.indexOf(fn), 1);
  };
  return lists;
}
var pageListeners = { window: listenerRegistry(window), document: listenerRegistry(document) };

// Fires the lifecycle event `type` at window or document (`on`) with `fields` (e.g. persisted), as the browser would.
function firePage(on, type, fields) {
  var event = { type: type };
  for (var name in fields) event[name] = fields[name];
  var list = (pageListeners[on][type] || []).slice();
  for (var i = 0; i < list.length; i++) {
    try {
      list[i].call(on === 'window' ? window : document, event);
    } catch (error) {
      reportUncaught('page event', error);
    }
  }
}

// How many lifecycle listeners window and document hold, as sorted "target type:count" entries (none when empty).
function pageListenerCounts() {
  var out = [];
  for (var on in pageListeners) {
    for (var type in pageListeners[on]) if (pageListeners[on][type].length) out.push(on + ' ' + type + ':' + pageListeners[on][type].length);
  }
  return out.sort();
}

/* ---------- timers on a virtual clock ---------- */

var clock = (function () {
  var now = 0;
  var seq = 0;
  var timers = []; // { id, at, fn, args }

  function earliestDue(limit) {
    var best = -1;
    for (var i = 0; i < timers.length; i++) {
      var t = timers[i];
      if (t.at > limit) continue;
      if (best === -1 || t.at < timers[best].at || (t.at === timers[best].at && t.id < timers[best].id)) best = i;
    }
    return best;
  }

  return {
    now: function () {
      return now;
    },
    pending: function () {
      return timers.length;
    },
    // Delays of the pending timers, from now, in firing order.
    delays: function () {
      var list = [];
      for (var i = 0; i < timers.length; i++) list.push(timers[i].at - now);
      list.sort(function (a, b) {
        return a - b;
      });
      return list;
    },
    add: function (fn, ms, args) {
      var delay = Number(ms);
      if (!(delay > 0)) delay = 0;
      // Browsers clamp delays past 2^31-1 ms to 1 ms: a timer that fires at once is a bug to see.
      if (delay > 2147483647) delay = 1;
      seq++;
      timers.push({ id: seq, at: now + Math.floor(delay), fn: fn, args: args });
      return seq;
    },
    remove: function (id) {
      for (var i = 0; i < timers.length; i++) {
        if (timers[i].id === id) {
          timers.splice(i, 1);
          return;
        }
      }
    },
    // Moves the clock forward by ms, firing every timer due by then in time order, including
    // timers that the callbacks themselves schedule within the window.
    advance: function (ms) {
      var target = now + ms;
      for (;;) {
        var index = earliestDue(target);
        if (index === -1) break;
        var t = timers.splice(index, 1)[0];
        now = t.at;
        try {
          if (typeof t.fn === 'function') t.fn.apply(window, t.args);
          else throw new Error('shim: string timers are not supported');
        } catch (error) {
          reportUncaught('timer', error);
        }
      }
      now = target;
    },
  };
})();

function setTimeout(fn, ms) {
  return clock.add(fn, ms, Array.prototype.slice.call(arguments, 2));
}
function clearTimeout(id) {
  clock.remove(id);
}
function advance(ms) {
  clock.advance(ms);
}

/* ---------- a scripted XMLHttpRequest, IE11-like, and the scenario's side of the network ---------- */

var net = (function () {
  var all = [];
  var queue = [];
  return {
    requests: all,
    // Called by send(): the scenario's "server" takes requests in order with take().
    enqueue: function (req) {
      all.push(req);
      queue.push(req);
    },
    queued: function () {
      return queue.length;
    },
    take: function () {
      // A new EventSource fetches from a 0 ms timer (a task of its own): run what is due now first.
      if (queue.length === 0) clock.advance(0);
      if (queue.length === 0) throw new Error('fake network: no request is waiting (t=' + clock.now() + ')');
      return queue.shift();
    },
    // Forgets requests nobody served (after a failed case), so the next case starts clean.
    drop: function () {
      queue.length = 0;
    },
  };
})();

function invalidState(what) {
  var error = new Error('InvalidStateError: ' + what);
  error.name = 'InvalidStateError';
  return error;
}

function XMLHttpRequest() {
  Object.defineProperty(this, '__x', {
    value: {
      state: 0,
      sent: false,
      status: 0,
      statusText: '',
      text: '',
      responseHeaders: null,
      withCredentials: false,
      request: null,
      mime: null,
    },
    enumerable: false,
  });
  this.onreadystatechange = null;
  this.onprogress = null;
  this.onload = null;
  this.onerror = null;
  this.onabort = null;
  this.onloadend = null;
  this.onloadstart = null;
  this.ontimeout = null;
}
XMLHttpRequest.UNSENT = 0;
XMLHttpRequest.OPENED = 1;
XMLHttpRequest.HEADERS_RECEIVED = 2;
XMLHttpRequest.LOADING = 3;
XMLHttpRequest.DONE = 4;

Object.defineProperties(XMLHttpRequest.prototype, {
  readyState: {
    get: function () {
      return this.__x.state;
    },
    enumerable: true,
    configurable: true,
  },
  status: {
    get: function () {
      return this.__x.state < 2 ? 0 : this.__x.status;
    },
    enumerable: true,
    configurable: true,
  },
  statusText: {
    get: function () {
      return this.__x.state < 2 ? '' : this.__x.statusText;
    },
    enumerable: true,
    configurable: true,
  },
  // IE throws here until the body starts (readyState 3).
  responseText: {
    get: function () {
      if (this.__x.state < 3) throw new Error('The data necessary to complete this operation is not yet available.');
      return this.__x.text;
    },
    enumerable: true,
    configurable: true,
  },
  withCredentials: {
    get: function () {
      return this.__x.withCredentials;
    },
    set: function (value) {
      var x = this.__x;
      if ((x.state !== 0 && x.state !== 1) || x.sent) throw invalidState('withCredentials set after send()');
      x.withCredentials = !!value;
    },
    enumerable: true,
    configurable: true,
  },
});

XMLHttpRequest.prototype.__fire = function (name) {
  var handler = this['on' + name];
  if (typeof handler !== 'function') return;
  try {
    handler.call(this, { type: name, target: this, currentTarget: this });
  } catch (error) {
    reportUncaught('xhr on' + name, error);
  }
};

XMLHttpRequest.prototype.open = function (method, url, async) {
  if (arguments.length > 2 && !async) throw new Error('shim: synchronous XHR is not scripted');
  var x = this.__x;
  x.state = 1;
  x.sent = false;
  x.status = 0;
  x.statusText = '';
  x.text = '';
  x.responseHeaders = null;
  x.request = { method: String(method), url: String(url), headers: [], withCredentials: false, mime: null };
  this.__fire('readystatechange');
};

XMLHttpRequest.prototype.overrideMimeType = function (mime) {
  var x = this.__x;
  if (x.state >= 3) throw invalidState('overrideMimeType after the body started');
  x.mime = String(mime);
};

XMLHttpRequest.prototype.setRequestHeader = function (name, value) {
  var x = this.__x;
  if (x.state !== 1 || x.sent) throw invalidState('setRequestHeader outside OPENED');
  name = String(name);
  value = String(value);
  // Header values are ByteStrings: a code unit above 0xFF is a SyntaxError in every browser.
  if (/[^\x00-\xff]/.test(value)) {
    var error = new Error("Failed to execute 'setRequestHeader': '" + value + "' is not a valid HTTP header value.");
    error.name = 'SyntaxError';
    throw error;
  }
  var headers = x.request.headers;
  for (var i = 0; i < headers.length; i++) {
    if (headers[i][0].toLowerCase() === name.toLowerCase()) {
      headers[i][1] += ', ' + value;
      return;
    }
  }
  headers.push([name, value]);
};

XMLHttpRequest.prototype.getResponseHeader = function (name) {
  var x = this.__x;
  if (x.state < 2 || !x.responseHeaders) return null;
  var key = String(name).toLowerCase();
  for (var i = 0; i < x.responseHeaders.length; i++) {
    if (x.responseHeaders[i][0].toLowerCase() === key) return x.responseHeaders[i][1];
  }
  return null;
};

XMLHttpRequest.prototype.getAllResponseHeaders = function () {
  var x = this.__x;
  if (x.state < 2 || !x.responseHeaders) return '';
  var out = '';
  for (var i = 0; i < x.responseHeaders.length; i++) out += x.responseHeaders[i][0] + ': ' + x.responseHeaders[i][1] + '\r\n';
  return out;
};

XMLHttpRequest.prototype.send = function (body) {
  var x = this.__x;
  if (x.state !== 1 || x.sent) throw invalidState('send outside OPENED');
  x.sent = true;
  var r = x.request;
  r.withCredentials = x.withCredentials;
  r.mime = x.mime;
  r.body = body === undefined ? null : body;
  net.enqueue(new ServerSide(this, r));
};

XMLHttpRequest.prototype.abort = function () {
  var x = this.__x;
  var active = (x.state === 1 && x.sent) || x.state === 2 || x.state === 3;
  if (x.request) x.request.aborted = true;
  if (active) {
    x.sent = false;
    x.state = 4;
    x.status = 0;
    x.statusText = '';
    x.text = '';
    this.__fire('readystatechange');
    this.__fire('abort');
    this.__fire('loadend');
  }
  x.state = 0;
};

// The server's end of one request: what the engine sent, and the calls that drive its response.
function ServerSide(xhr, request) {
  this.xhr = xhr;
  this.method = request.method;
  this.url = request.url;
  this.headerList = request.headers;
  this.withCredentials = request.withCredentials;
  this.mime = request.mime;
  this.sentAt = clock.now();
  this.request = request;
  this.phase = 'sent'; // sent -> headers -> done
}

ServerSide.prototype.header = function (name) {
  var key = String(name).toLowerCase();
  for (var i = 0; i < this.headerList.length; i++) {
    if (this.headerList[i][0].toLowerCase() === key) return this.headerList[i][1];
  }
  return null;
};

// The request headers as "Name: value" lines in the order sent, for transcripts.
ServerSide.prototype.headerLines = function () {
  var out = [];
  for (var i = 0; i < this.headerList.length; i++) out.push(this.headerList[i][0] + ': ' + this.headerList[i][1]);
  return out;
};

ServerSide.prototype.aborted = function () {
  return this.request.aborted === true;
};

// A closed client connection swallows whatever the server still writes, as a socket would.
ServerSide.prototype.live = function (phase) {
  if (this.aborted()) return false;
  if (this.phase === 'done') throw new Error('fake server: response already ended for ' + this.url);
  if (phase && this.phase !== phase) throw new Error('fake server: expected phase ' + phase + ', in ' + this.phase);
  return true;
};

ServerSide.prototype.respond = function (status, headers, statusText) {
  if (!this.live('sent')) return false;
  this.phase = 'headers';
  var x = this.xhr.__x;
  x.status = status;
  x.statusText = statusText === undefined ? (status === 200 ? 'OK' : status === 404 ? 'Not Found' : '') : statusText;
  x.responseHeaders = [];
  for (var name in headers) {
    if (Object.prototype.hasOwnProperty.call(headers, name)) x.responseHeaders.push([name, String(headers[name])]);
  }
  x.state = 2;
  this.xhr.__fire('readystatechange');
  return true;
};

// One network chunk of the body; IE fires readystatechange (3) for each, then progress.
ServerSide.prototype.send = function (text) {
  if (!this.live('headers')) return false;
  var x = this.xhr.__x;
  if (x.state === 0) return false;
  x.text += text;
  x.state = 3;
  this.xhr.__fire('readystatechange');
  if (this.aborted()) return true;
  this.xhr.__fire('progress');
  return true;
};

// The body ended normally.
ServerSide.prototype.finish = function () {
  if (!this.live('headers')) return false;
  this.phase = 'done';
  var x = this.xhr.__x;
  x.state = 4;
  this.xhr.__fire('readystatechange');
  if (this.aborted()) return true;
  this.xhr.__fire('load');
  this.xhr.__fire('loadend');
  return true;
};

// A connection reset in the middle of the body as IE reports it (see xhr.ts): readyState 4 with
// the status and text unchanged, as at a normal end, then loadend without load.
ServerSide.prototype.reset = function () {
  if (!this.live('headers')) return false;
  this.phase = 'done';
  this.xhr.__x.state = 4;
  this.xhr.__fire('readystatechange');
  if (this.aborted()) return true;
  this.xhr.__fire('loadend');
  return true;
};

// An abort the page caused (window.stop()): readyState 4, status 0, then abort and loadend.
ServerSide.prototype.abortByPage = function () {
  if (!this.live()) return false;
  this.phase = 'done';
  var x = this.xhr.__x;
  x.state = 4;
  x.status = 0;
  x.statusText = '';
  x.text = '';
  this.xhr.__fire('readystatechange');
  if (this.aborted()) return true;
  this.xhr.__fire('abort');
  this.xhr.__fire('loadend');
  return true;
};

// A network error (refused before any header, or reset mid-body): status 0, error event.
ServerSide.prototype.fail = function () {
  if (!this.live()) return false;
  this.phase = 'done';
  var x = this.xhr.__x;
  x.state = 4;
  x.status = 0;
  x.statusText = '';
  x.text = '';
  x.responseHeaders = null;
  this.xhr.__fire('readystatechange');
  if (this.aborted()) return true;
  this.xhr.__fire('error');
  this.xhr.__fire('loadend');
  return true;
};

/* ---------- helpers for scenarios ---------- */

function show(value) {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
}

function checkEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(what + ': expected ' + show(expected) + ', observed ' + show(actual));
}

// Compares two lists of transcript lines and throws with both in full when they differ.
function checkLines(actual, expected, what) {
  var same = actual.length === expected.length;
  for (var i = 0; same && i < actual.length; i++) same = actual[i] === expected[i];
  if (!same) {
    throw new Error(what + ':\n  expected:\n    ' + expected.join('\n    ') + '\n  observed:\n    ' + actual.join('\n    '));
  }
}

function checkThrows(fn, name, what) {
  try {
    fn();
  } catch (error) {
    if (!error || error.name !== name) throw new Error(what + ': expected a ' + name + ', got ' + (error && error.name) + ': ' + (error && error.message));
    return error;
  }
  throw new Error(what + ': expected a ' + name + ', nothing was thrown');
}

// The constructor must throw a SyntaxError for `input` (a URL the engine cannot resolve).
function checkInvalidURL(input) {
  checkThrows(
    function () {
      new EventSource(input).close();
    },
    'SyntaxError',
    'new EventSource(' + show(input) + ')'
  );
}

// Runs named cases, each isolated: a failing case prints FAIL and the run goes on; finish() throws if any failed.
var cases = (function () {
  var failed = [];
  return {
    run: function (name, fn) {
      var before = uncaught.length;
      try {
        fn();
        if (uncaught.length !== before) throw new Error('uncaught errors:\n' + uncaughtDetails.slice(before).join('\n'));
        print('ok ' + name);
      } catch (error) {
        failed.push(name);
        print('FAIL ' + name + ': ' + (error && error.message ? error.message : String(error)));
      }
      net.drop();
    },
    finish: function () {
      if (failed.length) throw new Error(failed.length + ' case(s) failed: ' + failed.join(', '));
      if (uncaught.length) throw new Error('uncaught errors:\n' + uncaughtDetails.join('\n'));
      print('PASS');
    },
  };
})();

// The page's globals before the classic script runs, so a scenario can see exactly what it added.
var SHIM_GLOBALS = Object.getOwnPropertyNames(window);
