// The page's lifecycle in a genuine ES5 engine over the shim's IE11-like page: non-HTTP URLs and the page's own aborts for EventSource.

function source(url) {
  var es = new EventSource(url);
  var log = [];
  function record(e) {
    log.push(e.type + ' ' + es.readyState + (e.data === undefined ? '' : ' ' + e.data));
  }
  es.addEventListener('open', record);
  es.addEventListener('message', record);
  es.addEventListener('error', record);
  return { es: es, log: log };
}

function accept(req) {
  req.respond(200, { 'Content-Type': 'text/event-stream' });
}

// Each case leaves nothing behind: no timer.
function test(name, fn) {
  cases.run(name, function () {
    fn();
    checkEqual(clock.pending(), 0, 'timers pending at the end');
  });
}

test('EventSource: a URL whose scheme is not http(s), data or blob fails at once, without a request', function () {
  var urls = ['ftp://127.0.0.1/s', 'mailto:a@example.com', 'javascript:void 0', 'about:blank'];
  for (var i = 0; i < urls.length; i++) {
    var s = source(urls[i]);
    clock.advance(0);
    checkLines(s.log, ['error 2'], urls[i]);
  }
  checkEqual(net.queued(), 0, 'requests made');
});

test('EventSource: an abort the page caused (window.stop()) fails the connection, no reconnection', function () {
  var s = source('/s');
  var req = net.take();
  accept(req);
  req.send('data: a\n\n');
  req.abortByPage();
  checkLines(s.log, ['open 1', 'message 1 a', 'error 2'], 'events');
  checkEqual(clock.pending(), 0, 'no reconnection pending');
});

cases.finish();
