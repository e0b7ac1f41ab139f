/**
 * Which Stripe a command runs a stack against: the one rule that `npm start`, `npm run simulate` and
 * `npm run review` share (and any other command on a stack's objects, e.g. a drift check).
 *
 *   - STRIPE_API_KEY is set, or the stack file stores its own key: Stripe itself, the environment as it
 *     is. A key in STRIPE_API_KEY must pass the key guard for the stack's mode first (config/safety.ts
 *     keyModeProblems, the program's and the provider's rule: a test key on a test stack, a live key on a live
 *     one, nothing else); commands may accept less (npm start and simulate: test stacks only). A key the
 *     stack file stores is encrypted: the program and the provider check it;
 *   - neither: offline. The emulator listens on loopback with the stack's saved state
 *     (`.emulator/<stack>.json`, git-ignored, shared by every command on that stack) and its connected
 *     accounts seeded by ID; the environment given to `work` points the provider and the `stripe` client
 *     at it (STRIPE_API_KEY=sk_test_emulator, STRIPE_API_BASE). With `authorizer: true`, the local
 *     authorization handler also runs, on the port and with the signing secret of the stack's outputs,
 *     so the emulator's `issuing_authorization.request` deliveries get the stack's decisions. Both stop
 *     when `work` finishes. Live stacks are refused offline: their objects exist only in Stripe.
 *
 * Usage (the caller reads the stack file with config/validate.ts readStackDocument and checks it its own way):
 *   await withStripeTarget(document, { stack, projectRoot }, async ({ env, offline }) => {
 *     await runPulumi(['preview', '--stack', stack], { env });
 *   });
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Stripe from 'stripe';
import { type LocalAuthorizer, startLocalAuthorizer } from '../authorizer/local';
import { stackRuleSet } from '../config/authorizer-rules';
import { formatProblem } from '../config/paths';
import { keyModeProblems } from '../config/safety';
import { checkedStack, type StackDocument } from '../config/validate';
import { startEmulator } from '../emulator';
import { CONFIG_KEYS } from '../provider/settings';
import { runPulumi } from '../toolchain/cli';

/** The emulator accepts any test key; this one says where it came from. */
const EMULATOR_KEY = 'sk_test_emulator';
/** Default emulator port, the same for every command, so one `.emulator/<stack>.json` serves them all. */
export const DEFAULT_EMULATOR_PORT = 12111;

export class StripeTargetError extends Error {}

export interface StripeTargetOptions {
  stack: string;
  /** Where `stacks/` and `.emulator/` are, and where the Pulumi CLI runs. */
  projectRoot: string;
  /** The caller's environment (default process.env); not changed. */
  env?: NodeJS.ProcessEnv;
  /** Emulator port (default 12111). */
  port?: number;
  /** Offline: also run the local authorizer of the stack (needs the stack up, for its outputs). */
  authorizer?: boolean;
}

export interface StripeTarget {
  /** For the Pulumi CLI and the `stripe` client: STRIPE_API_KEY and STRIPE_API_BASE point at the target. */
  env: NodeJS.ProcessEnv;
  /** True when the emulator serves this run. */
  offline: boolean;
  /** One line for the user: where the stack's objects are. */
  description: string;
}

export async function withStripeTarget<T>(
  document: StackDocument,
  options: StripeTargetOptions,
  work: (target: StripeTarget) => Promise<T>,
): Promise<T> {
  const env = options.env ?? process.env;
  const { config } = document;
  const keyProblems = env.STRIPE_API_KEY ? keyModeProblems(document.mode, env.STRIPE_API_KEY, 'STRIPE_API_KEY') : [];
  if (keyProblems.length > 0) {
    throw new StripeTargetError(keyProblems.map((problem) => formatProblem(document.file, problem.path, problem.message)).join('\n'));
  }
  if (env.STRIPE_API_KEY || config[CONFIG_KEYS.apiKey] !== undefined) {
    const whose = env.STRIPE_API_KEY ? 'the key in STRIPE_API_KEY' : `the key stored in ${document.file}`;
    return work({ env, offline: false, description: `Stripe (${whose})` });
  }
  if (document.mode === 'live') {
    throw new StripeTargetError(
      `${document.file} is a live stack and STRIPE_API_KEY is not set: its objects exist only in Stripe, ` +
        'so it runs with its live key, never on the offline emulator.',
    );
  }
  const persistPath = path.join(options.projectRoot, '.emulator', `${options.stack}.json`);
  fs.mkdirSync(path.dirname(persistPath), { recursive: true });
  const emulator = await startEmulator({ port: options.port ?? DEFAULT_EMULATOR_PORT, persistPath, seedAccounts: accountIds(config) });
  let authorizer: LocalAuthorizer | undefined;
  try {
    const offlineEnv = { ...env, STRIPE_API_KEY: EMULATOR_KEY, STRIPE_API_BASE: emulator.url };
    if (options.authorizer) authorizer = await startStackAuthorizer(document, options, offlineEnv);
    const state = path.relative(options.projectRoot, persistPath);
    return await work({
      env: offlineEnv,
      offline: true,
      description:
        `the offline Stripe emulator at ${emulator.url} (state in ${state})` +
        (authorizer ? `, the local authorizer at ${authorizer.url}` : ''),
    });
  } finally {
    await authorizer?.close();
    await emulator.close();
  }
}

/** Connected account IDs of a (validated) stack file. */
export function accountIds(config: Record<string, unknown>): string[] {
  const issuing = config['stripe-issuing:issuing'] as { accounts?: Record<string, { id?: string }> } | undefined;
  return Object.values(issuing?.accounts ?? {}).flatMap((account) => (account.id ? [account.id] : []));
}

interface AuthorizerOutput {
  target: string;
  url: string;
  signingSecret: string;
}

/**
 * The local authorizer as the stack's last `up` declared it: port from its URL, the endpoint's signing
 * secret (read with --show-secrets, kept in memory only), rules from the stack file. Undefined when the
 * stack declares no local authorizer.
 */
async function startStackAuthorizer(
  document: StackDocument,
  options: StripeTargetOptions,
  env: NodeJS.ProcessEnv,
): Promise<LocalAuthorizer | undefined> {
  const run = await runPulumi(['stack', 'output', '--json', '--show-secrets', '--non-interactive', '--stack', options.stack], {
    cwd: options.projectRoot,
    env,
  });
  if (run.code !== 0) {
    throw new StripeTargetError(
      `Cannot read the outputs of stack ${options.stack} for its authorizer (pulumi stack output exited with ` +
        `${run.code}): bring the stack up first (npm start -- --stack ${options.stack}).\n${run.stderr.trim()}`,
    );
  }
  const declared = (JSON.parse(run.stdout) as { authorizer?: AuthorizerOutput }).authorizer;
  if (declared?.target !== 'local') return undefined;
  return startLocalAuthorizer({
    port: Number(new URL(declared.url).port),
    secret: declared.signingSecret,
    rules: stackRuleSet(checkedStack(document)),
    stripeVersion: Stripe.API_VERSION,
    // Decisions show in the authorizations' request_history; the handler's own log is not needed here.
    log: () => undefined,
  });
}
