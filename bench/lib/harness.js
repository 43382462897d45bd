// In-page bench harness (classic ES5 script, loaded first): runs one measurement and resolves a promise with what it saw.
(function () {
  'use strict';
  // Captured before a legacy page deletes the globals: the library under test never sees these.
  var P = window.Promise;
  var now = performance.now.bind(performance);
  var setT = window.setTimeout;
  var clearT = window.clearTimeout;
  var ES = null;
  var fetches = 0;
  var xhrOpens = 0;
  var live = { n: 0, len: 0, lastId: '', errors: 0 };

  if (typeof window.fetch === 'function') {
    var f = window.fetch;
    window.fetch = function () {
      fetches++;
      return f.apply(this, arguments);
    };
  }
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function () {
    xhrOpens++;
    return open.apply(this, arguments);
  };

  var deleted = [];
  if (/[?&]legacy=1/.test(location.search)) {
    // An IE-class page: what IE11 lacks goes, so ssekit.js must take its XHR / registry / createEvent paths.
    var names = [
      'fetch',
      'ReadableStream',
      'TextDecoder',
      'EventSource',
      'Promise',
      'Event',
      'MessageEvent',
      'EventTarget',
      'Reflect',
      'URL',
      'Symbol',
      'Map',
      'Set',
      'WeakMap',
      'AbortController',
    ];
    for (var i = 0; i < names.length; i++) {
      delete window[names[i]];
      if (typeof window[names[i]] !== 'undefined') throw new Error('could not delete ' + names[i]);
      deleted.push(names[i]);
    }
  }

  function finish(es, resolve, result, timer) {
    es.close();
    clearT(timer);
    result.fetches = fetches;
    result.xhrOpens = xhrOpens;
    resolve(result);
  }

  window.__bench = {
    deleted: deleted,
    use: function (EventSourceClass) {
      ES = EventSourceClass;
    },
    ready: function () {
      return !!ES;
    },
    // Time from the constructor to the spec.n-th event of type spec.type.
    throughput: function (spec) {
      return new P(function (resolve) {
        var n = 0;
        var len = 0;
        var errors = 0;
        var t0 = now();
        var es = new ES(spec.url);
        var timer = setT(function () {
          finish(es, resolve, { error: 'timeout', n: n, len: len, errors: errors }, timer);
        }, spec.timeoutMs);
        es.addEventListener(spec.type, function (e) {
          n++;
          len += e.data.length;
          if (n === spec.n) finish(es, resolve, { ms: now() - t0, n: n, len: len, lastEventId: e.lastEventId, errors: errors }, timer);
        });
        es.addEventListener('error', function () {
          errors++;
        });
      });
    },
    // Time from each `error` to the next `open` while the server ends every response.
    reconnect: function (spec) {
      return new P(function (resolve) {
        var samples = [];
        var tError = -1;
        var opens = 0;
        var messages = 0;
        var es = new ES(spec.url);
        var timer = setT(function () {
          finish(es, resolve, { error: 'timeout', samples: samples, opens: opens }, timer);
        }, spec.timeoutMs);
        es.addEventListener('message', function () {
          messages++;
        });
        es.addEventListener('open', function () {
          opens++;
          if (tError >= 0) samples.push(now() - tError);
          tError = -1;
          if (samples.length === spec.samples) finish(es, resolve, { samples: samples, opens: opens, messages: messages }, timer);
        });
        es.addEventListener('error', function () {
          if (es.readyState !== 0) finish(es, resolve, { error: 'readyState ' + es.readyState + ' after error', samples: samples }, timer);
          else tError = now();
        });
      });
    },
    // One long-lived connection; the driver reads live counts while the server streams.
    start: function (spec) {
      var es = new ES(spec.url);
      window.__es = es;
      es.addEventListener('message', function (e) {
        live.n++;
        live.len += e.data.length;
        live.lastId = e.lastEventId;
      });
      es.addEventListener('error', function () {
        live.errors++;
      });
      return true;
    },
    live: function () {
      return { n: live.n, len: live.len, lastId: live.lastId, errors: live.errors, fetches: fetches, xhrOpens: xhrOpens };
    },
    stop: function () {
      if (window.__es) window.__es.close();
      window.__es = null;
      return true;
    },
  };
})();
