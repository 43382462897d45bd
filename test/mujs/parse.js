// Parse rules, response checks, reconnection and the IDL surface, run through the whole classic-script engine (XHR transport, registry EventTarget) in mujs.

var opened = [];

function source(url, init, extraTypes) {
  var es = init === undefined ? new EventSource(url) : new EventSource(url, init);
  opened.push(es);
  var log = [];
  var types = ['open', 'message', 'error'].concat(extraTypes || []);
  for (var i = 0; i < types.length; i++) {
    es.addEventListener(types[i], function (e) {
      log.push(describe(e, es));
    });
  }
  return { es: es, log: log };
}

function describe(e, es) {
  if (e.type === 'open' || e.type === 'error') return e.type + ' rs=' + es.readyState;
  return e.type + ' ' + show(e.data) + ' id=' + show(e.lastEventId);
}

function accept(req) {
  req.respond(200, { 'Content-Type': 'text/event-stream' });
}

function sendAll(req, chunks) {
  for (var i = 0; i < chunks.length; i++) req.send(chunks[i]);
}

// Each case leaves nothing behind: its sources closed, no timer pending, no request unserved.
function test(name, fn) {
  cases.run(name, function () {
    try {
      fn();
    } finally {
      for (var i = 0; i < opened.length; i++) opened[i].close();
      opened = [];
    }
    checkEqual(clock.pending(), 0, 'timers pending after close()');
  });
}

test('CRLF split across chunks, lone CR, CR then CR', function () {
  var s = source('/s');
  var req = net.take();
  accept(req);
  sendAll(req, ['data: a\r', '\ndata: b\r', '\n\r', '\n', 'data: c\r\rdata: d\n', '\n', 'data: e\r', '\r', '\n']);
  checkLines(s.log, ['open rs=1', 'message "a\\nb" id=""', 'message "c" id=""', 'message "d" id=""', 'message "e" id=""'], 'events');
});

test('named events reach addEventListener(name) only', function () {
  var s = source('/s', undefined, ['ping']);
  var handled = [];
  s.es.onmessage = function (e) {
    handled.push('onmessage ' + e.type);
  };
  var req = net.take();
  accept(req);
  req.send('event: ping\ndata: p\n\nevent\ndata: q\n\nevent: pong\ndata: r\n\nevent: message\ndata: s\n\n');
  checkLines(s.log, ['open rs=1', 'ping "p" id=""', 'message "q" id=""', 'message "s" id=""'], 'events');
  checkLines(handled, ['onmessage message', 'onmessage message'], 'onmessage calls');
});

test('multi-line data, empty data, comments, unknown fields, non-ASCII text', function () {
  var s = source('/s');
  var req = net.take();
  accept(req);
  req.send(': comment\ndata: {\ndata:  "a": 1\ndata:}\n\n');
  req.send('data\n\ndata:\ndata:\n\nfoo: bar\nDATA: x\n\n');
  req.send('data: \u00e9\u20ac\ud83d\ude00\n\n');
  checkLines(
    s.log,
    ['open rs=1', 'message "{\\n \\"a\\": 1\\n}" id=""', 'message "" id=""', 'message "\\n" id=""', 'message "\u00e9\u20ac\ud83d\ude00" id=""'],
    'events'
  );
});

test('an unterminated event at the end of the body is discarded', function () {
  var s = source('/s');
  var req = net.take();
  accept(req);
  sendAll(req, ['data: whole\n\n', 'data: partial\n', 'data: line without end']);
  req.finish();
  checkLines(s.log, ['open rs=1', 'message "whole" id=""', 'error rs=0'], 'events');
});

test('retry: 50 sets the reconnection delay, invalid retry values do not', function () {
  var s = source('/s');
  var req = net.take();
  accept(req);
  req.send('retry: 50\ndata: x\n\n');
  req.finish();
  checkLines(clock.delays().map(String), ['50'], 'reconnection delay after retry: 50');
  advance(49);
  checkEqual(net.queued(), 0, 'requests at 49 ms');
  advance(1);
  req = net.take();
  accept(req);
  req.send('retry: 1.5\nretry: -1\nretry: 10s\nretry:\nretry: 7 \nretry\n\n');
  req.fail();
  checkLines(clock.delays().map(String), ['50'], 'reconnection delay after invalid retry values');
  advance(50);
  net.take();
  checkLines(s.log, ['open rs=1', 'message "x" id=""', 'error rs=0', 'open rs=1', 'error rs=0'], 'events');
});

