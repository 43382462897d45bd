// SSEKit.connect() in a genuine ES5 engine (no Promise, no Symbol) over the shim's IE11-like XHR: the response hook, retry decisions and timing, [DONE], handler properties, Last-Event-ID, errors.

var streams = [];

function open(url, options) {
  var stream = SSEKit.connect(url, options || {});
  streams.push(stream);
  var log = [];
  stream.addEventListener('open', function () {
    log.push('open');
  });
  stream.addEventListener('message', function (e) {
    log.push('message ' + show(typeof e.data === 'string' ? e.data : JSON.stringify(e.data)));
  });
  stream.addEventListener('error', function (e) {
    log.push('error ' + e.error.name);
  });
  stream.addEventListener('close', function (e) {
    log.push('close ' + (e.error ? e.error.name : 'clean'));
  });
  return { stream: stream, log: log };
}

function accept(req) {
  req.respond(200, { 'Content-Type': 'text/event-stream' });
}

// Each case leaves nothing behind: its streams closed, no timer pending.
function test(name, fn) {
  var random = Math.random;
  cases.run(name, function () {
    try {
      fn();
    } finally {
      Math.random = random;
      for (var i = 0; i < streams.length; i++) streams[i].close();
      streams = [];
    }
    checkEqual(clock.pending(), 0, 'timers pending after close()');
  });
}

test('onResponse: on 401 the token is refreshed and the stream reconnects at once, once', function () {
  var token = 'stale';
  var retried = false;
  var s = open('/s', {
    headers: function () {
      return { Authorization: 'Bearer ' + token };
    },
    onResponse: function (response) {
      if (response.status !== 401) retried = false;
      else if (!retried) {
        retried = true;
        token = 'fresh';
        return 'retry';
      }
    },
  });
  var req = net.take();
  checkEqual(req.header('Authorization'), 'Bearer stale', 'first token');
  req.respond(401, { 'Content-Type': 'text/plain' }, 'Unauthorized');
  checkLines(clock.delays().map(String), ['0'], 'the retry waits nothing');
  req = net.take();
  checkEqual(req.header('Authorization'), 'Bearer fresh', 'refreshed token');
  accept(req);
  req.send('data: hi\n\n');
  checkLines(s.log, ['error HttpStatusError', 'open', 'message "hi"'], 'events');
});

test("onResponse: 'accept' reads a text/plain body, an Error ends the stream with it", function () {
  var s = open('/s', {
    onResponse: function (response) {
      return response.headers.get('X-Verdict') === 'end' ? new SSEKit.SSEError('refused by the page') : 'accept';
    },
  });
  var req = net.take();
  req.respond(200, { 'Content-Type': 'text/plain' });
  req.send('data: a\n\n');
  req.finish();
  advance(1000);
  req = net.take();
  req.respond(200, { 'Content-Type': 'text/event-stream', 'X-Verdict': 'end' });
  checkEqual(req.aborted(), true, 'the refused response is aborted');
  checkLines(s.log, ['open', 'message "a"', 'error SSEError', 'close SSEError'], 'events');
});

test('retry.shouldRetry: true retries a 404, false ends on a 503; attempt counts from 1', function () {
  var calls = [];
  var s = open('/s', {
    retry: {
      jitter: 0,
      shouldRetry: function (error, attempt) {
        calls.push(error.status + '@' + attempt);
        return error.status === 404;
      },
    },
  });
  net.take().respond(404, {});
  advance(1000);
  net.take().respond(503, {});
  checkLines(calls, ['404@1', '503@2'], 'shouldRetry calls');
  checkLines(s.log, ['error HttpStatusError', 'error HttpStatusError', 'close HttpStatusError'], 'events');
});

test("retry.min floors the server's retry: 0; Retry-After is never undercut and spread by jitter", function () {
  Math.random = function () {
    return 0.5;
  };
  open('/s');
  var req = net.take();
  accept(req);
  req.send('retry: 0\ndata: x\n\n');
  req.finish();
  checkLines(clock.delays().map(String), ['500'], 'wait after retry: 0');
  advance(500);
  net.take().respond(503, { 'Retry-After': '2' });
  // One reconnection made since the open: the delay is 500 × 2; half of it after the 2 s asked.
  checkLines(clock.delays().map(String), ['2500'], 'Retry-After 2 s, then half of the 1000 ms delay');
});

