/**
 * Throw-away stacks driven through the real Pulumi CLI (the one `npm run setup` chose) on a temporary
 * file backend, for the end-to-end tests and the engine benchmark. Every step that fails throws with the
 * CLI's own output.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import type { PreviewDigest } from '../lib/preview-summary';
import { type PulumiRun, type RunPulumiOptions, runPulumi } from '../toolchain/cli';
import { DEMO_STACK, EMBEDDED_PASSPHRASE } from '../toolchain/env';
import { PROJECT_ROOT } from '../toolchain/paths';
import { killMarked } from './processes';

/** What the project's program and scripts need to run from a copy (stack files are the test's own). */
const PROJECT_FILES = [
  'Pulumi.yaml',
  'package.json',
  'tsconfig.json',
  'index.js',
  'index.ts',
  'provider',
  'config',
  'program',
  'lib',
  'generate',
  'authorizer',
  'emulator',
  'scripts',
  'simulate',
  'toolchain',
  'policy',
];
/** Linked, not copied: installed packages and the built toolchain. */
const PROJECT_LINKS = ['node_modules', '.toolchain'];

/** Commands that take no --stack flag. */
const STACKLESS_COMMANDS = ['stack init', 'plugin ls'];

export class PulumiCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly result: PulumiRun,
  ) {
    super(
      `\`pulumi ${args.join(' ')}\` exited with ${result.code}\n` +
        `--- stdout ---\n${result.stdout.trim()}\n--- stderr ---\n${result.stderr.trim()}`,
    );
  }
}

