/**
 * `npm run setup`: makes the real Pulumi CLI, a Node.js language host and the dynamic-provider launcher
 * available in one folder (.toolchain/bin), plus Stripe's stripe-mock for the conformance tests.
 *
 * - A `pulumi` already on PATH that is recent enough is used as it is (a normal install brings its own
 *   language host and launcher).
 * - Otherwise the CLI is built from the Go module proxy through the wrapper module in toolchain/
 *   (go.mod pins the version), with Pulumi's release build flags and the version stamped in.
 * - Results are cached: a second run only checks stamps and takes seconds.
 *
 * Flags: --stripe-mock (also build stripe-mock; the tests need it), --ci-tools (also build actionlint and
 * the versitygw S3 server from toolchain/ci-tools; the workflow and shared-state tests need them), --quiet.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CI_TOOLS_MODULE_DIR, GO_MODULE_DIR, PROJECT_ROOT, TOOLCHAIN_BIN, TOOLCHAIN_DIR, TOOLCHAIN_MANIFEST } from './paths';

/** Oldest CLI with everything our dynamic providers rely on (configure with stack config, read → inputs). */
export const MIN_PULUMI_VERSION = '3.216.0';
const PULUMI_CLI_PACKAGE = 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi';
const STRIPE_MOCK_PACKAGE = 'github.com/stripe/stripe-mock';
const ACTIONLINT_PACKAGE = 'github.com/rhysd/actionlint/cmd/actionlint';
const S3_SERVER_PACKAGE = 'github.com/versity/versitygw/cmd/versitygw';

export interface ToolchainManifest {
  /** 'path': a pulumi found on PATH; 'built': built here from the Go module proxy. */
  source: 'path' | 'built';
  pulumi: string;
  pulumiVersion: string;
  stripeMock?: string;
  /** actionlint, for the workflow lint test. */
  actionlint?: string;
  /** versitygw, the S3 server of the shared-state tests. */
  s3Server?: string;
}

export class SetupError extends Error {}

function log(message: string): void {
  if (!process.argv.includes('--quiet')) console.log(`[setup] ${message}`);
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string | undefined {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function parseVersion(text: string): number[] | undefined {
  const match = /v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? match.slice(1, 4).map(Number) : undefined;
}

export function isAtLeast(version: string, minimum: string): boolean {
  const have = parseVersion(version);
  const want = parseVersion(minimum)!;
  if (!have) return false;
  for (let i = 0; i < 3; i++) {
    if (have[i] !== want[i]) return have[i] > want[i];
  }
  return true;
}

/** A pulumi on PATH that is not ours, with its version, if recent enough. */
function pulumiOnPath(): { bin: string; version: string } | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || path.resolve(dir) === TOOLCHAIN_BIN) continue;
    const bin = path.join(dir, 'pulumi');
    if (!fs.existsSync(bin)) continue;
    const version = run(bin, ['version'], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' } });
    if (version && isAtLeast(version, MIN_PULUMI_VERSION)) return { bin, version };
    log(`ignoring ${bin} (${version ?? 'does not run'}): need v${MIN_PULUMI_VERSION} or newer`);
  }
  return undefined;
}

function requireGo(what: string): string {
  const go = run('go', ['version']);
  if (go) return go;
  throw new SetupError(
    [
      `Cannot set up ${what}: there is no \`go\` on PATH to build it.`,
      what.startsWith('pulumi')
        ? `No \`pulumi\` v${MIN_PULUMI_VERSION}+ is on PATH either. Install Pulumi the normal way ` +
          '(https://www.pulumi.com/docs/iac/download-install/, e.g. `curl -fsSL https://get.pulumi.com | sh`), ' +
          'or install Go 1.26+ (https://go.dev/dl/) so this project can build the CLI from the Go module proxy.'
        : "Install Go 1.26+ (https://go.dev/dl/); the tests build Stripe's stripe-mock from the Go module proxy.",
    ].join('\n'),
  );
}

/** The version pinned by the wrapper module, e.g. v3.274.1. */
function pinnedVersion(modulePath: string, moduleDir = GO_MODULE_DIR): string {
  const goMod = fs.readFileSync(path.join(moduleDir, 'go.mod'), 'utf8');
  const match = new RegExp(`^\\s*${modulePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (v\\S+)`, 'm').exec(goMod);
  if (!match) throw new SetupError(`${path.relative(PROJECT_ROOT, moduleDir)}/go.mod does not pin ${modulePath}`);
  return match[1];
}

