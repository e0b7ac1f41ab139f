/**
 * The installable provider package: the same build the program loads from `node_modules`
 * (provider/engine/compiled-package.ts), plus type declarations with the sources' doc comments and a
 * README, packed with `npm pack` into a tarball another Pulumi program installs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildImplementationPackage } from '../provider/engine/compiled-package';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const PROVIDER_DIR = path.join(PROJECT_ROOT, 'provider');
/** What a consumer reads first: how to use the resources in their own program. */
const SCRATCH = path.join(PROJECT_ROOT, 'dist', '.build');
const PACKAGE_README = path.join(PROJECT_ROOT, 'docs', 'own-program.md');

/** Writes `.d.ts` files for everything `provider/index.ts` reaches into `outDir`; throws listing any compiler error. */
function emitDeclarations(outDir: string): void {
  const ts: typeof import('typescript') = require('typescript');
  const program = ts.createProgram([path.join(PROVIDER_DIR, 'index.ts')], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: PROVIDER_DIR,
    outDir,
  });
  const emitted = program.emit();
  const errors = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].filter(
    (diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error,
  );
  if (errors.length > 0) {
    const host = { getCanonicalFileName: (name: string) => name, getCurrentDirectory: () => PROJECT_ROOT, getNewLine: () => '\n' };
    throw new Error(`The provider's type declarations do not build:\n${ts.formatDiagnostics(errors, host)}`);
  }
}

/**
 * Builds the package in a scratch folder and packs it into `destination`; returns the tarball's path.
 * The scratch folder is removed either way.
 */
export function packProviderPackage(destination: string): string {
  // Inside the project: building lists the types by loading the built registry, which needs `@pulumi/pulumi`.
  fs.mkdirSync(SCRATCH, { recursive: true });
  const staging = fs.mkdtempSync(path.join(SCRATCH, 'package-'));
  try {
    buildImplementationPackage(PROVIDER_DIR, staging);
    // The stamp tells the in-tree build whether it is current; a packed copy has no sources to compare.
    fs.rmSync(path.join(staging, 'source-hash'));
    emitDeclarations(staging);
    fs.copyFileSync(PACKAGE_README, path.join(staging, 'README.md'));
    fs.mkdirSync(destination, { recursive: true });
    const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', path.resolve(destination)], {
      cwd: staging,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [{ filename }] = JSON.parse(packed) as { filename: string }[];
    return path.resolve(destination, filename);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
