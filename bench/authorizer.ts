/**
 * Authorizer answer time: signed `issuing_authorization.request` events POSTed to the local handler
 * (authorizer/local.ts), timed at the client as Stripe would time them. Bounds: Stripe's 2 s budget
 * for a real-time authorization answer, and a bare loopback POST of the same body answered with a
 * canned decision (what is left is signature check, parsing, rules and the log line).
 */
import * as http from 'node:http';
import Stripe from 'stripe';
import { startLocalAuthorizer } from '../authorizer/local';
import { authorizationEvent, fixtureRules, SECRET, signedRequest } from '../testbed/authorization-events';
import { post, startCannedServer } from './loopback';
import { interleaved, type Measurement, median, quantile, quantity } from './measure';

/** Stripe declines (or applies the account's default) when the answer takes longer than this. */
export const STRIPE_AUTHORIZATION_BUDGET_MS = 2000;

export async function measureAuthorizer(rounds: number): Promise<Measurement[]> {
  const warmup = Math.ceil(rounds / 10);
  // Signed ahead of time: each event id is answered once (replay protection), and signing is Stripe's work.
  const requests = Array.from({ length: warmup + rounds }, () =>
    signedRequest(JSON.stringify(authorizationEvent({ cardName: 'acme-jane-travel', amount: 4200, category: 'taxicabs_limousines' }))),
  );
  const authorizer = await startLocalAuthorizer({
    port: 0,
    secret: SECRET,
    rules: fixtureRules({ cards: { 'acme-jane-travel': { maxAmount: 100000, blockedCategories: ['bars_taverns'] } } }),
    stripeVersion: Stripe.API_VERSION,
    log: () => undefined,
  });
  const canned = await startCannedServer(() => JSON.stringify({ approved: true }));
  const agent = new http.Agent({ keepAlive: true });
  try {
    let next = 0;
    const samples = await interleaved(
      rounds,
      warmup,
      async () => {
        const { body, headers } = requests[next++];
        const status = await post(authorizer.url, body, headers, agent);
        if (status !== 200) throw new Error(`the authorizer answered ${status}`);
      },
      () => post(canned.url, requests[0].body, requests[0].headers, agent),
    );
    return [
      {
        what: `authorizer: answer time, p99 of ${rounds}`,
        value: quantity(quantile(samples.subject, 0.99), 'ms'),
        bound: { what: "Stripe's real-time authorization budget", ...quantity(STRIPE_AUTHORIZATION_BUDGET_MS, 'ms') },
      },
      {
        what: `authorizer: answer time, median of ${rounds}`,
        value: quantity(median(samples.subject), 'ms'),
        bound: { what: 'same POST to a bare loopback server (median)', ...quantity(median(samples.bound), 'ms') },
      },
    ];
  } finally {
    agent.destroy();
    await Promise.all([authorizer.close(), canned.close()]);
  }
}
