import type Stripe from 'stripe';
import { pacerFor, type RequestPacer, STRIPE_RATE_LIMITS } from './pacer';
import type { StripeSettings } from './settings';

/**
 * How often one request is sent again after 429s. The pacer slows every sender down after each, so
 * this is only reached when something else spends the key's whole budget for a long time.
 */
export const RATE_LIMIT_ATTEMPTS = 30;

/** `Retry-After` in milliseconds, when Stripe sends a usable one. */
export function retryAfterMs(header: string | undefined): number | undefined {
  const seconds = header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

// Every request, first attempts and stripe-node's own retries alike, waits for the key's pacer. A 429
// is sent again below the SDK (which retries a 429 only when Stripe says `Stripe-Should-Retry: true`),
// byte for byte, so its Idempotency-Key stays the same.
function paced(inner: Stripe.HttpClient, pacer: RequestPacer): Stripe.HttpClient {
  return {
    getClientName: () => inner.getClientName(),
    async makeRequest(...request): Promise<Stripe.HttpClientResponse> {
      for (let attempt = 1; ; attempt++) {
        await pacer.acquire();
        const response = await inner.makeRequest(...request);
        if (response.getStatusCode() !== 429) {
          pacer.accepted();
          return response;
        }
        pacer.rateLimited(retryAfterMs([response.getHeaders()['retry-after']].flat()[0]));
        if (attempt >= RATE_LIMIT_ATTEMPTS) return response;
        await response.toJSON().catch(() => undefined);
      }
    },
  };
}

/** The one Stripe client setup: pinned API version, optional base URL, network retries, the key's pacer. */
export function stripeClient(settings: StripeSettings): Stripe {
  // Loaded here, not at module scope: the provider's code runs in the dynamic-provider process.
  const StripeConstructor: typeof Stripe = require('stripe');
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  return new StripeConstructor(settings.apiKey, {
    // The version is pinned per stack; the SDK's own version is the default.
    apiVersion: (settings.apiVersion ?? StripeConstructor.API_VERSION) as Stripe.LatestApiVersion,
    maxNetworkRetries: 2,
    // Request-latency telemetry is sent along on later requests; with hundreds in flight its buffer fills
    // and the SDK prints "Request metrics buffer is full" for each one. It is not ours to send.
    telemetry: false,
    httpClient: paced(
      StripeConstructor.createNodeHttpClient(),
      pacerFor(settings.apiKey, settings.maxRequestsPerSecond ?? STRIPE_RATE_LIMITS[settings.mode]),
    ),
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'http:' ? 80 : 443),
          protocol: base.protocol.replace(':', '') as 'http' | 'https',
        }
      : {}),
  });
}
