// The classic script as a page loads it in mujs: SSEKit and EventSource are the only globals it adds, and an existing EventSource is never replaced.

var distFile = null;
for (var i = 0; i < RUN.files.length; i++) {
  if (/ssekit(\.min)?\.js$/.test(RUN.files[i])) distFile = RUN.files[i];
}
check(distFile !== null, 'the classic script is among the loaded files');

cases.run('only SSEKit and EventSource are added to the global object', function () {
  var added = [];
  var now = Object.getOwnPropertyNames(window);
  for (var i = 0; i < now.length; i++) {
    if (SHIM_GLOBALS.indexOf(now[i]) === -1 && now[i] !== 'distFile' && now[i] !== 'i') added.push(now[i]);
  }
  added.sort();
  checkLines(added, ['EventSource', 'SSEKit'], 'new globals');
});

cases.run('the global EventSource is SSEKit.EventSource, on window and self', function () {
  checkEqual(typeof SSEKit, 'object', 'typeof SSEKit');
  checkEqual(typeof SSEKit.EventSource, 'function', 'typeof SSEKit.EventSource');
  checkEqual(typeof SSEKit.createParser, 'function', 'typeof SSEKit.createParser');
  checkEqual(typeof SSEKit.install, 'function', 'typeof SSEKit.install');
  check(EventSource === SSEKit.EventSource, 'EventSource === SSEKit.EventSource');
  check(window.EventSource === SSEKit.EventSource && self.EventSource === SSEKit.EventSource, 'window.EventSource and self.EventSource');
  check(SSEKit.install() === SSEKit.EventSource, 'install() returns the installed EventSource');
});

cases.run('install() puts EventSource back after it was deleted', function () {
  delete window.EventSource;
  checkEqual(typeof window.EventSource, 'undefined', 'EventSource after delete');
  check(SSEKit.install() === SSEKit.EventSource, "install() returns ssekit's EventSource");
  check(window.EventSource === SSEKit.EventSource, 'window.EventSource reinstalled');
});

cases.run('SSEKit.createParser works on its own', function () {
  var got = [];
  var retries = [];
  var parser = SSEKit.createParser({
    onEvent: function (e) {
      got.push(e.type + ' ' + show(e.data) + ' id=' + show(e.lastEventId));
    },
    onRetry: function (ms) {
      retries.push(String(ms));
    },
  });
  var stream = 'retry: 10\r\nid: 1\r\nevent: a\r\ndata: x\r\ndata: y\r\n\r\n: c\n\ndata: z\r';
  for (var i = 0; i < stream.length; i++) parser.feed(stream.charAt(i));
  parser.feed('\n\n');
  checkLines(got, ['a "x\\ny" id="1"', 'message "z" id="1"'], 'events fed one character at a time');
  checkLines(retries, ['10'], 'retries');
});

cases.run('a page that already has EventSource keeps it', function () {
  var Native = function EventSource(url) {
    this.url = url;
  };
  var ours = SSEKit.EventSource;
  window.EventSource = Native;
  load(distFile);
  check(window.EventSource === Native, 'the existing EventSource was kept');
  check(SSEKit.EventSource !== Native && typeof SSEKit.EventSource === 'function', "SSEKit.EventSource is still ssekit's");
  check(SSEKit.install() === Native, 'install() returns the existing EventSource');
  window.EventSource = ours;
});

cases.finish();
