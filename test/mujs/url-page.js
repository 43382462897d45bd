// URL checks of the page-only polyfill in mujs: it resolves with an <a> element, which hands back what the URL parser would reject, so the engine's own check of a.href must throw the SyntaxError.

// The shim's <a> reads such URLs back unchanged, as a browser's does for a URL it cannot parse.
var invalid = ['http://exa mple.com/', 'http://[bad/', 'http://example.com:65536/'];
for (var i = 0; i < invalid.length; i++) {
  (function (input) {
    cases.run('url ' + show(input) + ' throws SyntaxError', function () {
      checkInvalidURL(input);
      advance(0);
      checkEqual(net.queued(), 0, 'requests sent');
    });
  })(invalid[i]);
}

// The highest port and a host in brackets pass the same check.
var valid = ['http://example.com:65535/s', 'http://[::1]:3001/s'];
for (i = 0; i < valid.length; i++) {
  (function (input) {
    cases.run('url ' + show(input), function () {
      var es = new EventSource(input);
      try {
        checkEqual(es.url, input, 'es.url');
        checkEqual(net.take().url, input, 'requested URL');
      } finally {
        es.close();
      }
    });
  })(valid[i]);
}

cases.finish();
