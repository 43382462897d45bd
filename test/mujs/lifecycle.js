// The page's lifecycle in a genuine ES5 engine over the shim's IE11-like page: the back/forward cache, non-HTTP URLs and the page's own aborts for EventSource; for connect() (dist/ssekit.js) also freeze/resume, offline counting and the hidden pause; no listener left after close().

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

// Each case leaves nothing behind: no timer, and no listener on window or document.
function test(name, fn) {
  cases.run(name, function () {
    var closers = [];
    try {
      fn(function (closable) {
        closers.push(closable);
        return closable;
      });
    } finally {
      for (var i = 0; i < closers.length; i++) closers[i].close();
      navigator.onLine = true;
    }
    checkEqual(clock.pending(), 0, 'timers pending after close()');
    checkLines(pageListenerCounts(), [], 'lifecycle listeners after close()');
  });
}

test('EventSource: the back/forward cache aborts the request; restored, it reconnects at once with Last-Event-ID, no error event', function (keep) {
  var s = source('/s');
  keep(s.es);
  checkLines(pageListenerCounts(), ['window pagehide:1', 'window pageshow:1'], 'listeners while open');
  var req = net.take();
  accept(req);
  req.send('id: 7\ndata: a\n\n');
  firePage('window', 'pagehide', { persisted: true });
  checkEqual(req.aborted(), true, 'request aborted on pagehide');
  checkEqual(clock.pending(), 0, 'no timer while cached');
  firePage('window', 'pageshow', { persisted: true });
  checkEqual(s.es.readyState, 0, 'readyState once restored');
  req = net.take();
  checkEqual(req.header('Last-Event-ID'), '7', 'Last-Event-ID');
  accept(req);
  req.send('data: b\n\n');
  checkLines(s.log, ['open 1', 'message 1 a', 'open 1', 'message 1 b'], 'events');
});

test('EventSource: page transition events without persisted (a page that is not cached, or IE) change nothing', function (keep) {
  var s = source('/s');
  keep(s.es);
  var req = net.take();
  accept(req);
  firePage('window', 'pagehide', {});
  firePage('window', 'pageshow', { persisted: false });
  req.send('data: a\n\n');
  checkEqual(req.aborted(), false, 'request kept');
  checkLines(s.log, ['open 1', 'message 1 a'], 'events');
});

test('EventSource: close() and a failed connection remove the listeners', function () {
  var s = source('/s');
  s.es.close();
  checkLines(pageListenerCounts(), [], 'after close()');
  s = source('/s');
  net.take().respond(404, {});
  checkLines(s.log, ['error 2'], 'events');
  checkLines(pageListenerCounts(), [], 'after the failure');
});

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

if (typeof SSEKit === 'object') {
  var stream = function (url, options) {
    var st = SSEKit.connect(url, options);
    var log = [];
    st.addEventListener('open', function () {
      log.push('open');
    });
    st.addEventListener('message', function (e) {
      log.push('message ' + e.data);
    });
    st.addEventListener('error', function (e) {
      log.push('error ' + e.error.name);
    });
    st.addEventListener('close', function (e) {
      log.push('close ' + (e.error ? e.error.name : 'clean'));
    });
    return { stream: st, log: log };
  };

  test('connect(): the back/forward cache and freeze abort the request; shown or resumed, it reconnects at once: no error, no attempt counted', function (keep) {
    var s = stream('/s', { retry: { maxAttempts: 0 } });
    keep(s.stream);
    var req = net.take();
    accept(req);
    req.send('id: 1\ndata: a\n\n');
    firePage('window', 'pagehide', { persisted: true });
    checkEqual(req.aborted(), true, 'aborted on pagehide');
    checkEqual(s.stream.readyState, 0, 'readyState while cached');
    firePage('window', 'pageshow', { persisted: true });
    req = net.take();
    checkEqual(req.header('Last-Event-ID'), '1', 'Last-Event-ID after the cache');
    accept(req);
    firePage('document', 'freeze', {});
    checkEqual(req.aborted(), true, 'aborted on freeze');
    firePage('document', 'resume', {});
    req = net.take();
    accept(req);
    req.send('data: b\n\n');
    checkLines(s.log, ['open', 'message a', 'open', 'open', 'message b'], 'events (maxAttempts 0 never gave up)');
  });

  test('connect(): offline, failures count no attempt; online reconnects at once', function (keep) {
    var s = stream('/s', { retry: { maxAttempts: 1, initial: 60000, min: 60000, max: 60000 } });
    keep(s.stream);
    navigator.onLine = false;
    net.take().fail();
    advance(60000);
    net.take().fail();
    checkLines(clock.delays().map(String), ['60000'], 'still waiting, not given up');
    navigator.onLine = true;
    firePage('window', 'online', {});
    accept(net.take());
    checkLines(s.log, ['error NetworkError', 'error NetworkError', 'open'], 'events');
  });

  test('connect(): pauseWhenHidden closes the request while the document is hidden, reopens it when visible', function (keep) {
    var s = stream('/s', { pauseWhenHidden: true });
    keep(s.stream);
    var req = net.take();
    accept(req);
    document.visibilityState = 'hidden';
    firePage('document', 'visibilitychange', {});
    checkEqual(req.aborted(), true, 'aborted while hidden');
    document.visibilityState = 'visible';
    firePage('document', 'visibilitychange', {});
    accept(net.take());
    checkLines(s.log, ['open', 'open'], 'events');
    delete document.visibilityState;
  });

  test('connect(): close() removes the listeners of window and document', function () {
    var s = stream('/s', {});
    checkLines(
      pageListenerCounts(),
      [
        'document freeze:1',
        'document resume:1',
        'document securitypolicyviolation:1',
        'document visibilitychange:1',
        'window online:1',
        'window pagehide:1',
        'window pageshow:1',
      ],
      'while open (securitypolicyviolation until the response)'
    );
    s.stream.close();
    checkLines(pageListenerCounts(), [], 'after close()');
  });
}

cases.finish();
