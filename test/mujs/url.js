// URL resolution in mujs, where the engine has neither URL nor document.createElement and merges URLs itself (IE10-11 workers take this path): es.url must equal what the WHATWG URL parser gives.

location.href = 'http://127.0.0.1:3001/legacy/page?x=1#h';

// Expected values are Node's new URL(input, location.href).href.
var resolved = [
  ['event', 'http://127.0.0.1:3001/legacy/event'],
  ['/event?id=50', 'http://127.0.0.1:3001/event?id=50'],
  ['?q', 'http://127.0.0.1:3001/legacy/page?q'],
  ['//other.example:8080/s', 'http://other.example:8080/s'],
  ['https://other.example/s?x#f', 'https://other.example/s?x#f'],
  ['../event', 'http://127.0.0.1:3001/event'],
  ['./event', 'http://127.0.0.1:3001/legacy/event'],
  ['a/./b/../c', 'http://127.0.0.1:3001/legacy/a/c'],
  ['/x/../y', 'http://127.0.0.1:3001/y'],
  ['', 'http://127.0.0.1:3001/legacy/page?x=1'],
  ['#f', 'http://127.0.0.1:3001/legacy/page?x=1#f'],
  ['HTTP://Example.COM:80/A', 'http://example.com/A'],
  ['http://example.com', 'http://example.com/'],
];

for (var i = 0; i < resolved.length; i++) {
  (function (input, expected) {
    cases.run('url ' + show(input), function () {
      var es = new EventSource(input);
      try {
        checkEqual(es.url, expected, 'es.url for ' + show(input));
      } finally {
        es.close();
      }
    });
  })(resolved[i][0], resolved[i][1]);
}

var invalid = ['http://exa mple.com/', 'http://[bad/'];
for (i = 0; i < invalid.length; i++) {
  (function (input) {
    cases.run('url ' + show(input) + ' throws SyntaxError', function () {
      checkInvalidURL(input);
    });
  })(invalid[i]);
}

cases.finish();
