// Local adapter: the shared handler behind a loopback HTTP server, so the emulator's synchronous
// `issuing_authorization.request` deliveries are decided offline by the stack's rules.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleRequest, replayRetentionMs, type AuthorizerLogEntry, type AuthorizerOptions } from './handler';
import { RecentEventIds } from './replay';
import type { RuleSet } from './rules';

/** Stripe's authorization payloads are a few kilobytes; anything this large is not one. */
export const MAX_BODY_BYTES = 1024 * 1024;
const LOOPBACK = '127.0.0.1';

export interface LocalAuthorizerOptions {
  port: number;
  secret: string;
  rules: RuleSet;
  stripeVersion: string;
  toleranceSeconds?: number;
  log?: (entry: AuthorizerLogEntry) => void;
}

export interface LocalAuthorizer {
  url: string;
  close(): Promise<void>;
}

export async function startLocalAuthorizer(options: LocalAuthorizerOptions): Promise<LocalAuthorizer> {
  const log = options.log ?? ((entry: AuthorizerLogEntry) => console.log(JSON.stringify(entry)));
  const handlerOptions: AuthorizerOptions = {
    secret: options.secret,
    rules: options.rules,
    stripeVersion: options.stripeVersion,
    toleranceSeconds: options.toleranceSeconds,
    recentEvents: new RecentEventIds(replayRetentionMs(options.toleranceSeconds)),
  };
  const server = http.createServer((request, response) => {
    const answer = (status: number, headers: Record<string, string>, body: string) => {
      response.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) }).end(body);
    };
    const refuse = (status: number, error: string) => {
      log({ event: 'request_rejected', status, error, elapsedMs: 0 });
      answer(status, { 'Content-Type': 'application/json', Connection: 'close' }, JSON.stringify({ error }));
    };
    if (request.method !== 'POST') return refuse(405, `method ${request.method} not allowed: send POST`);
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      // Stop reading, answer once, then drop the connection rather than drain a hostile body.
      request.pause();
      response.once('finish', () => request.destroy());
      refuse(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      const { log: entry, status, headers, body } = handleRequest(
        { body: Buffer.concat(chunks), headers: request.headers }, handlerOptions);
      log(entry);
      answer(status, headers, body);
    });
    request.on('error', () => request.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${LOOPBACK}:${port}/`,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}

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
    throw new Error(`${SECRET_VARIABLE} must hold the webhook endpoint's signing secret (whsec_…); ` +
      (secret ? 'the value set does not start with whsec_' : 'it is not set'));
  }
  return secret;
}

async function main(): Promise<void> {
  // Loaded here so that importing this module (tests, other adapters) does not read the stack config.
  const { loadStackRuleSet } = await import('./stack-rules');
  const { default: Stripe } = await import('stripe');
  const { port, stack } = parseLocalArguments(process.argv.slice(2));
  const authorizer = await startLocalAuthorizer({
    port,
    secret: signingSecretFrom(process.env),
    rules: loadStackRuleSet(stack, process.cwd()),
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
