/**
 * `npm run onboarding-link -- --stack NAME --account KEY`: creates a Stripe Account Link
 * (`account_onboarding`, collecting what is currently due) for a connected account of the stack and
 * prints its URL: Stripe-hosted onboarding for what does not belong in a repository (identity
 * documents, personal details). KEY is the account's logical name in the stack file (or its `acct_` ID).
 * The return and refresh URLs come from the stack file (`issuing.onboarding`); the key from
 * STRIPE_API_KEY, a live key only on a live stack and a test key only on a test stack.
 */
import { parseArgs } from 'node:util';
import { formatProblem } from '../config/paths';
import { keyModeProblems } from '../config/safety';
import { checkedStack, readStackDocument, type StackDocument } from '../config/validate';
import { capabilitiesDue, requirementsTable } from '../lib/requirements-table';
import { stripeClient } from '../provider/client';
import { redact } from '../provider/errors';
import type { StripeSettings } from '../provider/settings';

const USAGE =
  "usage: npm run onboarding-link -- --stack NAME --account KEY   (KEY: the account's name under issuing.accounts, or its acct_ ID)";

class LinkRefused extends Error {}

export interface OnboardingTarget {
  accountName: string;
  accountId: string;
  returnUrl: string;
  refreshUrl: string;
  settings: StripeSettings;
}

/** Everything the link needs from the stack file and the environment, checked before any Stripe call. */
export function onboardingTarget(document: StackDocument, account: string, env: NodeJS.ProcessEnv): OnboardingTarget {
  const { file, mode, issuing, stripe } = checkedStack(document);
  const found = Object.entries(issuing.accounts).find(([name, declared]) => name === account || declared.id === account);
  if (!found) {
    throw new LinkRefused(`${file}: issuing.accounts has no account "${account}"; declared: ${Object.keys(issuing.accounts).join(', ')}`);
  }
  const { returnUrl, refreshUrl } = issuing.onboarding ?? {};
  if (!returnUrl || !refreshUrl) {
    throw new LinkRefused(
      formatProblem(
        file,
        'issuing.onboarding',
        'needs returnUrl and refreshUrl: where Stripe sends the account holder after onboarding, and when the link has expired or was used',
      ),
    );
  }
  const keyProblems = keyModeProblems(mode, env.STRIPE_API_KEY, 'STRIPE_API_KEY');
  if (keyProblems.length > 0) throw new LinkRefused(keyProblems.map((p) => formatProblem(file, p.path, p.message)).join('\n'));
  const apiBase = stripe.apiBase ?? env.STRIPE_API_BASE;
  const apiVersion = stripe.apiVersion ?? env.STRIPE_API_VERSION;
  return {
    accountName: found[0],
    accountId: found[1].id,
    returnUrl,
    refreshUrl,
    settings: { apiKey: env.STRIPE_API_KEY as string, mode, ...(apiBase ? { apiBase } : {}), ...(apiVersion ? { apiVersion } : {}) },
  };
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { stack: { type: 'string' }, account: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    throw new LinkRefused(`${(error as Error).message}\n${USAGE}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const values = parseOptions(argv);
  if (!values.stack || !values.account) throw new LinkRefused(USAGE);
  // Stack files are read from the working directory, the project root under npm run.
  const target = onboardingTarget(readStackDocument(values.stack, process.cwd()), values.account, process.env);
  const stripe = stripeClient(target.settings);

  // What the link will collect: each capability's requirements Stripe needs now.
  const capabilities = await capabilitiesDue(stripe, values.stack, { [target.accountName]: target.accountId });
  console.log(capabilities.map(({ capability, status }) => `${capability}: ${status}`).join('\n'));
  console.log(requirementsTable(capabilities) ?? 'Nothing is due now.');
  const link = await stripe.accountLinks.create({
    account: target.accountId,
    type: 'account_onboarding',
    collection_options: { fields: 'currently_due' },
    return_url: target.returnUrl,
    refresh_url: target.refreshUrl,
  });
  console.log(
    `\nHosted onboarding for ${target.accountName} (${target.accountId}), single use, expires ${new Date(link.expires_at * 1000).toISOString()}:`,
  );
  console.log(link.url);
  console.log("Hand it to the account holder inside your signed-in application, not by email or text (Stripe's advice).");
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    const stripeError = error instanceof Error && String((error as { type?: unknown }).type).startsWith('Stripe');
    const message = error instanceof Error ? error.message : String(error);
    console.error(redact(error instanceof LinkRefused || stripeError ? message : String(error)));
    process.exit(1);
  });
}
