// A throwing listener in mujs: reported as an uncaught error while the other listeners and the stream go on; from a setTimeout rethrow without createElement, from an element's dispatch at once in a page.

// A page (createElement) reports through a DOM event, before the next listener runs; without one
// (no reportError in IE either), the engine can only rethrow from a timer, after the dispatch.
var atOnce = SHIM_EVENTS === 'page';
var es = new EventSource('/s');
var log = [];
var seen = 0;
// Logs the errors reported since the last call, so the log shows where each report happened.
function reports() {
  while (seen < uncaught.length) log.push('reported ' + uncaught[seen++]);
}
es.addEventListener('message', function (e) {
  reports();
  log.push('A ' + e.data);
  throw new Error('boom ' + e.data);
});
es.addEventListener('message', function (e) {
  reports();
  log.push('B ' + e.data);
});
es.onmessage = function (e) {
  reports();
  log.push('handler ' + e.data);
  throw new TypeError('handler ' + e.data);
};
var req = net.take();
req.respond(200, { 'Content-Type': 'text/event-stream' });
req.send('data: 1\n\ndata: 2\n\n');
req.send('data: 3\n\n');
reports();
var calls = [];
var errors = ['Error: boom 1', 'TypeError: handler 1', 'Error: boom 2', 'TypeError: handler 2', 'Error: boom 3', 'TypeError: handler 3'];
for (var n = 1; n <= 3; n++) {
  calls.push('A ' + n);
  if (atOnce) calls.push('reported Error: boom ' + n);
  calls.push('B ' + n, 'handler ' + n);
  if (atOnce) calls.push('reported TypeError: handler ' + n);
}
checkLines(log, calls, 'listener calls and reports');
checkEqual(es.readyState, 1, 'readyState');
// Reported asynchronously from timers (or already, in a page), each in the order thrown.
advance(0);
checkLines(uncaught, errors, 'reported errors');
es.close();
checkEqual(clock.pending(), 0, 'timers after close()');
print('PASS');
