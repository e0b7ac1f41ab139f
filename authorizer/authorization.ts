// The few fields of an `issuing.authorization` the decision needs, read from the event payload.
// Reading only these keeps card data (number, CVC, the full card object) out of everything downstream.
import { isRecord } from './rule-set';
import { PULUMI_NAME_METADATA_KEY, PULUMI_STACK_METADATA_KEY } from './types';

export interface AuthorizationRequest {
  id: string;
  /**
   * `pending_request.amount`: the *additional* amount Stripe will hold if approved, in the card currency's
   * minor units (types `Issuing.Authorization.PendingRequest.amount`); for an increment, only the increment.
   * Never `merchant_amount`, which is in the merchant's currency.
   */
  amount: number;
  /**
   * What this authorization holds already, before the request: the larger of its `amount` ("the total
   * amount that was authorized", types `Issuing.Authorization.amount`) and the sum of its approved
   * `request_history` entries (each "the pending_request.amount at the time of the request … held … if
   * the request was approved"). The larger, so that neither a partial capture nor a reversal lowers what
   * an authorization may still be incremented by. 0 for a first request.
   */
  heldAmount: number;
  /** The card's currency: the authorization's `currency`, which the pending request must share. */
  currency: string;
  /** Whether the answer may hold a smaller amount than requested. */
  amountControllable: boolean;
  merchantCategory: string;
  /** ISO 3166-1 alpha-2, upper case; null when the network did not send one. */
  merchantCountry: string | null;
  /** The connected account the card lives on (the event's `account`); null for the platform's own cards. */
  account: string | null;
  /** `pulumi_name` and `pulumi_stack` metadata of the card and of its cardholder; null when absent. */
  cardName: string | null;
  cardStack: string | null;
  cardholderName: string | null;
  cardholderStack: string | null;
}

/**
 * Reads an authorization from `event.data.object` (and `event.account`, where Connect events say whose
 * card it is); throws naming the first missing or malformed field.
 */
export function readAuthorizationRequest(object: unknown, account: unknown = null): AuthorizationRequest {
  const authorization = record(object, 'data.object');
  const pending = authorization.pending_request;
  if (pending === null) {
    throw new Error('data.object.pending_request is null: the authorization has already been decided');
  }
  const pendingRequest = record(pending, 'data.object.pending_request');
  const merchant = record(authorization.merchant_data, 'data.object.merchant_data');
  const card = record(authorization.card, 'data.object.card');
  const country = merchant.country;
  if (country !== null && country !== undefined && typeof country !== 'string') {
    throw new Error('data.object.merchant_data.country: expected a country code or null');
  }
  const amount = minorUnits(pendingRequest.amount, 'data.object.pending_request.amount');
  const currency = text(authorization.currency, 'data.object.currency');
  const pendingCurrency = text(pendingRequest.currency, 'data.object.pending_request.currency');
  if (pendingCurrency !== currency) {
    // Both are documented as the card's currency; a request that says otherwise cannot be added up.
    throw new Error(`data.object.pending_request.currency: ${pendingCurrency} is not the authorization's currency ${currency}`);
  }
  const amountControllable = pendingRequest.is_amount_controllable;
  if (typeof amountControllable !== 'boolean') {
    throw new Error('data.object.pending_request.is_amount_controllable: expected true or false');
  }
  return {
    id: text(authorization.id, 'data.object.id'),
    amount,
    heldAmount: Math.max(minorUnits(authorization.amount, 'data.object.amount'), approvedHistoryTotal(authorization.request_history)),
    currency,
    amountControllable,
    merchantCategory: text(merchant.category, 'data.object.merchant_data.category'),
    merchantCountry: country ? country.toUpperCase() : null,
    account: typeof account === 'string' && account !== '' ? account : null,
    cardName: metadataValue(card.metadata, PULUMI_NAME_METADATA_KEY),
    cardStack: metadataValue(card.metadata, PULUMI_STACK_METADATA_KEY),
    cardholderName: isRecord(card.cardholder) ? metadataValue(card.cardholder.metadata, PULUMI_NAME_METADATA_KEY) : null,
    cardholderStack: isRecord(card.cardholder) ? metadataValue(card.cardholder.metadata, PULUMI_STACK_METADATA_KEY) : null,
  };
}

/** The sum of the approved `request_history` entries' `amount`s; throws on a malformed history. */
function approvedHistoryTotal(history: unknown): number {
  if (!Array.isArray(history)) throw new Error('data.object.request_history: expected a list');
  return history.reduce<number>((total, entry, index) => {
    const path = `data.object.request_history[${index}]`;
    const request = record(entry, path);
    if (typeof request.approved !== 'boolean') throw new Error(`${path}.approved: expected true or false`);
    return request.approved ? total + minorUnits(request.amount, `${path}.amount`) : total;
  }, 0);
}

function minorUnits(value: unknown, path: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new Error(`${path}: expected a whole number of minor currency units`);
  return value as number;
}

function metadataValue(metadata: unknown, key: string): string | null {
  const value = isRecord(metadata) ? metadata[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : null;
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${path}: expected an object`);
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${path}: expected a non-empty string`);
  return value;
}
