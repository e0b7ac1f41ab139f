// Starts an emulator per test suite and hands out real `stripe` clients pointed at it.
import Stripe from 'stripe';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator';
import { clientFor } from '../../testbed/stripe-objects';

export interface Harness {
  emulator: Emulator;
  stripe: Stripe;
}

/** Registers before/after hooks on the current mocha suite; read the fields inside tests. */
export function useEmulator(options: EmulatorOptions = {}): Harness {
  const harness = {} as Harness;
  before(async () => {
    harness.emulator = await startEmulator(options);
    harness.stripe = clientFor(harness.emulator);
  });
  after(async () => {
    await harness.emulator?.close();
  });
  return harness;
}

/** Expects the promise to reject with a Stripe error and returns it. */
export async function stripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the request to fail with a Stripe error, but it succeeded');
}

export interface ReceivedWebhook {
  payload: string;
  signature: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/** A loopback HTTP server that records webhook deliveries and answers with `answer` (default 200 `{}`). */
export async function startWebhookReceiver(
  answer: (payload: string, res: import('http').ServerResponse) => void = (_payload, res) => res.end('{}'),
): Promise<WebhookReceiver> {
  const http = await import('node:http');
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const payload = Buffer.concat(chunks).toString('utf8');
      received.push({ payload, signature: String(req.headers['stripe-signature']) });
      answer(payload, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
