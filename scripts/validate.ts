/**
 * `npm run validate [-- FILE…]`: checks every stacks/Pulumi.*.yaml (or the files given) offline,
 * without Stripe or Pulumi, with the same rules the program applies before `pulumi preview`.
 * Prints every problem and exits 1 when there is one, for CI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkStackFile } from '../config/validate';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const STACKS_DIR = 'stacks';

function stackFiles(): string[] {
  return fs
    .readdirSync(path.join(PROJECT_ROOT, STACKS_DIR))
    .filter((name) => /^Pulumi\..+\.yaml$/.test(name))
    .sort()
    .map((name) => `${STACKS_DIR}/${name}`);
}

function main(args: string[]): number {
  process.chdir(PROJECT_ROOT);
  const files = args.length > 0 ? args.map((file) => path.relative(PROJECT_ROOT, path.resolve(file))) : stackFiles();
  if (files.length === 0) {
    console.error(`No stack files (Pulumi.<stack>.yaml) in ${STACKS_DIR}/`);
    return 1;
  }
  let failed = 0;
  for (const file of files) {
    const problems = checkStackFile(file);
    if (problems.length === 0) {
      console.log(`ok   ${file}`);
    } else {
      failed += 1;
      console.error(problems.join('\n'));
    }
  }
  if (failed > 0) console.error(`\n${failed} of ${files.length} stack file(s) invalid.`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