test('json: data: [DONE] closes the stream cleanly, without a ParseError', function () {
  var s = open('/s', { json: true });
  var req = net.take();
  accept(req);
  req.send(': OPENROUTER PROCESSING\n\ndata: {"t":"a"}\n\ndata: [DONE]\n\n');
  checkEqual(req.aborted(), true, 'request aborted');
  checkLines(s.log, ['open', 'message "{\\"t\\":\\"a\\"}"', 'close clean'], 'events');
});

test('handler properties onopen, onmessage, onerror, onclose', function () {
  var stream = SSEKit.connect('/s', { retry: { maxAttempts: 0 } });
  streams.push(stream);
  var calls = [];
  stream.onopen = function (e) {
    calls.push(e.type + (this === stream ? ' this' : ''));
  };
  stream.onmessage = function (e) {
    calls.push('message ' + e.data);
  };
  stream.onerror = function (e) {
    calls.push('error ' + e.error.name);
  };
  stream.onclose = function (e) {
    calls.push('close ' + e.error.name);
  };
  checkEqual(typeof stream.onclose, 'function', 'getter');
  var req = net.take();
  accept(req);
  req.send('data: m\n\nevent: error\ndata: not the stream error\n\n');
  req.finish();
  checkLines(calls, ['open this', 'message m', 'error GaveUpError', 'close GaveUpError'], 'handler calls');
  stream.onmessage = null;
  checkEqual(stream.onmessage, null, 'null removes');
});

test('a Last-Event-ID in headers is the starting point only, and the object is left alone', function () {
  var headers = { 'Last-Event-ID': 'saved' };
  open('/s', { headers: headers, retry: { jitter: 0 } });
  var req = net.take();
  checkEqual(req.header('Last-Event-ID'), 'saved', 'first request');
  accept(req);
  req.send('id: 7\ndata: x\n\n');
  req.finish();
  advance(1000);
  checkEqual(net.take().header('Last-Event-ID'), '7', 'after the stream named an id');
  checkEqual(JSON.stringify(headers), '{"Last-Event-ID":"saved"}', 'headers object');
});

test('errors say what happened: NetworkError before a response, GaveUpError names the last failure', function () {
  var s = open('/s', { retry: { maxAttempts: 1, jitter: 0 } });
  var messages = [];
  s.stream.addEventListener('error', function (e) {
    messages.push(e.error.message);
  });
  net.take().fail();
  advance(1000);
  net.take().respond(502, {}, 'Bad Gateway');
  checkLines(
    messages,
    [
      'Could not connect to http://127.0.0.1:3001/s.',
      'The server answered 502 Bad Gateway for http://127.0.0.1:3001/s.',
      'Gave up after 1 reconnection attempt; the last failure: The server answered 502 Bad Gateway for http://127.0.0.1:3001/s.',
    ],
    'error messages'
  );
});

// readyState 4 comes at a normal end and at a reset alike; only load is the end (xhr.ts).
test('over XHR, a reset mid-body is a network error: a POST ends with a NetworkError, however the engine reports it', function () {
  var ways = ['fail', 'reset'];
  for (var i = 0; i < ways.length; i++) {
    var s = open('/s', { body: 'x' });
    var req = net.take();
    accept(req);
    req.send('data: part\n\n');
    req[ways[i]]();
    checkLines(s.log, ['open', 'message "part"', 'error NetworkError', 'close NetworkError'], ways[i] + ': events');
  }
});

test('over XHR, a reset mid-body makes a GET reconnect after an error event; a clean end reconnects without one', function () {
  var s = open('/s', { retry: { jitter: 0 } });
  var req = net.take();
  accept(req);
  req.send('id: 1\ndata: a\n\n');
  req.reset();
  advance(1000);
  req = net.take();
  checkEqual(req.header('Last-Event-ID'), '1', 'Last-Event-ID after the reset');
  accept(req);
  req.send('data: b\n\n');
  req.finish();
  checkLines(clock.delays().map(String), ['1000'], 'the wait after a clean end');
  checkLines(s.log, ['open', 'message "a"', 'error NetworkError', 'open', 'message "b"'], 'events');
});

cases.finish();
