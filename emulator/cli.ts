// `npm run emulator -- --port N [--persist FILE] [--activation pending] [--seed-account acct_x]...
// [--seed-tos-accepted] [--no-platform-issuing] [--rate-limit N]`: prints the base URL on a line of its own, runs until
// SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startEmulator } from './index';

const USAGE =
  'usage: emulator/cli.ts [--port N] [--host 127.0.0.1] [--persist FILE] [--activation instant|pending] ' +
  '[--seed-account acct_x]... [--seed-tos-accepted] [--no-platform-issuing] [--rate-limit REQUESTS_PER_SECOND] [--quiet]';

function parseOptions() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        host: { type: 'string', default: '127.0.0.1' },
        persist: { type: 'string' },
        activation: { type: 'string', default: 'instant' },
        'seed-account': { type: 'string', multiple: true, default: [] },
        'seed-tos-accepted': { type: 'boolean', default: false },
        'no-platform-issuing': { type: 'boolean', default: false },
        'rate-limit': { type: 'string' },
        quiet: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const values = parseOptions();
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer from 0 to 65535, got '${values.port}'`);
  if (values.activation !== 'instant' && values.activation !== 'pending')
    fail(`--activation must be instant or pending, got '${values.activation}'`);
  const rateLimit = values['rate-limit'] === undefined ? undefined : Number(values['rate-limit']);
  if (rateLimit !== undefined && !(rateLimit > 0)) fail(`--rate-limit must be a positive number, got '${values['rate-limit']}'`);

  const emulator = await startEmulator({
    port,
    host: values.host,
    persistPath: values.persist,
    activation: values.activation,
    seedAccounts: values['seed-account'],
    seedTosAccepted: values['seed-tos-accepted'],
    platformIssuing: !values['no-platform-issuing'],
    faults: rateLimit === undefined ? {} : { rateLimitPerSecond: rateLimit },
    log: values.quiet ? undefined : (line) => console.error(line),
  });
  console.log(emulator.url);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

main().catch((error: Error) => fail(error.message));
