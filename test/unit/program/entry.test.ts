/**
 * index.js, the program's entry as Pulumi runs it (package.json `main`, Pulumi.yaml `typescript: false`):
 * the TypeScript sources load without ts-node, and a TypeScript frame of a stack trace keeps its line
 * with no source map and no stack-trace hook, not even the one `run` installs (issue 23). (The TypeScript compiler is still loaded:
 * `@pulumi/pulumi` parses functions with it to serialize dynamic providers, `runtime/closure`.)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../../toolchain/paths';

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

  /** Runs `script` in a plain `node` after requiring the entry the way @pulumi/pulumi's `run` does: after source-map-support. */
  const afterEntry = (script: string) =>
    execFileSync(
      process.execPath,
      [
        '-e',
        `require(require.resolve('source-map-support/register', { paths: [require.resolve('@pulumi/pulumi')] }));\nconst program = require(${JSON.stringify(path.join(PROJECT_ROOT, 'index.js'))});\n${script}`,
      ],
      {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
      },
    );

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

  it("does not load ts-node, and removes the source-map hook @pulumi/pulumi's run installs", () => {
    const loaded = JSON.parse(
      afterEntry(
        'process.stdout.write(JSON.stringify({ modules: Object.keys(require.cache), hook: Error.prepareStackTrace !== undefined }));',
      ),
    ) as { modules: string[]; hook: boolean };
    const program = loaded.modules.filter((file) => file.startsWith(PROJECT_ROOT) && !file.includes(`${path.sep}node_modules${path.sep}`));
    expect(program)
      .to.include(path.join(PROJECT_ROOT, 'index.ts'))
      .and.include(path.join(PROJECT_ROOT, 'program', 'declare.ts'));
    expect(loaded.modules.filter((file) => /node_modules[\\/](ts-node|@cspotcode[\\/]source-map-support)[\\/]/.test(file))).to.deep.equal(
      [],
    );
    expect(loaded.hook).to.equal(false);
  });
});
