// `npm run authorizer -- --port N --stack NAME`: the local authorizer (authorizer/local.ts) with the rules of
// a stack file, so the emulator's `issuing_authorization.request` deliveries are decided offline.
import Stripe from 'stripe';
import { startLocalAuthorizer } from '../authorizer/local';
import { stackRuleSet } from '../config/authorizer-rules';
import { checkedStack, readStackDocument } from '../config/validate';

/** The signing secret comes from the environment: command-line arguments are visible to every local user. */
export const SECRET_VARIABLE = 'AUTHORIZER_WEBHOOK_SECRET';
const USAGE = `usage: npm run authorizer -- --port <1-65535> --stack <name>   (signing secret in ${SECRET_VARIABLE})`;

export interface LocalArguments {
  port: number;
  stack: string;
}

export function parseLocalArguments(argv: readonly string[]): LocalArguments {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag !== '--port' && flag !== '--stack') throw new Error(`unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
    values.set(flag, value);
  }
  const port = Number(values.get('--port'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`--port must be a whole number from 1 to 65535, got ${JSON.stringify(values.get('--port') ?? null)}\n${USAGE}`);
  }
  const stack = values.get('--stack');
  if (!stack) throw new Error(`--stack is required\n${USAGE}`);
  return { port, stack };
}

export function signingSecretFrom(env: NodeJS.ProcessEnv): string {
  const secret = env[SECRET_VARIABLE];
  if (!secret?.startsWith('whsec_')) {
    throw new Error(
      `${SECRET_VARIABLE} must hold the webhook endpoint's signing secret (whsec_…); ` +
        (secret ? 'the value set does not start with whsec_' : 'it is not set'),
    );
  }
  return secret;
}

async function main(): Promise<void> {
  const { port, stack } = parseLocalArguments(process.argv.slice(2));
  // Stack files are read from the working directory, the project root under npm run.
  const rules = stackRuleSet(checkedStack(readStackDocument(stack, process.cwd())));
  const authorizer = await startLocalAuthorizer({
    port,
    secret: signingSecretFrom(process.env),
    rules,
    stripeVersion: Stripe.API_VERSION,
  });
  console.error(`authorizer for stack ${stack} listening on ${authorizer.url} (Ctrl-C stops it)`);
  const stop = () => void authorizer.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`authorizer: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
