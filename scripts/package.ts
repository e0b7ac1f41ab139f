/**
 * npm run package [-- --out DIR]: packs the provider into an npm tarball (default folder `dist/`) that
 * another Pulumi program installs with `npm install <tarball>` (docs/own-program.md).
 */
import * as path from 'node:path';
import { packProviderPackage } from '../generate/provider-package';

const outAt = process.argv.indexOf('--out');
const destination = outAt >= 0 ? process.argv[outAt + 1] : path.resolve(__dirname, '..', 'dist');
if (destination === undefined || destination.startsWith('--')) {
  console.error('npm run package: --out needs a folder, e.g. npm run package -- --out dist');
  process.exit(2);
}
const tarball = packProviderPackage(destination);
console.log(`Packed ${path.relative(process.cwd(), tarball) || tarball}`);
console.log(`Install it in your Pulumi program: npm install ${tarball}`);
