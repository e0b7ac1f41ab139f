import type Stripe from 'stripe';
import { StripeSettings } from './settings';

/** Bounded backoff on HTTP 429: at most this many extra attempts, each wait capped. */
export const RATE_LIMIT_RETRIES = 5;
const FIRST_WAIT_MS = 500;
const MAX_WAIT_MS = 8000;

/** Wait before retry `attempt` (0-based): Retry-After when Stripe sends it, else doubling, both capped. */
export function rateLimitWaitMs(attempt: number, retryAfterHeader: string | undefined, random = Math.random): number {
  const retryAfterSeconds = retryAfterHeader === undefined ? NaN : Number(retryAfterHeader);
  const base = Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0
    ? retryAfterSeconds * 1000
    : FIRST_WAIT_MS * 2 ** attempt;
  return Math.min(MAX_WAIT_MS, base * (0.75 + random() * 0.5));
}

// stripe-node retries a 429 only when Stripe says `Stripe-Should-Retry: true`; this wrapper retries
// every 429 below the SDK, keeping the request (and so its Idempotency-Key) byte for byte.
function backingOffOn429(inner: Stripe.HttpClient): Stripe.HttpClient {
  return {
    getClientName: () => inner.getClientName(),
    async makeRequest(...request): Promise<Stripe.HttpClientResponse> {
      for (let attempt = 0; ; attempt++) {
        const response = await inner.makeRequest(...request);
        if (response.getStatusCode() !== 429 || attempt >= RATE_LIMIT_RETRIES) return response;
        const retryAfter = [response.getHeaders()['retry-after']].flat()[0];
        await response.toJSON().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, rateLimitWaitMs(attempt, retryAfter)));
      }
    },
  };
}

/** The one Stripe client setup: pinned API version, optional base URL, network retries, 429 backoff. */
export function stripeClient(settings: StripeSettings): Stripe {
  // Loaded here, not at module scope: this code runs after closure serialization in the provider process.
  const StripeConstructor: typeof Stripe = require('stripe');
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  return new StripeConstructor(settings.apiKey, {
    // The version is pinned per stack; the SDK's own version is the default.
    apiVersion: (settings.apiVersion ?? StripeConstructor.API_VERSION) as Stripe.LatestApiVersion,
    maxNetworkRetries: 2,
    httpClient: backingOffOn429(StripeConstructor.createNodeHttpClient()),
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'http:' ? 80 : 443),
          protocol: base.protocol.replace(':', '') as 'http' | 'https',
        }
      : {}),
  });
}
