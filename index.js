// The Pulumi program's entry (package.json `main`): the program is TypeScript, `index.ts`. Pulumi's own
// TypeScript support (ts-node) is off in Pulumi.yaml: ts-node's set-up and its transpiling cost about a
// second at the start of every preview and `up` (docs/benchmarks.md, issue 23). sucrase
// only removes the types as each file loads, and it keeps every line where it was, so a stack trace
// points at the TypeScript line without source maps (test/unit/program/entry.test.ts). Type checking
// is `npm test`'s `tsc`, as before.
//
// Node (22.1 and later) keeps the compiled code of each module the program loads after this line, so
// later runs skip compiling it: about 0.25 s of a 500-card preview (docs/benchmarks.md). The cache is
// under the project's node_modules, which only its owner writes, not in the shared temporary folder
// Node picks by default. NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it off.
require('node:module').enableCompileCache?.(
  process.env.NODE_COMPILE_CACHE || require('node:path').join(__dirname, 'node_modules', '.cache', 'node-compile-cache'),
);
require('sucrase/register/ts');

// @pulumi/pulumi's `run` installs source-map-support before it loads the program (cmd/run/index.js). It
// maps every frame of every stack read through the `.js.map` files beside @pulumi/pulumi's own code, and
// @pulumi/pulumi reads a stack for every promise it makes: a fifth of the program's CPU in a 500-card
// preview (docs/benchmarks.md). Nothing here needs it: sucrase keeps TypeScript lines, and JavaScript
// frames are shown as V8 gives them, formatted as Node formats them.
//
// Those promise stacks (`new Error().stack` in runtime/debuggable.js, `debuggablePromise`, four per
// property of every resource) are only printed for promises a program leaks, when
// PULUMI_DEBUG_PROMISE_LEAKS is set. Formatting them was another 8 % of the program's CPU, and their
// strings a share of its garbage, so unless that variable is set each is a short note instead.
const PROMISE_STACK = 'Error: stack not recorded (set PULUMI_DEBUG_PROMISE_LEAKS to record it)';
Error.prepareStackTrace = process.env.PULUMI_DEBUG_PROMISE_LEAKS
  ? undefined
  : (error, frames) => {
      if (frames[0]?.getFunctionName() === 'debuggablePromise') return PROMISE_STACK;
      const head = error instanceof Error ? error.toString() : Error.prototype.toString.call(error);
      return frames.length === 0 ? head : `${head}\n    at ${frames.join('\n    at ')}`;
    };

module.exports = require('./index.ts');
