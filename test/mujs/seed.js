// The seed's example in mujs: new EventSource('/event?id=50') against a scripted copy of its Koa /event handler, three connections, Last-Event-ID sent back, then close().

var transcript = [];
function say(line) {
  transcript.push('t=' + clock.now() + ' ' + line);
  print('t=' + clock.now() + ' ' + line);
}

// The seed's GET /event: writes the headers and the next event, then returns; with no body set,
// Koa ends the response itself with the 404 status message ("Not Found", no newline).
function serveSeed(req, options) {
  var last = req.header('Last-Event-ID');
  var query = /[?&]id=([^&#]*)/.exec(req.url);
  var n = Number(last) || (query ? Number(decodeURIComponent(query[1])) : 0) || 100;
  req.respond(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' });
  n++;
  req.send('id: ' + n + ' \n');
  req.send('data: ' + n + ' \n\n');
  if (options && options.beforeEnd) options.beforeEnd();
  req.send('Not Found');
  req.finish();
}

function logRequest(req) {
  say(
    'request ' +
      req.method +
      ' ' +
      req.url +
      ' [' +
      req.headerLines().join(' | ') +
      ']' +
      ' withCredentials=' +
      req.withCredentials +
      ' overrideMimeType=' +
      show(req.mime)
  );
}

check(typeof EventSource === 'function', 'the polyfill installed a global EventSource');
var es = new EventSource('/event?id=50');
checkEqual(es.url, 'http://127.0.0.1:3001/event?id=50', 'es.url');
checkEqual(es.readyState, 0, 'readyState right after construction');

es.addEventListener(
  'open',
  function () {
    say('open readyState=' + es.readyState);
  },
  false
);
es.addEventListener(
  'message',
  function (e) {
    say('message data=' + show(e.data) + ' lastEventId=' + show(e.lastEventId) + ' origin=' + e.origin + ' readyState=' + es.readyState);
  },
  false
);
es.addEventListener(
  'error',
  function () {
    say('error readyState=' + es.readyState + ' timers=' + clock.pending());
  },
  false
);

// Connection 1, then the two reconnections, each 3000 ms after the previous response ended.
var req = net.take();
logRequest(req);
checkEqual(req.header('Last-Event-ID'), null, 'first request carries no Last-Event-ID');
serveSeed(req);
checkEqual(es.readyState, 0, 'readyState after the first response ended');
checkLines(clock.delays().map(String), ['3000'], 'pending reconnection delays');

for (var round = 2; round <= 3; round++) {
  advance(2999);
  checkEqual(net.queued(), 0, 'no reconnection before 3000 ms (round ' + round + ')');
  advance(1);
  checkEqual(net.queued(), 1, 'reconnected at 3000 ms (round ' + round + ')');
  req = net.take();
  logRequest(req);
  checkEqual(req.header('Last-Event-ID'), String(49 + round) + ' ', 'Last-Event-ID of request ' + round);
  if (round === 2) serveSeed(req);
}

// The third connection: the page closes the source after ">>53 ", while the response is still open.
serveSeed(req, {
  beforeEnd: function () {
    es.close();
    say('close() readyState=' + es.readyState + ' aborted=' + req.aborted() + ' timers=' + clock.pending());
  },
});
checkEqual(es.readyState, 2, 'readyState after close()');
check(req.aborted(), 'close() aborted the XHR');
checkEqual(clock.pending(), 0, 'no timer pending after close()');
advance(60000);
checkEqual(net.queued(), 0, 'no request after close()');
checkEqual(net.requests.length, 3, 'three requests in all');
if (uncaught.length) throw new Error('uncaught errors:\n' + uncaughtDetails.join('\n'));
say('done');
print('PASS');
