// The Pulumi program's entry (package.json `main`): the program is TypeScript, `index.ts`. Pulumi's own
// TypeScript support (ts-node) is off in Pulumi.yaml: ts-node's set-up and its transpiling cost about a
// second at the start of every preview and `up` (docs/benchmarks.md, issue 23). sucrase
// only removes the types as each file loads, and it keeps every line where it was, so a stack trace
// points at the TypeScript line without source maps (test/unit/program/entry.test.ts). Type checking
// is `npm test`'s `tsc`, as before.
require('sucrase/register/ts');

// @pulumi/pulumi's `run` installs source-map-support before it loads the program (cmd/run/index.js). It
// maps every frame of every stack read through the `.js.map` files beside @pulumi/pulumi's own code, and
// @pulumi/pulumi reads a stack for every promise it makes: a fifth of the program's CPU in a 500-card
// preview (docs/benchmarks.md). Nothing here needs it: sucrase keeps TypeScript lines, and JavaScript
// frames are shown as V8 gives them.
Error.prepareStackTrace = undefined;

module.exports = require('./index.ts');