test('id: sets, resets and persists the last event ID; Last-Event-ID follows it', function () {
  var s = source('/s');
  var req = net.take();
  accept(req);
  req.send('id: 7\ndata: a\n\nid\ndata: b\n\n');
  req.finish();
  advance(3000);
  req = net.take();
  checkEqual(req.header('Last-Event-ID'), null, 'Last-Event-ID after the id was reset');
  accept(req);
  req.send('id: 9\n\nid: x\u0000y\n\n');
  req.finish();
  advance(3000);
  req = net.take();
  checkEqual(req.header('Last-Event-ID'), '9', 'Last-Event-ID after an id-only block and an id with NUL');
  accept(req);
  req.send('id: \u00e9\ndata: u\n\n');
  req.finish();
  advance(3000);
  req = net.take();
  // UTF-8 bytes of U+00E9, one code unit per byte, the ByteString form setRequestHeader sends as is.
  checkEqual(req.header('Last-Event-ID'), '\u00c3\u00a9', 'Last-Event-ID of a non-ASCII id');
  accept(req);
  req.send('data: z\n\n');
  checkLines(
    s.log,
    [
      'open rs=1',
      'message "a" id="7"',
      'message "b" id=""',
      'error rs=0',
      'open rs=1',
      'error rs=0',
      'open rs=1',
      'message "u" id="\u00e9"',
      'error rs=0',
      'open rs=1',
      'message "z" id="\u00e9"',
    ],
    'events'
  );
});

test('a non-200 status or a MIME type other than text/event-stream fails the connection', function () {
  var bad = [
    [404, { 'Content-Type': 'text/event-stream' }],
    [204, { 'Content-Type': 'text/event-stream' }],
    [500, { 'Content-Type': 'text/event-stream' }],
    [200, { 'Content-Type': 'text/plain' }],
    [200, { 'Content-Type': 'text/event-streamx' }],
    [200, {}],
  ];
  for (var i = 0; i < bad.length; i++) {
    var s = source('/s');
    var req = net.take();
    req.respond(bad[i][0], bad[i][1]);
    var what = bad[i][0] + ' ' + show(bad[i][1]['Content-Type'] || null);
    checkEqual(s.es.readyState, 2, 'readyState after ' + what);
    check(req.aborted(), 'the request was aborted after ' + what);
    checkEqual(clock.pending(), 0, 'timers after ' + what);
    req.send('data: never\n\n');
    req.finish();
    advance(10000);
    checkEqual(net.queued(), 0, 'requests after ' + what);
    checkLines(s.log, ['error rs=2'], 'events for ' + what);
  }
  var good = source('/s');
  req = net.take();
  req.respond(200, { 'Content-Type': ' Text/Event-Stream ; charset=iso-8859-1' });
  req.send('data: ok\n\n');
  checkLines(good.log, ['open rs=1', 'message "ok" id=""'], 'events with a Content-Type in another case and a charset');
});

test('network errors reestablish the connection', function () {
  var s = source('/s');
  var req = net.take();
  req.fail();
  checkLines(clock.delays().map(String), ['3000'], 'delay after a refused connection');
  advance(3000);
  req = net.take();
  accept(req);
  req.send('data: 1\n\ndata: 2');
  req.fail();
  advance(3000);
  req = net.take();
  accept(req);
  req.send('data: 3\n\n');
  checkLines(s.log, ['error rs=0', 'open rs=1', 'message "1" id=""', 'error rs=0', 'open rs=1', 'message "3" id=""'], 'events');
});

test('close() in a listener drops the rest of the chunk', function () {
  var s = source('/s');
  s.es.addEventListener('message', function (e) {
    if (e.data === '1') s.es.close();
  });
  var req = net.take();
  accept(req);
  req.send('data: 1\n\ndata: 2\n\ndata: 3\n\n');
  checkEqual(s.es.readyState, 2, 'readyState');
  check(req.aborted(), 'the request was aborted');
  checkEqual(clock.pending(), 0, 'timers');
  req.send('data: 4\n\n');
  req.finish();
  advance(10000);
  checkEqual(net.queued(), 0, 'requests after close()');
  checkLines(s.log, ['open rs=1', 'message "1" id=""'], 'events');
});

