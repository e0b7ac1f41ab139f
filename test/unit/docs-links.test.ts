/**
 * Issue 22: the README fits a screen or two and opens with the two commands, and no relative link in
 * README.md or docs/*.md points at a missing file or heading. Issue 25: the guide's program is the tested one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../toolchain/paths';

const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');

const headings = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('#'))
    .map((line) => slug(line.replace(/^#+/, '')));

const markdownFiles = [
  'README.md',
  ...fs
    .readdirSync(path.join(PROJECT_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('README and docs', () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

  it('README is at most 150 lines and its first code block holds the two commands', () => {
    expect(readme.trimEnd().split('\n').length).to.be.at.most(150);
    const firstBlock = /```[a-z]*\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = firstBlock.split('\n').map((line) => line.split('#')[0].trim());
    expect(commands.slice(0, 2)).to.deep.equal(['npm ci && npm start', 'npm ci && npm test']);
  });

  it('docs/own-program.md shows the program the consumer test runs, byte for byte', () => {
    const guide = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'own-program.md'), 'utf8');
    const example = /## A complete program\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(example).to.equal(fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'consumer-program', 'index.ts'), 'utf8'));
  });

  for (const file of markdownFiles) {
    it(`${file}: every relative link points to an existing file and heading`, () => {
      const broken: string[] = [];
      for (const [, target] of fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [linked, anchor] = target.split('#');
        const resolved = linked ? path.resolve(PROJECT_ROOT, path.dirname(file), linked) : path.join(PROJECT_ROOT, file);
        if (!fs.existsSync(resolved)) broken.push(target);
        else if (anchor && resolved.endsWith('.md') && !headings(resolved).includes(anchor)) broken.push(target);
      }
      expect(broken).to.deep.equal([]);
    });
  }
});
