/**
 * `npm start`: the main job on a fresh clone. Sets up the toolchain, then brings a stack up and shows
 * what exists:
 *   - no STRIPE_API_KEY: the offline emulator is started (state kept in .emulator/<stack>.json) with the
 *     stack's connected accounts seeded by ID, and the provider is pointed at it;
 *   - STRIPE_API_KEY=sk_test_…: Stripe's test mode itself (live keys are refused here).
 * Then `pulumi up` with its progress, a table of the resources, and a second preview that must show no
 * changes. Flags: --stack NAME (default dev), --port N (emulator port, default 12111).
 */

import type Stripe from 'stripe';
import type { IssuingConfig } from '../config/types';
import { checkStack, readStackDocument } from '../config/validate';
import { capabilitiesDue, requirementsTable } from '../lib/requirements-table';
import { accountIds, DEFAULT_EMULATOR_PORT, StripeTargetError, withStripeTarget } from '../lib/stripe-target';
import { formatTable } from '../lib/table';
import type { ResourceRow } from '../program/declare';
import { stripeClient } from '../provider/client';
import { engineParallelism } from '../provider/pacer';
import { requestRate, resolveSettings } from '../provider/settings';
import { type RunPulumiOptions, runPulumi } from '../toolchain/cli';
import { PROJECT_ROOT } from '../toolchain/paths';
import { SetupError, setup } from '../toolchain/setup';

class StartError extends Error {}

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

function step(message: string): void {
  console.log(`\n==> ${message}`);
}

/** Connected account IDs by logical name, so the emulator can seed them. */
const accountsOf = (issuing: IssuingConfig): Record<string, string> =>
  Object.fromEntries(Object.entries(issuing.accounts).map(([name, account]) => [name, account.id]));

/** Pre-flight for Stripe itself: every connected account the stack names must exist on this platform. */
async function expectAccountsExist(stripe: Stripe, accounts: string[], stackPath: string): Promise<void> {
  const missing: string[] = [];
  for (const account of accounts) {
    await stripe.accounts.retrieve(account).catch((err: { code?: string }) => {
      if (err.code !== 'resource_missing' && err.code !== 'account_invalid') throw err;
      missing.push(account);
    });
  }
  if (missing.length > 0) {
    throw new StartError(
      `${stackPath} names connected accounts that this Stripe platform does not have: ` +
        `${missing.join(', ')}. The dev stack's accounts exist only in the offline emulator; with a Stripe key, ` +
        'run a stack whose accounts are yours, e.g. put your account IDs in stacks/Pulumi.staging.yaml and run ' +
        '`npm start -- --stack staging`.',
    );
  }
}

async function pulumi(args: string[], opts: RunPulumiOptions & { failure: string }): Promise<string> {
  const result = await runPulumi([...args, '--non-interactive'], opts);
  if (result.code !== 0) {
    throw new StartError(
      `${opts.failure} (pulumi ${args[0]} exited with ${result.code})${opts.stdio === 'inherit' ? '' : `:\n${result.stderr}${result.stdout}`}`,
    );
  }
  return result.stdout;
}

/** Runs `read`, turning what it throws (e.g. an unknown stack) into a message for the user. */
function userError<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new StartError((err as Error).message);
  }
}

async function main(): Promise<void> {
  const stack = argument('stack', 'dev');

  step('Setting up the Pulumi toolchain');
  const toolchain = await setup({ stripeMock: false });

  const document = userError(() => readStackDocument(stack, PROJECT_ROOT));
  const stackPath = document.file;
  step(`Checking ${stackPath}`);
  const { problems, checked } = checkStack(document);
  if (checked === undefined) throw new StartError(problems.join('\n'));

  // npm start is the test-mode main job: a live stack, or one whose own key would be used instead of the
  // emulator or STRIPE_API_KEY, is run with the Pulumi CLI on purpose, not by a demo command.
  if (checked.mode === 'live') {
    throw new StartError(`${stackPath} is a live stack: npm start only runs test stacks. Use \`npm run pulumi -- up --stack ${stack}\`.`);
  }
  if (checked.stripe.ownKey) {
    throw new StartError(
      `${stackPath} stores its own stripe-issuing:stripeApiKey, which would be used instead of the emulator or ` +
        `STRIPE_API_KEY: run it with \`npm run pulumi -- up --stack ${stack}\`, or remove the key and set STRIPE_API_KEY.`,
    );
  }

  const port = Number(argument('port', String(DEFAULT_EMULATOR_PORT)));
  await withStripeTarget(document, { stack, projectRoot: PROJECT_ROOT, port }, async ({ env, offline, description }) => {
    if (offline) {
      step(`No STRIPE_API_KEY: using ${description}`);
    } else {
      step(`Using Stripe test mode with the key from STRIPE_API_KEY (stack ${stack})`);
      await expectAccountsExist(stripeClient(resolveSettings()), accountIds(document.config), stackPath);
    }
    console.log(`pulumi ${toolchain.pulumiVersion} (${toolchain.source === 'built' ? 'built here' : 'from PATH'})`);
    await pulumi(['stack', 'select', '--create', '--stack', stack], { env, failure: `Could not select or create the stack ${stack}` });

    // --refresh first reads what exists, so objects deleted or changed outside Pulumi are put back.
    // Enough resources in flight to keep the provider's request pacer busy (see provider/pacer.ts).
    const parallel = engineParallelism(requestRate(checked.stripe.maxRequestsPerSecond, 'test'));
    step(`pulumi up --refresh --parallel ${parallel} --stack ${stack}`);
    await pulumi(['up', '--yes', '--refresh', '--parallel', String(parallel), '--stack', stack], {
      env,
      stdio: 'inherit',
      failure: 'pulumi up failed',
    }).catch(async (error: unknown) => {
      // Capabilities waiting on onboarding stop the up: say what each needs and what provides it.
      const stripe = stripeClient({
        apiKey: env.STRIPE_API_KEY as string,
        mode: 'test',
        ...(env.STRIPE_API_BASE ? { apiBase: env.STRIPE_API_BASE } : {}),
      });
      const due = requirementsTable(await capabilitiesDue(stripe, stack, accountsOf(checked.issuing)).catch(() => []));
      if (due) console.log(`\nWhat Stripe needs before the capabilities become active:\n${due}`);
      throw error;
    });

    step('What exists');
    const rows = JSON.parse(
      await pulumi(['stack', 'output', 'resources', '--json', '--stack', stack], { env, failure: 'Could not read the stack outputs' }),
    ) as ResourceRow[];
    console.log(
      formatTable(
        ['type', 'name', 'Stripe ID', 'last4', 'status'],
        rows.map((r) => [r.type, r.name, r.id, r.last4, r.status]),
      ),
    );
    const due = requirementsTable(rows.map((row) => ({ capability: row.name, due: row.requirementsDue ?? [] })));
    console.log(due ? `\nWhat Stripe lists as due:\n${due}` : '\nNo capability has requirements due.');

    step('A second preview must show no changes');
    await pulumi(['preview', '--expect-no-changes', '--stack', stack], {
      env,
      stdio: 'inherit',
      failure: 'The second preview found changes',
    });
    console.log('\nNo changes: the stack matches Stripe.');
  });
}

main().catch((err: unknown) => {
  const stripeError = err instanceof Error && String((err as { type?: unknown }).type).startsWith('Stripe');
  console.error(
    err instanceof StartError || err instanceof StripeTargetError || err instanceof SetupError || stripeError
      ? `\n${(err as Error).message}`
      : err,
  );
  process.exit(1);
});
