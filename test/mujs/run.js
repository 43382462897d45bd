// Entry point for mujs, which runs a single script: takes --flags for the shim, then loads each file argument in order into the one global scope.
var RUN = { options: {}, files: [] };
(function (args) {
  for (var i = 0; i < args.length; i++) {
    var m = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (m) RUN.options[m[1]] = m[2] === undefined ? true : m[2];
    else RUN.files.push(args[i]);
  }
  if (RUN.files.length === 0) throw new Error('usage: mujs run.js [--events=plain|ie|page] shim.js dist/ssekit.js scenario.js');
  for (i = 0; i < RUN.files.length; i++) load(RUN.files[i]);
})(scriptArgs);
