// In-page bench harness (classic ES5 script, loaded first): runs one measurement and resolves a promise with what it saw.
(function () {
  'use strict';
  // Captured before a legacy page deletes the globals: the library under test never sees these.
  var P = window.Promise;
  var now = performance.now.bind(performance);
  var setT = window.setTimeout;
  var clearT = window.clearTimeout;
  var ES = null;
  var floor = null;
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
    // An IE-class page: what IE11 lacks goes, as for the classic scripts' XHR / registry / createEvent paths.
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

  function countLFs(text, from) {
    var count = 0;
    for (var i = text.indexOf('\n', from); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    return count;
  }

  // The transports alone, no parsing and no events: the cost ssekit's fetch transport and decoder
  // pay before its parser sees a character, a floor no EventSource written in JS can go below.
  function floorFetch(spec, resolve) {
    var lfs = 0;
    var len = 0;
    var reader = null;
    var controller = new AbortController();
    var decoder = new TextDecoder();
    var conn = {
      close: function () {
        controller.abort();
        if (reader) reader.cancel().then(undefined, function () {});
      },
    };
    var t0 = now();
    var timer = setT(function () {
      finish(conn, resolve, { error: 'timeout', lfs: lfs, len: len }, timer);
    }, spec.timeoutMs);
    var fail = function (e) {
      finish(conn, resolve, { error: String(e), lfs: lfs, len: len }, timer);
    };
    // The request options of ssekit's fetch transport with the headers its EventSource sends.
    var init = {
      method: 'GET',
      headers: { Accept: 'text/event-stream' },
      mode: 'cors',
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'follow',
      signal: controller.signal,
    };
    var pump = function () {
      reader.read().then(function (result) {
        if (result.done) return fail('stream ended');
        var text = decoder.decode(result.value, { stream: true });
        len += text.length;
        lfs += countLFs(text, 0);
        if (lfs >= spec.lfCount) finish(conn, resolve, { ms: now() - t0, lfs: lfs, len: len }, timer);
        else pump();
      }, fail);
    };
    window.fetch(spec.url, init).then(function (response) {
      reader = response.body.getReader();
      pump();
    }, fail);
  }

  // As ssekit's XHR transport: the same events, and only responseText past the last offset is read.
  function floorXhr(spec, resolve) {
    var lfs = 0;
    var len = 0;
    var offset = 0;
    var done = false;
    var xhr = new XMLHttpRequest();
    var conn = {
      close: function () {
        done = true;
        if (readTimer) clearT(readTimer);
        xhr.onreadystatechange = xhr.onprogress = xhr.onload = xhr.onerror = xhr.onabort = null;
        xhr.abort();
      },
    };
    var t0 = now();
    var timer = setT(function () {
      finish(conn, resolve, { error: 'timeout', lfs: lfs, len: len }, timer);
    }, spec.timeoutMs);
    var fail = function (why) {
      if (!done) finish(conn, resolve, { error: why, lfs: lfs, len: len }, timer);
    };
    // ssekit's reading schedule (src/transport/xhr.ts): a read of responseText costs in proportion
    // to the whole text, so after a read that took t >= 3 ms the next waits 4 t (a timer catches up).
    var readAfter = 0;
    var readTimer = null;
    var readOnChange = false;
    // how: 1 readystatechange, 2 progress (skipped right after a readystatechange that read), 3 load or timer.
    var progress = function (how) {
      if (done || xhr.readyState < 3 || (how === 2 && readOnChange)) {
        readOnChange = false;
        return;
      }
      readOnChange = how === 1;
      var force = how === 3;
      var start = Date.now();
      if (!force && xhr.readyState !== 4 && start < readAfter) {
        if (!readTimer)
          readTimer = setT(function () {
            readTimer = null;
            progress(3);
          }, readAfter - start);
        return;
      }
      var text = xhr.responseText;
      var took = Date.now() - start;
      readAfter = took < 3 ? 0 : start + took * 5;
      if (text.length > offset) {
        // A slice, as ssekit hands its parser: what that costs belongs to the floor too.
        var chunk = text.slice(offset);
        offset = text.length;
        len += chunk.length;
        lfs += countLFs(chunk, 0);
      }
      if (lfs >= spec.lfCount) finish(conn, resolve, { ms: now() - t0, lfs: lfs, len: len }, timer);
      else if (xhr.readyState === 4) fail('stream ended');
    };
    xhr.onreadystatechange = function () {
      progress(1);
    };
    xhr.onprogress = function () {
      progress(2);
    };
    xhr.onload = function () {
      progress(3);
    };
    xhr.onerror = function () {
      fail('error');
    };
    xhr.onabort = function () {
      fail('abort');
    };
    xhr.open('GET', spec.url, true);
    xhr.overrideMimeType('text/plain; charset=utf-8');
    xhr.withCredentials = false;
    xhr.setRequestHeader('Accept', 'text/event-stream');
    xhr.setRequestHeader('Cache-Control', 'no-cache');
    xhr.send(null);
  }

  window.__bench = {
    deleted: deleted,
    use: function (EventSourceClass) {
      ES = EventSourceClass;
    },
    // A floor page: throughput() runs the bare transport ('fetch' or 'xhr') instead of an EventSource.
    useFloor: function (kind) {
      floor = kind === 'fetch' ? floorFetch : kind === 'xhr' ? floorXhr : null;
    },
    ready: function () {
      return !!ES || !!floor;
    },
    // Time from the constructor to the spec.n-th event of type spec.type (floor pages: to the spec.lfCount-th LF).
    throughput: function (spec) {
      if (floor) {
        return new P(function (resolve) {
          floor(spec, resolve);
        });
      }
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