function stampFor(parts: string[], moduleDir = GO_MODULE_DIR): string {
  const hash = crypto.createHash('sha256');
  for (const file of ['go.mod', 'go.sum']) hash.update(fs.readFileSync(path.join(moduleDir, file)));
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

/** Runs `go build` with a heartbeat so a cold build (10+ minutes on 2 cores) visibly makes progress. */
async function goBuild(label: string, pkg: string, output: string, flags: string[], moduleDir: string): Promise<void> {
  log(`using ${requireGo(label)}`);
  const started = Date.now();
  log(`building ${label} from the Go module proxy (a cold build takes 10+ minutes on 2 cores; cached afterwards)…`);
  const heartbeat = setInterval(() => {
    log(`  still building ${label} (${Math.round((Date.now() - started) / 1000)}s)`);
  }, 30_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', ['build', ...flags, '-o', output, pkg], {
        cwd: moduleDir,
        // -mod=readonly: go.mod and go.sum are the pins; a build must never rewrite them.
        env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: [process.env.GOFLAGS, '-mod=readonly'].filter(Boolean).join(' ') },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new SetupError(`go build ${pkg} failed (exit ${code})`))));
    });
  } finally {
    clearInterval(heartbeat);
  }
  log(`built ${label} in ${Math.round((Date.now() - started) / 1000)}s`);
}

/** Builds `output` unless it exists with the same stamp (then no Go is needed). */
async function buildCached(label: string, pkg: string, output: string, flags: string[], moduleDir = GO_MODULE_DIR): Promise<void> {
  const stampFile = `${output}.stamp`;
  const stamp = stampFor([pkg, ...flags], moduleDir);
  if (fs.existsSync(output) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    log(`${label}: cached (${path.relative(PROJECT_ROOT, output)})`);
    return;
  }
  await goBuild(label, pkg, output, flags, moduleDir);
  fs.writeFileSync(stampFile, stamp);
}

function writeExecutable(file: string, content: string): void {
  fs.writeFileSync(file, content, { mode: 0o755 });
}

/**
 * Puts the language host and the dynamic-provider launcher next to the built CLI. No
 * `pulumi-analyzer-policy` shim: CLI 3.274 runs a nodejs policy pack through the language host's
 * RunPlugin (pkg/v3 resource/plugin/plugin.go `ExecPlugin`, from analyzer_plugin.go `NewPolicyAnalyzer`),
 * which toolchain/language-host.js answers; the shim is only a fallback for runtimes without a host.
 */
function installPlugins(): void {
  if (!isAtLeast(process.version, '22.0.0')) {
    throw new SetupError(
      `Node ${process.version} is running setup; @pulumi/pulumi needs Node 22+. Run it through npm ` +
        '(`npm run setup`), which puts the Node 22 from node_modules/.bin first on PATH.',
    );
  }
  const hostScript = path.join(PROJECT_ROOT, 'toolchain', 'language-host.js');
  writeExecutable(path.join(TOOLCHAIN_BIN, 'pulumi-language-nodejs'), `#!/bin/sh\nexec "${process.execPath}" "${hostScript}" "$@"\n`);
  const launcher = require.resolve('@pulumi/pulumi/pulumi-resource-pulumi-nodejs', { paths: [PROJECT_ROOT] });
  fs.copyFileSync(launcher, path.join(TOOLCHAIN_BIN, 'pulumi-resource-pulumi-nodejs'));
  fs.chmodSync(path.join(TOOLCHAIN_BIN, 'pulumi-resource-pulumi-nodejs'), 0o755);
}

