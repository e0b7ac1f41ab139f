// An offline, stateful Stripe emulator for the surface this project manages (Connect capabilities,
// Treasury financial accounts, Issuing), driven by the real `stripe` client:
//   new Stripe('sk_test_…', { host: '127.0.0.1', port: emulator.port, protocol: 'http' })
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { EventBus } from './events';
import { type FaultOptions, Faults } from './faults';
import { IdempotencyKeys } from './idempotency';
import { loadState, saveState } from './persistence';
import { accountLinkRoutes } from './resources/account-links';
import { accountRoutes, activateCapability, forceCapabilityStatus, seedAccount } from './resources/accounts';
import { authorizationRoutes } from './resources/authorizations';
import { cardholderRoutes } from './resources/cardholders';
import { cardRoutes } from './resources/cards';
import { disputeRoutes, resolveDispute } from './resources/disputes';
import { receivedMoneyRoutes } from './resources/received-money';
import { testHelperRoutes } from './resources/test-helpers';
import { activateFeatures, treasuryRoutes } from './resources/treasury';
import { treasuryTransactionRoutes } from './resources/treasury-transactions';
import { webhookEndpointRoutes } from './resources/webhook-endpoints';
import { Router } from './router';
import type { Activation, Runtime } from './runtime';
import { createServer, DEFAULT_REQUEST_LOG_LIMIT, type RecordedRequest } from './server';
import { publishStatusChanges } from './status-changes';
import { type FeatureName, Store, type StoredEvent } from './store';
import { type WebhookDelivery, WebhookDispatcher } from './webhook-delivery';

export type { FaultOptions } from './faults';
export type { RecordedRequest } from './server';
export type { FeatureName } from './store';
export type { WebhookDelivery } from './webhook-delivery';

export interface EmulatorOptions {
  /** 0 = any free port (default). */
  port?: number;
  /** Default '127.0.0.1'; anything that is not a loopback address is refused. */
  host?: string;
  /** Capability and financial-account feature activation (default 'instant'). */
  activation?: Activation;
  faults?: FaultOptions;
  /** JSON file: loaded at start when it exists, saved after every change and at close. */
  persistPath?: string;
  /** Request log lines (never secrets). */
  log?: (line: string) => void;
  /** Custom connected accounts that exist at start with exactly these ids. */
  seedAccounts?: string[];
  /**
   * Whether seeded accounts start with the Issuing and Treasury ToS acceptance recorded (default false:
   * like a new Stripe account, `card_issuing` and `treasury` stay inactive until the platform records it).
   */
  seedTosAccepted?: boolean;
  /** Requests kept for `requests()` (default 10,000); older ones are forgotten first. */
  requestLogLimit?: number;
  /** Whether the platform is onboarded to Issuing (default true); false makes card_issuing requests fail. */
  platformIssuing?: boolean;
}

export interface Emulator {
  url: string;
  port: number;
  /** The platform's own account id (requests without Stripe-Account act on it). */
  platformAccountId: string;
  close(): Promise<void>;
  setFaults(faults: FaultOptions): void;
  /** Every request received, in order. */
  requests(): RecordedRequest[];
  /** Every webhook delivery attempt, in order. */
  webhookDeliveries(): WebhookDelivery[];
  /** Resolves when every webhook delivery started so far has finished. */
  settleWebhooks(): Promise<void>;
  /** Events recorded on an account (default: the platform), newest first. */
  events(accountId?: string): StoredEvent[];
  // Test controls: what Stripe does on its own side.
  activateCapability(accountId: string, capability: string): void;
  setCapabilityStatus(accountId: string, capability: string, status: Stripe.Capability.Status): void;
  activateFinancialAccountFeatures(accountId: string, financialAccountId: string, features?: FeatureName[]): void;
  resolveDispute(accountId: string, disputeId: string, outcome: 'won' | 'lost'): void;
  /** Forgets every idempotency key, as Stripe does after 24 hours: a retried request then runs again. */
  forgetIdempotencyKeys(): void;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host) && !/^127\.\d+\.\d+\.\d+$/.test(host)) {
    throw new Error(`Refusing to listen on '${host}': the Stripe emulator binds only to loopback addresses (127.0.0.1, ::1 or localhost).`);
  }
  const log = options.log ?? (() => undefined);
  const persisted = options.persistPath ? loadState(options.persistPath) : null;
  const store = persisted ? new Store(persisted) : Store.empty();
  for (const id of options.seedAccounts ?? []) {
    if (!/^acct_[A-Za-z0-9]+$/.test(id)) throw new Error(`Invalid seed account id '${id}': expected acct_ followed by letters and digits.`);
    seedAccount(store, id, options.seedTosAccepted ?? false);
  }
  const dispatcher = new WebhookDispatcher(store, log);
  const events = new EventBus(store, dispatcher);
  const runtime: Runtime = {
    activation: options.activation ?? 'instant',
    platformIssuing: options.platformIssuing ?? true,
    baseUrl: '',
    events,
  };
  const faults = new Faults();
  faults.set(options.faults ?? {});
  const save = () => {
    if (options.persistPath) saveState(options.persistPath, store.state);
  };
  const recorded: RecordedRequest[] = [];
  const router = new Router([
    accountRoutes,
    accountLinkRoutes,
    treasuryRoutes,
    receivedMoneyRoutes,
    treasuryTransactionRoutes,
    cardholderRoutes,
    cardRoutes,
    authorizationRoutes,
    disputeRoutes,
    webhookEndpointRoutes,
    testHelperRoutes,
  ]);
  const requestLogLimit = options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT;
  if (!(Number.isInteger(requestLogLimit) && requestLogLimit > 0))
    throw new Error(`requestLogLimit must be a positive whole number, got ${requestLogLimit}`);
  const idempotency = new IdempotencyKeys();
  const server = createServer({ store, runtime, router, faults, idempotency, recorded, requestLogLimit, log, changed: save });
  save();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  runtime.baseUrl = url;
  log(`Stripe emulator listening on ${url}`);

  /** Runs a test control, then announces status changes and saves, like a request would. */
  const control = (change: () => void) => {
    change();
    publishStatusChanges(store, events, { id: null, idempotency_key: null });
    save();
  };

  return {
    url,
    port,
    platformAccountId: store.platformAccountId,
    async close() {
      await dispatcher.settle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      save();
    },
    setFaults: (next) => faults.set(next),
    requests: () => [...recorded],
    webhookDeliveries: () => dispatcher.deliveries(),
    settleWebhooks: () => dispatcher.settle(),
    events: (accountId = store.platformAccountId) => Object.values(store.scope(accountId).events).reverse(),
    activateCapability: (accountId, capability) => control(() => activateCapability(store, accountId, capability)),
    setCapabilityStatus: (accountId, capability, status) => control(() => forceCapabilityStatus(store, accountId, capability, status)),
    activateFinancialAccountFeatures: (accountId, financialAccountId, features) =>
      control(() => activateFeatures(store, accountId, financialAccountId, features)),
    resolveDispute: (accountId, disputeId, outcome) => control(() => resolveDispute(store, events, accountId, disputeId, outcome)),
    forgetIdempotencyKeys: () => idempotency.forgetAll(),
  };
}
