/**
 * npm run generate: writes the files made from the declarations (generate/files.ts): the stack-file
 * schema and the tables of docs/resources.md. `--check` writes nothing and fails naming each file that
 * differs (what the test does).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedFiles } from '../generate/files';

const rootAt = process.argv.indexOf('--root');
// `--root`: another checkout's copies (the test checks a scratch copy).
const ROOT = rootAt >= 0 ? path.resolve(process.argv[rootAt + 1]) : path.resolve(__dirname, '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const file of generatedFiles(ROOT)) {
  const target = path.join(ROOT, file.path);
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (current === file.text) {
    console.log(`${file.path}: up to date`);
  } else if (check) {
    stale++;
    console.error(`${file.path}: differs from what the declarations make; run npm run generate`);
  } else {
    fs.writeFileSync(target, file.text);
    console.log(`${file.path}: written`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