export interface Workspace {
  /** A copy of the program with its own `stacks/` folder. */
  dir: string;
  /** The environment for the CLI: temporary backend, PULUMI_HOME and passphrase. */
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/**
 * A temporary copy of a program: the project itself (default) or a fixture folder under test/fixtures.
 * node_modules is linked, not copied. State lives in a temporary file backend of its own.
 */
/** The environment variable that marks a workspace's processes (its value: the workspace's root folder). */
export const WORKSPACE_MARKER = 'STRIPE_ISSUING_TEST_WORKSPACE';

export function createWorkspace(opts: { fixture?: string; env?: NodeJS.ProcessEnv } = {}): Workspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-issuing-e2e-'));
  const dir = path.join(root, 'program');
  fs.mkdirSync(dir);
  if (opts.fixture) {
    fs.cpSync(path.join(PROJECT_ROOT, 'test', 'fixtures', opts.fixture), dir, { recursive: true });
  } else {
    for (const entry of PROJECT_FILES) {
      const from = path.join(PROJECT_ROOT, entry);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
    }
  }
  fs.mkdirSync(path.join(dir, 'stacks'), { recursive: true });
  for (const link of PROJECT_LINKS) fs.symlinkSync(path.join(PROJECT_ROOT, link), path.join(dir, link), 'dir');
  fs.mkdirSync(path.join(root, 'state'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    PULUMI_BACKEND_URL: `file://${path.join(root, 'state')}`,
    PULUMI_HOME: path.join(root, 'home'),
    PULUMI_CONFIG_PASSPHRASE: crypto.randomBytes(16).toString('hex'),
  };
  // Every process the workspace's CLI starts carries this, so cleanup reaps what a killed CLI left.
  env[WORKSPACE_MARKER] = root;
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  delete env.PULUMI_ACCESS_TOKEN;
  return {
    dir,
    env,
    cleanup: () => {
      killMarked(WORKSPACE_MARKER, root);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface ScriptRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run SCRIPT -- ARGS` in the workspace copy, as a pipeline runs it in its checkout (`env`: the
 * workspace's unless given, e.g. with another key). Asynchronous: an emulator in the test's own process
 * must keep answering while the script calls it.
 */
export function runNpmScript(workspace: Workspace, script: string, args: string[], env = workspace.env): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', script, '--', ...args],
      { cwd: workspace.dir, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * A resource's key in test results: `Type:name` from its URN (…::pulumi-nodejs:dynamic/stripe-issuing:Card::acme-jane-travel
 * → `Card:acme-jane-travel`). Names alone are not unique: a financial account and its features share one.
 */
function resourceKeyOfUrn(urn: string): string {
  const [type, name] = urn.split('::').slice(-2);
  return `${type.slice(type.lastIndexOf(':') + 1)}:${name}`;
}

export class TestStack {
  private constructor(
    readonly workspace: Workspace,
    readonly name: string,
  ) {}

  static async create(workspace: Workspace, name = 'test'): Promise<TestStack> {
    const stack = new TestStack(workspace, name);
    await stack.run(['stack', 'init', name]);
    return stack;
  }

  /** Runs `pulumi <args>` for this stack; throws with the CLI's output unless the exit code is allowed. */
  async run(args: string[], allowedCodes: number[] = [0], onSpawn?: RunPulumiOptions['onSpawn']): Promise<PulumiRun> {
    const full = [
      ...args,
      '--non-interactive',
      '--color',
      'never',
      ...(STACKLESS_COMMANDS.includes(args.slice(0, 2).join(' ')) ? [] : ['--stack', this.name]),
    ];
    const result = await runPulumi(full, { cwd: this.workspace.dir, env: this.workspace.env, onSpawn });
    if (!allowedCodes.includes(result.code)) throw new PulumiCommandError(full, result);
    return result;
  }

  async setConfig(key: string, value: string, opts: { secret?: boolean; path?: boolean } = {}): Promise<void> {
    await this.run(['config', 'set', key, value, ...(opts.secret ? ['--secret'] : ['--plaintext']), ...(opts.path ? ['--path'] : [])]);
  }

  /** Writes the stack's config file directly, as a user editing stacks/Pulumi.<stack>.yaml would. */
  writeStackFile(yaml: string): void {
    fs.writeFileSync(this.stackFile, yaml);
  }

  get stackFile(): string {
    return path.join(this.workspace.dir, 'stacks', `Pulumi.${this.name}.yaml`);
  }

  /**
   * Replaces one config value in the stack file, keeping everything else (the encryption salt, secrets
   * set with `setConfig`), as a reviewer-visible edit of stacks/Pulumi.<stack>.yaml would.
   */
  setConfigValue(key: string, value: unknown): void {
    const document = (fs.existsSync(this.stackFile) ? yaml.load(this.readStackFile()) : {}) as { config?: Record<string, unknown> } | null;
    const next = { ...document, config: { ...document?.config, [key]: value } };
    this.writeStackFile(yaml.dump(next, { lineWidth: 200 }));
  }

  /**
   * Starts from one of the project's committed stack files, whole: its settings and its encryption salt,
   * so the secure values in it (the demo stack's date of birth) decrypt. The demo stack's file is
   * encrypted with the public demo passphrase (toolchain/env.ts), which the workspace then uses: copy it
   * before any other stack of the workspace is created.
   */
  copyProjectStackFile(stack: string): void {
    fs.copyFileSync(path.join(PROJECT_ROOT, 'stacks', `Pulumi.${stack}.yaml`), this.stackFile);
    if (stack === DEMO_STACK) this.workspace.env.PULUMI_CONFIG_PASSPHRASE = EMBEDDED_PASSPHRASE;
  }

  readStackFile(): string {
    return fs.readFileSync(this.stackFile, 'utf8');
  }

  /** `pulumi up`; `onSpawn` receives the CLI's process (e.g. to sample its memory). */
  up(onSpawn?: RunPulumiOptions['onSpawn']): Promise<PulumiRun> {
    return this.run(['up', '--yes', '--skip-preview'], [0], onSpawn);
  }

  /**
   * Starts `pulumi up` and kills the CLI and its plugins (SIGKILL to the process group) as soon as
   * `shouldKill` says so, like a crash or a CI runner being stopped. Resolves once the process is gone.
   */
  upKilledWhen(shouldKill: () => boolean): Promise<{ killed: boolean; result: PulumiRun }> {
    return this.runKilledWhen(['up', '--yes', '--skip-preview'], shouldKill);
  }

  /** The same for any command (`destroy --yes --skip-preview`); `result` is what the CLI said until then. */
  async runKilledWhen(command: string[], shouldKill: () => boolean): Promise<{ killed: boolean; result: PulumiRun }> {
    let killed = false;
    const result = await new Promise<PulumiRun>((resolve, reject) => {
      const args = [...command, '--non-interactive', '--color', 'never', '--stack', this.name];
      const poll = setInterval(() => {
        if (!killed && child?.pid !== undefined && shouldKill()) {
          killed = true;
          process.kill(-child.pid, 'SIGKILL');
        }
      }, 10);
      let child: ChildProcess | undefined;
      runPulumi(args, { cwd: this.workspace.dir, env: this.workspace.env, detached: true, onSpawn: (c) => (child = c) })
        .then(resolve, reject)
        .finally(() => clearInterval(poll));
    });
    return { killed, result };
  }

  /** `pulumi preview --json`, parsed. Exit code 0 even when there are changes. */
  async previewJson(): Promise<PreviewDigest> {
    const result = await this.run(['preview', '--json']);
    return JSON.parse(result.stdout) as PreviewDigest;
  }

  /** Ops by `Type:name` of the resources the preview would change (`pulumi preview --json` lists no unchanged ones). */
  async previewOps(): Promise<Record<string, string>> {
    const preview = await this.previewJson();
    return Object.fromEntries(
      (preview.steps ?? []).filter((s) => !s.urn.includes('pulumi:pulumi:Stack')).map((s) => [resourceKeyOfUrn(s.urn), s.op]),
    );
  }

  /** Fails (with the CLI's output) when the preview finds any change. */
  expectNoChangesPreview(): Promise<PulumiRun> {
    return this.run(['preview', '--expect-no-changes']);
  }

  /** With expectNoChanges, fails (with the CLI's output) when the refresh finds drift. */
  refresh(opts: { expectNoChanges?: boolean } = {}): Promise<PulumiRun> {
    return this.run(['refresh', '--yes', '--skip-preview', ...(opts.expectNoChanges ? ['--expect-no-changes'] : [])]);
  }

  destroy(): Promise<PulumiRun> {
    return this.run(['destroy', '--yes', '--skip-preview']);
  }

  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.run(['stack', 'output', '--json', '--show-secrets']);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  /** The exported state as the backend stores it (secrets stay encrypted). */
  async exportState(): Promise<StateExport> {
    const result = await this.run(['stack', 'export']);
    return JSON.parse(result.stdout) as StateExport;
  }

  async remove(): Promise<void> {
    await this.run(['stack', 'rm', '--yes', '--force']);
  }
}

export interface StateResource {
  urn: string;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface StateExport {
  version: number;
  deployment: { resources?: StateResource[] };
}

/** The resources of an exported state by `Type:name`, without the stack and provider entries. */
export function stateResources(state: StateExport): Record<string, StateResource> {
  return Object.fromEntries(
    (state.deployment.resources ?? []).filter((r) => !r.type.startsWith('pulumi:')).map((r) => [resourceKeyOfUrn(r.urn), r]),
  );
}
