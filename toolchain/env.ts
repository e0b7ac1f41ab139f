import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMBEDDED_PULUMI_DIR, NODE_BIN_DIR, TOOLCHAIN_BIN } from './paths';

/**
 * Passphrase of the demo stack on the embedded local backend when the user set none. It is public and
 * protects nothing (the dev stack holds no real secret, only a fictional date of birth encrypted to show
 * the habit, and talks to the offline emulator); it only keeps the
 * demo non-interactive, and stacks/Pulumi.dev.yaml carries its salt. Every other stack needs a
 * passphrase of the user's own (PULUMI_CONFIG_PASSPHRASE or _FILE), so real keys are never encrypted
 * with a published one.
 */
export const EMBEDDED_PASSPHRASE = 'stripe-issuing-local-dev';
export const DEMO_STACK = 'dev';

/** The stack a CLI invocation names with --stack/-s, if any. */
export function stackOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const match = /^(?:--stack|-s)(?:=(.+))?$/.exec(args[i]);
    if (match) return match[1] ?? args[i + 1];
  }
  return undefined;
}

/** Whether the user already chose where state lives: `pulumi login`, PULUMI_BACKEND_URL or a token. */
export function userChoseBackend(env: NodeJS.ProcessEnv): boolean {
  if (env.PULUMI_BACKEND_URL || env.PULUMI_ACCESS_TOKEN) return true;
  const home = env.PULUMI_HOME || path.join(os.homedir(), '.pulumi');
  try {
    const creds = JSON.parse(fs.readFileSync(path.join(home, 'credentials.json'), 'utf8'));
    return typeof creds.current === 'string' && creds.current !== '';
  } catch {
    return false;
  }
}

/** Commands that choose the backend themselves: they must write the user's own PULUMI_HOME. */
const BACKEND_COMMANDS = ['login', 'logout'];

/**
 * The environment every script runs the Pulumi CLI with: our tools first on PATH (Node 22 from
 * node_modules for the language host and dynamic providers), no update checks, no plugin downloads,
 * programs transpiled without a second type-check,
 * and the embedded file backend unless the user chose a backend of their own (or is choosing one now
 * with `login`: pointing that at the embedded PULUMI_HOME would lose the choice).
 */
export function pulumiEnv(base: NodeJS.ProcessEnv = process.env, stack?: string, command?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    PATH: [TOOLCHAIN_BIN, NODE_BIN_DIR, base.PATH ?? ''].join(path.delimiter),
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    // Offline by default; stacks that deploy the AWS authorizer need the aws plugin: install it once
    // (`npm run pulumi -- plugin install resource aws <version>`) or set this to false.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: base.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION ?? 'true',
    // ts-node only transpiles the program: `npm run typecheck` (part of `npm test`) type-checks the
    // whole project once, instead of every preview, up and refresh paying for it again.
    PULUMI_NODEJS_TRANSPILE_ONLY: base.PULUMI_NODEJS_TRANSPILE_ONLY ?? 'true',
  };
  if (!userChoseBackend(base) && !BACKEND_COMMANDS.includes(command ?? '')) {
    const stateDir = path.join(EMBEDDED_PULUMI_DIR, 'state');
    fs.mkdirSync(stateDir, { recursive: true });
    env.PULUMI_BACKEND_URL = `file://${stateDir}`;
    env.PULUMI_HOME = path.join(EMBEDDED_PULUMI_DIR, 'home');
    if (stack === DEMO_STACK && !base.PULUMI_CONFIG_PASSPHRASE && !base.PULUMI_CONFIG_PASSPHRASE_FILE) {
      env.PULUMI_CONFIG_PASSPHRASE = EMBEDDED_PASSPHRASE;
    }
  }
  return env;
}

/**
 * Why a CLI call must not run, or undefined: writing a secret with the public demo passphrase would
 * store it encrypted with a key everyone has. (`config set --secret`, `config set-all --secret …`.)
 */
export function publicPassphraseRefusal(args: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE !== EMBEDDED_PASSPHRASE) return undefined;
  const writesConfig = args.includes('config') && (args.includes('set') || args.includes('set-all'));
  if (!writesConfig || !args.some((arg) => arg === '--secret' || arg === '--secret=true')) return undefined;
  return (
    `Refusing \`config set --secret\`: this stack's passphrase is the public demo passphrase ` +
    `"${EMBEDDED_PASSPHRASE}", which encrypts nothing anyone cannot decrypt. Keep the demo stack ${DEMO_STACK} ` +
    'free of secrets (give a key through STRIPE_API_KEY), or create a stack of your own with your own ' +
    'passphrase: PULUMI_CONFIG_PASSPHRASE=… npm run pulumi -- stack init <name>'
  );
}
