/**
 * index.js, the program's entry as Pulumi runs it (package.json `main`, Pulumi.yaml `typescript: false`):
 * the TypeScript sources load without ts-node, and a TypeScript frame of a stack trace keeps its line
 * with no source map, not even through the hook `run` installs; @pulumi/pulumi's promise stacks are a short note unless
 * PULUMI_DEBUG_PROMISE_LEAKS asks for them; compiled modules are cached under node_modules (issue 23). (The TypeScript
 * compiler is still loaded: `@pulumi/pulumi` parses functions with it to serialize dynamic providers, `runtime/closure`.)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { NODE_BIN_DIR, PROJECT_ROOT } from '../../../toolchain/paths';

/** The Node the CLI runs the program with (`toolchain/env.ts` puts it first on the PATH). */
const PROGRAM_NODE = path.join(NODE_BIN_DIR, 'node');

describe('index.js: the program loads as TypeScript without ts-node', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'program-entry-'));
    // Type-only lines that transpiling removes: the throw must still be reported on line 6.
    fs.writeFileSync(
      path.join(dir, 'thrower.ts'),
      'interface A {\n  a: number;\n}\ntype B = A;\nexport const b: B | undefined = undefined;\nexport function fail(): never { throw new Error("boom"); }\n',
    );
    fs.writeFileSync(path.join(dir, 'caller.js'), 'module.exports = (fail) => {\n  fail();\n};\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const { PULUMI_DEBUG_PROMISE_LEAKS: _leaks, NODE_COMPILE_CACHE: _cache, ...withoutEntryVariables } = process.env;
  /** Runs `script` in a plain `node` after requiring the entry the way @pulumi/pulumi's `run` does: after source-map-support. */
  const afterEntry = (script: string, env: NodeJS.ProcessEnv = {}) =>
    execFileSync(
      PROGRAM_NODE,
      [
        '-e',
        `require(require.resolve('source-map-support/register', { paths: [require.resolve('@pulumi/pulumi')] }));\nconst program = require(${JSON.stringify(path.join(PROJECT_ROOT, 'index.js'))});\n${script}`,
      ],
      {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        env: { ...withoutEntryVariables, ...env },
      },
    );

  /** Runs the lines of a script that writes one JSON value, and parses it. */
  const afterEntryJson = <T>(lines: string[]) => JSON.parse(afterEntry(lines.join('\n'))) as T;

  it('exports the program: the function Pulumi calls', () => {
    expect(afterEntry('process.stdout.write(typeof program);')).to.equal('function');
  });

  it('keeps the line of a TypeScript frame and leaves JavaScript frames as V8 gives them', () => {
    const stack = afterEntry(
      [
        `const { fail } = require(${JSON.stringify(path.join(dir, 'thrower.ts'))});`,
        `try { require(${JSON.stringify(path.join(dir, 'caller.js'))})(fail); } catch (error) { process.stdout.write(error.stack); }`,
      ].join('\n'),
    ).split('\n');
    expect(stack[0]).to.equal('Error: boom');
    expect(stack[1]).to.include(`${path.join(dir, 'thrower.ts')}:6:`);
    expect(stack[2]).to.include(`${path.join(dir, 'caller.js')}:2:`);
  });

  it("does not load ts-node, and no frame goes through a source map, not even @pulumi/pulumi's", () => {
    const loaded = afterEntryJson<{ modules: string[]; stack: string }>([
      "let stack = '';",
      "try { new (require('@pulumi/pulumi').Config)('entry-test').require('missing'); } catch (error) { stack = error.stack; }",
      'process.stdout.write(JSON.stringify({ modules: Object.keys(require.cache), stack }));',
    ]);
    const program = loaded.modules.filter((file) => file.startsWith(PROJECT_ROOT) && !file.includes(`${path.sep}node_modules${path.sep}`));
    expect(program)
      .to.include(path.join(PROJECT_ROOT, 'index.ts'))
      .and.include(path.join(PROJECT_ROOT, 'program', 'declare.ts'));
    expect(loaded.modules.filter((file) => /node_modules[\\/](ts-node|@cspotcode[\\/]source-map-support)[\\/]/.test(file))).to.deep.equal(
      [],
    );
    // @pulumi/pulumi ships `.js.map` files beside its JavaScript: a mapped frame would name its `.ts` source.
    expect(loaded.stack).to.match(/node_modules[\\/]@pulumi[\\/]pulumi[\\/]config\.js:\d+:\d+/);
    expect(loaded.stack).not.to.match(/\.ts:\d+/);
  });

  it("leaves out the stacks of @pulumi/pulumi's promises unless PULUMI_DEBUG_PROMISE_LEAKS is set", () => {
    const promiseStack = [
      "const { debuggablePromise } = require('@pulumi/pulumi/runtime/debuggable');",
      'const promise = Promise.resolve(1);',
      "debuggablePromise(promise, 'a test promise');",
      'process.stdout.write(promise._debugStackTrace);',
    ].join('\n');
    expect(afterEntry(promiseStack)).to.equal('Error: stack not recorded (set PULUMI_DEBUG_PROMISE_LEAKS to record it)');
    const recorded = afterEntry(promiseStack, { PULUMI_DEBUG_PROMISE_LEAKS: '1' }).split('\n');
    expect(recorded[0]).to.equal('Error');
    expect(recorded[1]).to.match(/^ {4}at debuggablePromise \(.*runtime[\\/]debuggable\.js:\d+:\d+\)$/);
  });

  it("formats every other stack as Node does: Node's own error codes, and the positions @pulumi/pulumi records for each resource", () => {
    const stacks = afterEntryJson<{ nodeError: string; empty: string; callsites: { file?: string; line?: number }[] }>([
      "const { Resource } = require('@pulumi/pulumi/resource');",
      "let nodeError = '';",
      "try { require('node:fs').readFileSync({}); } catch (error) { nodeError = error.stack; }",
      "Error.stackTraceLimit = 0; const empty = new Error('no frames').stack;",
      'Error.stackTraceLimit = 10;',
      'process.stdout.write(JSON.stringify({ nodeError, empty, callsites: Resource.callsites() }));',
    ]);
    expect(stacks.nodeError).to.match(/^TypeError \[ERR_INVALID_ARG_TYPE\]: .*\n {4}at /);
    expect(stacks.empty).to.equal('Error: no frames');
    expect(stacks.callsites[0]).to.include({ file: require.resolve('@pulumi/pulumi/resource') });
    expect(stacks.callsites[0].line).to.be.a('number');
  });

  it('caches the compiled modules under node_modules, or where NODE_COMPILE_CACHE says', () => {
    const cacheDir = "process.stdout.write(String(require('node:module').getCompileCacheDir()));";
    expect(afterEntry(cacheDir)).to.match(/^.*node_modules[\\/]\.cache[\\/]node-compile-cache[\\/]v22\./);
    const elsewhere = path.join(dir, 'compile-cache');
    expect(afterEntry(cacheDir, { NODE_COMPILE_CACHE: elsewhere }).startsWith(elsewhere)).to.equal(true);
    expect(fs.readdirSync(elsewhere)).to.have.length(1);
  });
});
