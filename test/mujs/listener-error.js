// A throwing listener in mujs: reported as an uncaught error (setTimeout rethrow: no reportError in IE), while the other listeners and the stream go on.

var es = new EventSource('/s');
var log = [];
es.addEventListener('message', function (e) {
  log.push('A ' + e.data);
  throw new Error('boom ' + e.data);
});
es.addEventListener('message', function (e) {
  log.push('B ' + e.data);
});
es.onmessage = function (e) {
  log.push('handler ' + e.data);
  throw new TypeError('handler ' + e.data);
};
var req = net.take();
req.respond(200, { 'Content-Type': 'text/event-stream' });
req.send('data: 1\n\ndata: 2\n\n');
req.send('data: 3\n\n');
if (uncaught.length) throw new Error('uncaught errors during dispatch:\n' + uncaughtDetails.join('\n'));
checkLines(log, ['A 1', 'B 1', 'handler 1', 'A 2', 'B 2', 'handler 2', 'A 3', 'B 3', 'handler 3'], 'listener calls');
checkEqual(es.readyState, 1, 'readyState');
// Reported asynchronously, as the platform reports an uncaught exception, each in the order thrown.
advance(0);
checkLines(
  uncaught,
  ['Error: boom 1', 'TypeError: handler 1', 'Error: boom 2', 'TypeError: handler 2', 'Error: boom 3', 'TypeError: handler 3'],
  'reported errors'
);
es.close();
checkEqual(clock.pending(), 0, 'timers after close()');
print('PASS');
