// The classic polyfill as a page loads it in mujs: EventSource is the only global it adds (no SSEKit), and an existing EventSource is never replaced.

var distFile = null;
for (var i = 0; i < RUN.files.length; i++) {
  if (/(^|\/)polyfill(\.min)?\.js$/.test(RUN.files[i])) distFile = RUN.files[i];
}
check(distFile !== null, 'the classic polyfill is among the loaded files');

// The globals the polyfill added, leaving out this scenario's own.
function addedGlobals() {
  var added = [];
  var now = Object.getOwnPropertyNames(window);
  for (var i = 0; i < now.length; i++) {
    if (SHIM_GLOBALS.indexOf(now[i]) === -1 && now[i] !== 'distFile' && now[i] !== 'i' && now[i] !== 'addedGlobals') added.push(now[i]);
  }
  return added.sort();
}

cases.run('only EventSource is added to the global object', function () {
  checkLines(addedGlobals(), ['EventSource'], 'new globals');
  checkEqual(typeof SSEKit, 'undefined', 'typeof SSEKit');
});

cases.run('the global EventSource is the same on window and self, with the IDL surface', function () {
  checkEqual(typeof EventSource, 'function', 'typeof EventSource');
  check(window.EventSource === EventSource && self.EventSource === EventSource, 'window.EventSource and self.EventSource');
  checkEqual(EventSource.length, 1, 'EventSource.length');
  checkEqual([EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED].join(), '0,1,2', 'CONNECTING, OPEN, CLOSED');
});

cases.run('a page that already has EventSource keeps it', function () {
  var Native = function EventSource(url) {
    this.url = url;
  };
  var ours = EventSource;
  window.EventSource = Native;
  load(distFile);
  check(window.EventSource === Native, 'the existing EventSource was kept');
  checkLines(addedGlobals(), ['EventSource'], 'globals after a second load');
  window.EventSource = ours;
});

cases.run('loaded again where EventSource is missing, it installs a working one', function () {
  var ours = EventSource;
  delete window.EventSource;
  load(distFile);
  check(typeof window.EventSource === 'function' && window.EventSource !== ours, 'a new EventSource installed');
  var es = new EventSource('/s');
  var got = [];
  es.onmessage = function (e) {
    got.push(e.data);
  };
  var req = net.take();
  req.respond(200, { 'Content-Type': 'text/event-stream' });
  req.send('data: x\n\n');
  es.close();
  checkLines(got, ['x'], 'messages');
  window.EventSource = ours;
});

cases.finish();
