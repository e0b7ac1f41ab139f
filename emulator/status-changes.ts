// Capability and feature statuses are derived from several inputs (requests, ToS, activation, platform
// restrictions), so instead of every writer remembering to announce them, one pass after each change
// compares them with what was last announced and emits `capability.updated` and
// `treasury.financial_account.features_status_updated` on the account concerned.
import type { EventBus, RequestRef } from './events';
import { capabilityStatus, renderCapability } from './resources/accounts';
import { renderFeatures, renderFinancialAccount } from './resources/treasury';
import type { Store } from './store';

export function publishStatusChanges(store: Store, events: EventBus, request: RequestRef): void {
  for (const [accountId, record] of Object.entries(store.state.accounts)) {
    for (const [name, capability] of Object.entries(record.capabilities)) {
      const status = capabilityStatus(record, name);
      if (status === capability.lastPublishedStatus) continue;
      const previous = capability.lastPublishedStatus;
      capability.lastPublishedStatus = status;
      events.emit(accountId, 'capability.updated', renderCapability(record, name), request, { status: previous });
    }
    for (const fa of Object.values(store.scope(accountId).financialAccounts)) {
      const features = JSON.stringify(renderFeatures(store, accountId, fa));
      if (features === fa.lastPublishedFeatures) continue;
      fa.lastPublishedFeatures = features;
      events.emit(accountId, 'treasury.financial_account.features_status_updated', renderFinancialAccount(store, accountId, fa), request);
    }
  }
}