test('close() while reconnecting cancels the reconnection', function () {
  var s = source('/s');
  var req = net.take();
  accept(req);
  req.finish();
  checkEqual(clock.pending(), 1, 'reconnection timer');
  s.es.close();
  checkEqual(clock.pending(), 0, 'timers after close()');
  advance(10000);
  checkEqual(net.queued(), 0, 'requests after close()');
  checkLines(s.log, ['open rs=1', 'error rs=0'], 'events');
});

test('onopen / onmessage / onerror handler attributes', function () {
  var es = new EventSource('/s');
  opened.push(es);
  var log = [];
  es.onopen = function (e) {
    log.push('onopen ' + e.type + ' this=es:' + (this === es));
  };
  es.onmessage = function (e) {
    log.push('first ' + e.data);
  };
  es.addEventListener('message', function (e) {
    log.push('listener ' + e.data);
  });
  // Replaced in place: the handler keeps the position of its first assignment.
  es.onmessage = function (e) {
    log.push('second ' + e.data);
  };
  es.onerror = function () {
    log.push('onerror rs=' + es.readyState);
  };
  var req = net.take();
  accept(req);
  req.send('data: x\n\n');
  es.onmessage = null;
  checkEqual(es.onmessage, null, 'onmessage after null');
  req.send('data: y\n\n');
  es.onmessage = 'not callable';
  checkEqual(es.onmessage, null, 'onmessage after a string');
  var h = function (e) {
    log.push('third ' + e.data);
  };
  es.onmessage = h;
  checkEqual(es.onmessage, h, 'onmessage getter');
  req.send('data: z\n\n');
  req.finish();
  checkLines(log, ['onopen open this=es:true', 'second x', 'listener x', 'listener y', 'listener z', 'third z', 'onerror rs=0'], 'calls');
});

test('addEventListener dedupes, removeEventListener, handleEvent objects', function () {
  var es = new EventSource('/s');
  opened.push(es);
  var log = [];
  var f = function (e) {
    log.push('f ' + e.data);
  };
  var g = function (e) {
    log.push('g ' + e.data);
  };
  es.addEventListener('message', f);
  es.addEventListener('message', f);
  es.addEventListener('message', g);
  es.addEventListener('message', {
    handleEvent: function (e) {
      log.push('object ' + e.data);
    },
  });
  var req = net.take();
  accept(req);
  req.send('data: 1\n\n');
  es.removeEventListener('message', g);
  req.send('data: 2\n\n');
  checkLines(log, ['f 1', 'g 1', 'object 1', 'f 2', 'object 2'], 'calls');
});

test('event objects: open, message, error', function () {
  var es = new EventSource('/s');
  opened.push(es);
  var seen = [];
  function look(e) {
    seen.push(
      e.type +
        ' target=es:' +
        (e.target === es) +
        ' currentTarget=es:' +
        (e.currentTarget === es) +
        ' bubbles=' +
        e.bubbles +
        ' cancelable=' +
        e.cancelable +
        ' preventDefault=' +
        typeof e.preventDefault
    );
    if (e.type === 'message') {
      seen.push(
        '  data=' +
          show(e.data) +
          ' origin=' +
          show(e.origin) +
          ' lastEventId=' +
          show(e.lastEventId) +
          ' source=' +
          e.source +
          ' ports=' +
          Object.prototype.toString.call(e.ports) +
          ':' +
          (e.ports && e.ports.length)
      );
    }
    if (SHIM_EVENTS !== 'plain') seen.push('  made by document.createEvent: ' + (e instanceof IEEvent));
  }
  es.addEventListener('open', look);
  es.addEventListener('message', look);
  es.addEventListener('error', look);
  var req = net.take();
  accept(req);
  req.send('id: 4\ndata: d\n\n');
  req.finish();
  var expected = [];
  expected.push('open target=es:true currentTarget=es:true bubbles=false cancelable=false preventDefault=function');
  if (SHIM_EVENTS !== 'plain') expected.push('  made by document.createEvent: true');
  expected.push('message target=es:true currentTarget=es:true bubbles=false cancelable=false preventDefault=function');
  expected.push('  data="d" origin="http://127.0.0.1:3001" lastEventId="4" source=null ports=[object Array]:0');
  if (SHIM_EVENTS !== 'plain') expected.push('  made by document.createEvent: true');
  expected.push('error target=es:true currentTarget=es:true bubbles=false cancelable=false preventDefault=function');
  if (SHIM_EVENTS !== 'plain') expected.push('  made by document.createEvent: true');
  checkLines(seen, expected, 'event objects');
});

