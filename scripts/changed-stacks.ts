/**
 * `npm run changed-stacks -- --base REF | --all`: the stacks a pipeline must preview, deploy or check,
 * as a JSON array on stdout (and `stacks=[…]` in $GITHUB_OUTPUT when GitHub Actions sets it), for a
 * job matrix.
 *
 * --base REF: the stacks the change from REF to HEAD touches: a changed stacks/Pulumi.<name>.yaml
 * touches that stack; a change to the program (what `pulumi` runs: provider, config, package files…)
 * touches every stack; docs and tests touch none. A deleted stack file is left out (nothing to preview).
 * --all: every stack. The demo stack `dev` is never listed: it runs against the offline emulator
 * (`npm start`, `npm test`), not Stripe.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO_STACK } from '../toolchain/env';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const STACK_FILE = /^stacks\/Pulumi\.([^/]+)\.yaml$/;
/** What the Pulumi program is made of: a change here can change every stack's plan. */
const PROGRAM_PATHS = [
  'Pulumi.yaml',
  'index.js',
  'index.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'provider/',
  'config/',
  'program/',
  'authorizer/',
  'toolchain/',
];

/** The stacks that have a stack file, without the demo stack. */
export function allStacks(root = PROJECT_ROOT): string[] {
  return fs
    .readdirSync(path.join(root, 'stacks'))
    .flatMap((name) => STACK_FILE.exec(`stacks/${name}`)?.[1] ?? [])
    .filter((stack) => stack !== DEMO_STACK)
    .sort();
}

/** The stacks touched by a change to `changedFiles` (paths relative to the repository root). */
export function touchedStacks(changedFiles: string[], existing: string[]): string[] {
  if (changedFiles.some((file) => PROGRAM_PATHS.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)))) return existing;
  const named = changedFiles.flatMap((file) => STACK_FILE.exec(file)?.[1] ?? []);
  return existing.filter((stack) => named.includes(stack));
}

function changedFiles(base: string): string[] {
  const out = execFileSync('git', ['diff', '--name-only', '--no-renames', base, 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

function main(argv: string[]): number {
  const index = argv.indexOf('--base');
  const base = index >= 0 ? argv[index + 1] : undefined;
  if (!argv.includes('--all') && !base) {
    console.error('usage: npm run changed-stacks -- --base REF | --all');
    return 1;
  }
  const existing = allStacks();
  // A push that creates a branch has no previous commit (all zeros): everything is new.
  const stacks = base && !/^0+$/.test(base) ? touchedStacks(changedFiles(base), existing) : existing;
  const json = JSON.stringify(stacks);
  console.log(json);
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `stacks=${json}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