async function setupPulumi(): Promise<Pick<ToolchainManifest, 'source' | 'pulumi' | 'pulumiVersion'>> {
  const found = pulumiOnPath();
  if (found) {
    log(`using ${found.bin} ${found.version}`);
    // A normal install brings its own language host and launcher; ours would shadow them on PATH.
    for (const name of ['pulumi', 'pulumi-language-nodejs', 'pulumi-resource-pulumi-nodejs']) {
      fs.rmSync(path.join(TOOLCHAIN_BIN, name), { force: true });
    }
    return { source: 'path', pulumi: found.bin, pulumiVersion: found.version };
  }
  log(`no pulumi v${MIN_PULUMI_VERSION}+ on PATH: using the one built from toolchain/go.mod`);
  const version = pinnedVersion('github.com/pulumi/pulumi/pkg/v3');
  const bin = path.join(TOOLCHAIN_BIN, 'pulumi');
  await buildCached(`pulumi ${version}`, PULUMI_CLI_PACKAGE, bin, [
    '-trimpath',
    '-tags',
    'osusergo,grpcnotrace',
    '-ldflags',
    `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`,
  ]);
  installPlugins();
  return { source: 'built', pulumi: bin, pulumiVersion: run(bin, ['version']) ?? version };
}

async function setupStripeMock(): Promise<string> {
  const bin = path.join(TOOLCHAIN_BIN, 'stripe-mock');
  await buildCached(`stripe-mock ${pinnedVersion(STRIPE_MOCK_PACKAGE)}`, STRIPE_MOCK_PACKAGE, bin, ['-trimpath', '-ldflags', '-s -w']);
  return bin;
}

/** actionlint and the versitygw S3 server, from the separate ci-tools module. */
async function setupCiTools(): Promise<Pick<ToolchainManifest, 'actionlint' | 's3Server'>> {
  const built: Pick<ToolchainManifest, 'actionlint' | 's3Server'> = {};
  for (const [key, name, pkg, module] of [
    ['actionlint', 'actionlint', ACTIONLINT_PACKAGE, 'github.com/rhysd/actionlint'],
    ['s3Server', 'versitygw', S3_SERVER_PACKAGE, 'github.com/versity/versitygw'],
  ] as const) {
    const bin = path.join(TOOLCHAIN_BIN, name);
    const label = `${name} ${pinnedVersion(module, CI_TOOLS_MODULE_DIR)}`;
    await buildCached(label, pkg, bin, ['-trimpath', '-ldflags', '-s -w'], CI_TOOLS_MODULE_DIR);
    built[key] = bin;
  }
  return built;
}

export async function setup(options: { stripeMock: boolean; ciTools?: boolean }): Promise<ToolchainManifest> {
  fs.mkdirSync(TOOLCHAIN_BIN, { recursive: true });
  // Tools an earlier run built and this one was not asked for stay listed (npm start must not unlist
  // the stripe-mock or actionlint that `npm test` built).
  const earlier: Partial<ToolchainManifest> = fs.existsSync(TOOLCHAIN_MANIFEST)
    ? JSON.parse(fs.readFileSync(TOOLCHAIN_MANIFEST, 'utf8'))
    : {};
  const kept = Object.fromEntries(
    (['stripeMock', 'actionlint', 's3Server'] as const)
      .filter((tool) => typeof earlier[tool] === 'string' && fs.existsSync(earlier[tool] as string))
      .map((tool) => [tool, earlier[tool]]),
  );
  const manifest: ToolchainManifest = { ...kept, ...(await setupPulumi()) };
  if (options.stripeMock) manifest.stripeMock = await setupStripeMock();
  if (options.ciTools) Object.assign(manifest, await setupCiTools());
  fs.writeFileSync(TOOLCHAIN_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  log(`pulumi ${manifest.pulumiVersion} (${manifest.source === 'built' ? 'built here' : 'from PATH'}): ${manifest.pulumi}`);
  return manifest;
}

/** The manifest written by setup, or a clear error telling the user to run it. */
export function readManifest(): ToolchainManifest {
  try {
    return JSON.parse(fs.readFileSync(TOOLCHAIN_MANIFEST, 'utf8')) as ToolchainManifest;
  } catch {
    throw new SetupError('The Pulumi toolchain is not set up yet: run `npm run setup` first.');
  }
}

if (require.main === module) {
  fs.mkdirSync(TOOLCHAIN_DIR, { recursive: true });
  setup({ stripeMock: process.argv.includes('--stripe-mock'), ciTools: process.argv.includes('--ci-tools') }).catch((err: unknown) => {
    console.error(err instanceof SetupError ? `[setup] ${err.message}` : err);
    process.exit(1);
  });
}