test('EventSource.CONNECTING / OPEN / CLOSED, length, read-only attributes', function () {
  checkEqual(EventSource.CONNECTING, 0, 'EventSource.CONNECTING');
  checkEqual(EventSource.OPEN, 1, 'EventSource.OPEN');
  checkEqual(EventSource.CLOSED, 2, 'EventSource.CLOSED');
  checkEqual(EventSource.prototype.CONNECTING, 0, 'prototype.CONNECTING');
  checkEqual(EventSource.prototype.OPEN, 1, 'prototype.OPEN');
  checkEqual(EventSource.prototype.CLOSED, 2, 'prototype.CLOSED');
  checkEqual(EventSource.length, 1, 'EventSource.length');
  EventSource.OPEN = 5;
  checkEqual(EventSource.OPEN, 1, 'EventSource.OPEN after an assignment');
  var es = new EventSource('/s');
  opened.push(es);
  checkEqual(es.CLOSED, 2, 'instance CLOSED');
  es.readyState = 2;
  es.url = 'x';
  checkEqual(es.readyState, 0, 'readyState after an assignment');
  checkEqual(es.url, 'http://127.0.0.1:3001/s', 'url after an assignment');
  checkEqual(es.withCredentials, false, 'withCredentials');
  check(es instanceof EventSource, 'instanceof EventSource');
  checkEqual(typeof es.close, 'function', 'typeof close');
  net.take();
});

test('TypeError without arguments and without new', function () {
  checkThrows(
    function () {
      return new EventSource();
    },
    'TypeError',
    'new EventSource()'
  );
  checkThrows(
    function () {
      return EventSource('/s');
    },
    'TypeError',
    'EventSource(url) without new'
  );
  checkThrows(
    function () {
      return EventSource.call({}, '/s');
    },
    'TypeError',
    'EventSource.call({}, url)'
  );
  checkThrows(
    function () {
      EventSource.prototype.close.call({});
    },
    'TypeError',
    'close() on another object'
  );
  checkEqual(net.queued(), 0, 'requests sent by the failed constructions');
});

test('URL resolution against location.href, credentials, cross-origin headers', function () {
  var urls = [
    ['event?id=1', 'http://127.0.0.1:3001/event?id=1'],
    ['/event', 'http://127.0.0.1:3001/event'],
    ['', 'http://127.0.0.1:3001/legacy'],
    ['?q=1', 'http://127.0.0.1:3001/legacy?q=1'],
    ['//other.example:8080/s', 'http://other.example:8080/s'],
    ['https://other.example/s?x#f', 'https://other.example/s?x#f'],
  ];
  for (var i = 0; i < urls.length; i++) {
    var es = new EventSource(urls[i][0]);
    opened.push(es);
    checkEqual(es.url, urls[i][1], 'url of ' + show(urls[i][0]));
    net.take();
  }
  var s = source('http://other.example/s', { withCredentials: true });
  checkEqual(s.es.withCredentials, true, 'withCredentials');
  var req = net.take();
  checkEqual(req.withCredentials, true, 'xhr.withCredentials');
  checkLines(req.headerLines(), ['Accept: text/event-stream'], 'cross-origin request headers');
  accept(req);
  req.send('data: x\n\n');
  checkLines(s.log, ['open rs=1', 'message "x" id=""'], 'events');
  var same = new EventSource('/s', { withCredentials: 0 });
  opened.push(same);
  req = net.take();
  checkEqual(req.withCredentials, false, 'xhr.withCredentials with a falsy init');
  checkLines(req.headerLines(), ['Accept: text/event-stream', 'Cache-Control: no-cache'], 'same-origin request headers');
  checkEqual(req.mime, 'text/plain; charset=utf-8', 'overrideMimeType');
});

test('message origin is the origin of the URL, default port dropped', function () {
  var s = new EventSource('http://other.example:80/s');
  opened.push(s);
  var origins = [];
  s.onmessage = function (e) {
    origins.push(e.origin);
  };
  var req = net.take();
  accept(req);
  req.send('data: x\n\n');
  checkLines(origins, ['http://other.example'], 'origins');
});

cases.finish();
