import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as pulumi from '@pulumi/pulumi';
import type { ResourceType } from '../resources/registry';

export type { ResourceType };

/**
 * What a dynamic resource stores as `__provider` is a reference, not the implementation.
 *
 * Pulumi closure-serializes the provider object of every dynamic resource into its state. A provider
 * object built from local modules is inlined with everything it reaches (45–70 KB per copy, two copies
 * per resource). A module whose real path is inside `node_modules` is emitted as `require("…")` instead
 * (`@pulumi/pulumi/runtime/closure/createClosure.js`, `captureModuleAsync`). So this folder is compiled
 * to JavaScript into `node_modules/@stripe-issuing/provider`, one entry module per resource type whose
 * `module.exports` *is* that type's provider object, and the resource classes hand the engine that
 * object: the serialized provider is a one-line `require` of the entry, the same for every resource of
 * a type. The dynamic-provider process resolves it from the program's `node_modules`.
 *
 * The package is rebuilt (transpiled, no type check: `npm test` runs `tsc`) whenever the sources differ
 * from the ones it was built from, before the first resource is declared: `pulumi up` always runs the
 * code in this folder. docs/dynamic-providers.md says what must not change.
 */
export const IMPLEMENTATION_PACKAGE = '@stripe-issuing/provider';

/** The sources: everything under `provider/` (this file is in provider/engine). */
const PROVIDER_DIR = path.resolve(__dirname, '..');

/** Where the package goes: the project's own `node_modules` (a real directory, never a link). */
export function implementationDir(projectRoot = path.resolve(PROVIDER_DIR, '..')): string {
  return path.join(projectRoot, 'node_modules', ...IMPLEMENTATION_PACKAGE.split('/'));
}

const STAMP = 'source-hash';

/** The repository's manifest: the package takes its version, licence and dependency pins from it. */
const ROOT_MANIFEST = path.resolve(PROVIDER_DIR, '..', 'package.json');

/**
 * The package's manifest, the same for the build in this repository's `node_modules` and for the tarball
 * `npm run package` packs (scripts/package.ts): a consumer's program resolves the same name, so the
 * serialized provider (`require("@stripe-issuing/provider/providers/<Type>.js")`) is the same in both.
 * `stripe` is the package's own dependency, pinned as here; `@pulumi/pulumi` is a peer: the resources
 * must register with the consumer's one runtime.
 */
export function packageManifest(): Record<string, unknown> {
  const root = JSON.parse(fs.readFileSync(ROOT_MANIFEST, 'utf8'));
  return {
    name: IMPLEMENTATION_PACKAGE,
    version: root.version,
    description:
      'Stripe Issuing on Financial Accounts for platforms as Pulumi resources: capabilities, financial accounts, cardholders, cards.',
    license: root.license,
    main: 'index.js',
    types: 'index.d.ts',
    engines: root.engines,
    dependencies: { stripe: root.dependencies.stripe },
    peerDependencies: { '@pulumi/pulumi': `^${root.dependencies['@pulumi/pulumi']}` },
  };
}

/** Every file below `dir` (relative, `/`-separated, sorted) that `keep` takes. */
function filesBelow(dir: string, keep: (name: string) => boolean, below = ''): string[] {
  return fs
    .readdirSync(path.join(dir, below), { withFileTypes: true })
    .flatMap((entry) => {
      const name = below ? `${below}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesBelow(dir, keep, name) : keep(entry.name) ? [name] : [];
    })
    .sort();
}

const sourceFiles = (sourceDir: string) => filesBelow(sourceDir, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));

/** Hash of the sources, of the manifest and of the compiler that turns them into the package. */
function sourceHash(sourceDir: string, files: string[]): string {
  const hash = crypto.createHash('sha256');
  hash.update(`typescript ${require('typescript/package.json').version}\n${JSON.stringify(packageManifest())}\n`);
  for (const file of files)
    hash
      .update(`${file}\n`)
      .update(fs.readFileSync(path.join(sourceDir, file)))
      .update('\n');
  return hash.digest('hex');
}

/** Written next to its final name and renamed into place: a concurrent reader never loads half a module. */
function writeInPlace(target: string, text: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, target);
}

/** The types the compiled registry in `targetDir` lists, loaded afresh (a rebuild must not see an older build). */
function typesOf(targetDir: string): string[] {
  for (const loaded of Object.keys(require.cache)) if (loaded.startsWith(targetDir + path.sep)) delete require.cache[loaded];
  return Object.keys(require(path.join(targetDir, 'resources', 'registry.js')).REGISTRY);
}

/**
 * Builds the package from `sourceDir` unless it already holds these sources' build. Files are written
 * next to their final names and renamed into place, the stamp last, so a concurrent reader never
 * loads a half-written module. Returns whether it built.
 */
export function buildImplementationPackage(sourceDir = PROVIDER_DIR, targetDir = implementationDir()): boolean {
  const files = sourceFiles(sourceDir);
  const hash = sourceHash(sourceDir, files);
  const stampFile = path.join(targetDir, STAMP);
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === hash) return false;

  const ts: typeof import('typescript') = require('typescript');
  const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false };
  const outputs: Array<[string, string]> = files.map((file) => [
    file.replace(/\.ts$/, '.js'),
    ts.transpileModule(fs.readFileSync(path.join(sourceDir, file), 'utf8'), { compilerOptions: options, fileName: file }).outputText,
  ]);
  outputs.push(['package.json', `${JSON.stringify(packageManifest(), null, 2)}\n`]);

  for (const [name, text] of outputs) writeInPlace(path.join(targetDir, name), text);
  // One entry per type of the registry just built (its own list: the package is its source of truth).
  const entries = typesOf(targetDir).map((type): [string, string] => [
    `providers/${type}.js`,
    `module.exports = require('../resources/registry.js').REGISTRY[${JSON.stringify(type)}].provider;\n`,
  ]);
  for (const [name, text] of entries) writeInPlace(path.join(targetDir, name), text);
  const expected = new Set([...outputs, ...entries].map(([name]) => name));
  // Modules whose source was removed must not stay loadable.
  for (const name of filesBelow(targetDir, (file) => file.endsWith('.js'))) {
    if (!expected.has(name)) fs.rmSync(path.join(targetDir, name), { force: true });
  }
  const temporaryStamp = `${stampFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporaryStamp, hash);
  fs.renameSync(temporaryStamp, stampFile);
  return true;
}

let built = false;

/**
 * The provider object of a resource type, from the compiled package (built first when the sources
 * changed). Only the TypeScript sources build: inside the compiled copy there is nothing to build from.
 */
export function implementationOf(type: ResourceType): pulumi.dynamic.ResourceProvider {
  if (!built && __filename.endsWith('.ts')) buildImplementationPackage();
  built = true;
  return require(`${IMPLEMENTATION_PACKAGE}/providers/${type}.js`);
}
