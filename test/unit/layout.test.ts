import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const SKIPPED = new Set(['node_modules', 'test']);

/**
 * The picture (README, "How it fits together"): which top-level folder may load which. The product
 * (provider, authorizer, emulator, config, program, generate) never loads the workbench (toolchain, testbed,
 * bench) or a command; `lib` is what the commands share; nothing loads a command (`scripts`) or the bench.
 * The policy pack (`policy`) stands alone: Pulumi loads it apart from the program, and it judges inputs only.
 */
const MAY_LOAD: Record<string, string[]> = {
  '.': ['config', 'program'],
  provider: [],
  authorizer: ['provider'],
  emulator: [],
  config: ['authorizer', 'provider'],
  program: ['authorizer', 'config', 'provider'],
  generate: ['provider'],
  toolchain: [],
  testbed: ['toolchain'],
  lib: ['authorizer', 'config', 'emulator', 'provider', 'toolchain'],
  simulate: ['authorizer', 'config', 'emulator', 'lib', 'provider', 'toolchain'],
  scripts: ['authorizer', 'config', 'emulator', 'generate', 'lib', 'provider', 'simulate', 'toolchain'],
  bench: ['authorizer', 'config', 'emulator', 'lib', 'provider', 'testbed', 'toolchain'],
  policy: [],
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name) || entry.name.startsWith('.')) return [];
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** The repository files a file loads at run time: imports and exports that are not type-only, and `require('…')`. */
function loads(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    let specifier: string | undefined;
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) specifier = (node.moduleSpecifier as ts.StringLiteral).text;
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly)
      specifier = (node.moduleSpecifier as ts.StringLiteral).text;
    const isLoad =
      ts.isCallExpression(node) &&
      (node.expression.getText() === 'require' || node.expression.kind === ts.SyntaxKind.ImportKeyword) &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0]);
    if (isLoad) specifier = ((node as ts.CallExpression).arguments[0] as ts.StringLiteral).text;
    if (specifier?.startsWith('.')) {
      const base = path.resolve(path.dirname(file), specifier);
      const target = [base, `${base}.ts`, `${base}.js`, path.join(base, 'index.ts')].find(
        (c) => fs.existsSync(c) && fs.statSync(c).isFile(),
      );
      if (target !== undefined) found.push(target);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const relative = (file: string) => path.relative(ROOT, file);
const folderOf = (file: string) => (relative(file).includes(path.sep) ? relative(file).split(path.sep)[0] : '.');

describe('layout: the folders as the picture draws them', () => {
  const files = sources(ROOT);
  const graph = new Map(files.map((file) => [file, loads(file)]));

  it('reads every source file of the repository (the check sees what it judges)', () => {
    expect(files.map(folderOf)).to.include.members(Object.keys(MAY_LOAD));
    expect([...graph.values()].flat().length).to.be.greaterThan(100);
  });

  it('no import runs back up: each folder loads only what the picture allows', () => {
    const wrong = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((target) => folderOf(target) !== folderOf(file) && !(MAY_LOAD[folderOf(file)] ?? []).includes(folderOf(target)))
        .map((target) => `${relative(file)} loads ${relative(target)}`),
    );
    expect(wrong).to.deep.equal([]);
  });

  it('no circles: no file loads itself through others', () => {
    const state = new Map<string, 'open' | 'done'>();
    const trail: string[] = [];
    const circles: string[] = [];
    const walk = (file: string) => {
      state.set(file, 'open');
      trail.push(file);
      for (const target of graph.get(file) ?? []) {
        if (state.get(target) === 'open') circles.push([...trail.slice(trail.indexOf(target)), target].map(relative).join(' → '));
        else if (!state.has(target)) walk(target);
      }
      trail.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) walk(file);
    expect(circles).to.deep.equal([]);
  });
});
