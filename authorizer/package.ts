// Builds the Lambda's code archive from the same TypeScript sources the local adapter runs: each
// module reachable from `lambda.ts` is transpiled with the installed `typescript` (no bundler), the
// rule set is written beside it, and the `stripe` package's CommonJS build is shipped as is.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import * as ts from 'typescript';
import { RULES_FILE } from './lambda';
import type { RuleSet } from './types';

export const LAMBDA_HANDLER = 'authorizer/lambda.handler';
const ENTRY = path.join(__dirname, 'lambda.ts');
const PROJECT_ROOT = path.dirname(__dirname);
/** Packages the lambda code may import; anything else is refused so the archive never lacks a module. */
const SHIPPED_PACKAGES = new Set(['stripe']);

/** The JavaScript files of the lambda, keyed by their path inside the archive. */
export function lambdaSources(rules: RuleSet, entry = ENTRY): Record<string, string> {
  const sources: Record<string, string> = {
    [archivePath(path.join(__dirname, RULES_FILE))]: `${JSON.stringify(rules, null, 2)}\n`,
  };
  const pending = [entry];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const { fileName: specifier } of ts.preProcessFile(source, true, false).importedFiles) {
      if (specifier.startsWith('.')) pending.push(`${path.resolve(path.dirname(file), specifier)}.ts`);
      else if (!specifier.startsWith('node:') && !SHIPPED_PACKAGES.has(specifier)) {
        throw new Error(
          `${path.relative(PROJECT_ROOT, file)} imports ${specifier}, which the Lambda archive does not ship; ` +
            `use node: built-ins, relative modules or one of: ${[...SHIPPED_PACKAGES].join(', ')}`,
        );
      }
    }
    const output = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      reportDiagnostics: true,
    });
    if (output.diagnostics?.length) {
      throw new Error(
        `cannot transpile ${path.relative(PROJECT_ROOT, file)}: ${ts.flattenDiagnosticMessageText(
          output.diagnostics[0].messageText,
          '\n',
        )}`,
      );
    }
    sources[archivePath(file).replace(/\.ts$/, '.js')] = output.outputText;
  }
  return sources;
}

/** The Lambda code archive: transpiled sources, the rules, and `node_modules/stripe` (CommonJS build only). */
export function lambdaArchive(rules: RuleSet): pulumi.asset.AssetArchive {
  const stripeRoot = stripePackageRoot();
  const assets: Record<string, pulumi.asset.Asset | pulumi.asset.Archive> = {};
  for (const [file, text] of Object.entries(lambdaSources(rules))) assets[file] = new pulumi.asset.StringAsset(text);
  assets['node_modules/stripe'] = new pulumi.asset.AssetArchive({
    'package.json': new pulumi.asset.FileAsset(path.join(stripeRoot, 'package.json')),
    cjs: new pulumi.asset.FileArchive(path.join(stripeRoot, 'cjs')),
  });
  return new pulumi.asset.AssetArchive(assets);
}

/** `stripe` exports no `./package.json`; its entry point sits in `cjs/` under the package root. */
export function stripePackageRoot(): string {
  return path.resolve(path.dirname(require.resolve('stripe')), '..');
}

function archivePath(file: string): string {
  return path.relative(PROJECT_ROOT, file).split(path.sep).join('/');
}
