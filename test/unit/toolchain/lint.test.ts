// `npm test` starts with `npm run lint`: this runs that exact command, with the project's Biome
// configuration, on a scratch tree, so a config that stopped catching unformatted or lint-failing
// code (formatter off, a rule group dropped, warnings no longer failing) fails here.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(__dirname, '../../..');
const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

describe('formatter and linter (npm run lint)', () => {
  let tree: string;
  beforeEach(() => {
    tree = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-'));
    for (const file of ['biome.json', '.gitignore']) fs.copyFileSync(path.join(ROOT, file), path.join(tree, file));
    fs.mkdirSync(path.join(tree, 'provider'));
  });
  afterEach(() => fs.rmSync(tree, { recursive: true, force: true }));

  const write = (file: string, text: string) => fs.writeFileSync(path.join(tree, file), text);
  const lint = () => {
    const [command, ...args] = scripts.lint.split(' ');
    expect(command).to.equal('biome');
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/biome'), args, { cwd: tree, encoding: 'utf8' });
    return { code: run.status, output: run.stdout + run.stderr };
  };

  it('is the first step of npm test', () => {
    expect(scripts.test.startsWith('npm run lint && ')).to.equal(true);
  });

  it('passes formatted, clean code', () => {
    write('provider/clean.ts', 'export function double(amount: number): number {\n  return amount * 2;\n}\n');
    const { code, output } = lint();
    expect(code, output).to.equal(0);
  });

  it('fails on unformatted code, naming the file', () => {
    write('provider/clean.ts', 'export function double(amount: number): number {\n  return amount * 2;\n}\n');
    write('provider/unformatted.ts', 'export function double(amount: number): number {\n    return amount * 2\n}\n');
    const { code, output } = lint();
    expect(code).to.equal(1);
    expect(output).to.contain('provider/unformatted.ts format');
    expect(output).to.not.contain('provider/clean.ts');
  });

  it('fails on a lint finding, even one Biome ranks as a warning', () => {
    write('provider/loose.ts', 'export function same(a: any): any {\n  return a;\n}\n');
    const { code, output } = lint();
    expect(code).to.equal(1);
    expect(output).to.contain('lint/suspicious/noExplicitAny');
  });

  it('fails on a lint error', () => {
    write('provider/compare.ts', 'export function isTen(value: unknown): boolean {\n  return value == 10;\n}\n');
    const { code, output } = lint();
    expect(code).to.equal(1);
    expect(output).to.contain('lint/suspicious/noDoubleEquals');
  });
});
