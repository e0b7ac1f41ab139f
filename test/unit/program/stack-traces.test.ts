/**
 * program/stack-traces.ts under ts-node, as Pulumi runs the program: TypeScript frames keep their
 * source positions, JavaScript frames are left as V8 reports them (no source-map lookup).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../../toolchain/paths';

describe('program/stack-traces: only TypeScript frames are mapped', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-traces-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function stackOf(withModule: boolean): string {
    // Type-only lines that transpiling removes, so the transpiled line of the throw differs from line 6.
    fs.writeFileSync(
      path.join(dir, 'thrower.ts'),
      'interface A {\n  a: number;\n}\ntype B = A;\nexport const b: B | undefined = undefined;\nexport function fail(): never { throw new Error("boom"); }\n',
    );
    fs.writeFileSync(path.join(dir, 'caller.js'), 'module.exports = (fail) => {\n  fail();\n};\n');
    const script = [
      withModule ? `require(${JSON.stringify(path.join(PROJECT_ROOT, 'program', 'stack-traces.ts'))});` : '',
      `const { fail } = require(${JSON.stringify(path.join(dir, 'thrower.ts'))});`,
      `try { require(${JSON.stringify(path.join(dir, 'caller.js'))})(fail); } catch (error) { process.stdout.write(error.stack); }`,
    ].join('\n');
    return execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  }

  it('keeps the TypeScript position of a frame in a .ts file, as full mapping does', () => {
    const mappedAll = stackOf(false).split('\n');
    const mappedTs = stackOf(true).split('\n');
    expect(mappedTs[0]).to.equal('Error: boom');
    expect(mappedTs[1]).to.include('thrower.ts:6:').and.equal(mappedAll[1]);
    expect(mappedTs[2]).to.include('caller.js:2:').and.equal(mappedAll[2]);
    expect(mappedTs.length).to.equal(mappedAll.length);
  });

  it("replaces ts-node's hook (the one that maps every frame) with its own", () => {
    const script = `const before = Error.prepareStackTrace; require(${JSON.stringify(path.join(PROJECT_ROOT, 'program', 'stack-traces.ts'))}); process.stdout.write(String(before !== undefined && Error.prepareStackTrace !== before));`;
    expect(
      execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' }),
    ).to.equal('true');
  });
});
