// Every change is recorded as an `evt_` on the account it happened on, then handed to webhook delivery.
import Stripe from 'stripe';
import { newId, nowSeconds } from './ids';
import { includeOnlyExpanded } from './includable';
import type { Store, StoredEvent } from './store';
import type { WebhookDispatcher } from './webhook-delivery';

export interface RequestRef {
  id: string | null;
  idempotency_key: string | null;
}

export class EventBus {
  constructor(
    private readonly store: Store,
    readonly webhooks: WebhookDispatcher,
  ) {}

  /** Builds and stores an event without delivering it (for synchronous requests). */
  record(accountId: string, type: string, object: unknown, request: RequestRef, previousAttributes?: Record<string, unknown>): StoredEvent {
    const event: StoredEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: nowSeconds(),
      data: previousAttributes ? { object: snapshot(object), previous_attributes: previousAttributes } : { object: snapshot(object) },
      livemode: false,
      pending_webhooks: 0,
      request,
      type,
    };
    if (accountId !== this.store.platformAccountId) event.account = accountId;
    this.store.scope(accountId).events[event.id] = event;
    return event;
  }

  emit(accountId: string, type: string, object: unknown, request: RequestRef, previousAttributes?: Record<string, unknown>): StoredEvent {
    const event = this.record(accountId, type, object, request, previousAttributes);
    event.pending_webhooks = this.webhooks.dispatch(event);
    return event;
  }
}

/**
 * The object as an API response without `expand` shows it: a copy without the properties returned only
 * when expanded (e.g. a dispute's `balance_transactions`), since Stripe's events carry the object as the
 * API renders it.
 */
function snapshot(object: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(object));
  includeOnlyExpanded(copy, [], []);
  return copy;
}

/** The fields of `before` that differ in `after`, with their old values (Stripe's previous_attributes). */
export function previousAttributes(before: object, after: object): Record<string, unknown> {
  const old = before as Record<string, unknown>;
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(old[key]) !== JSON.stringify(value)) changed[key] = old[key] ?? null;
  }
  return changed;
}
