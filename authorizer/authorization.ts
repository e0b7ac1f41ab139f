// The few fields of an `issuing.authorization` the decision needs, read from the event payload.
// Reading only these keeps card data (number, CVC, the full card object) out of everything downstream.
import { isRecord } from './rule-set';
import { PULUMI_NAME_METADATA_KEY, PULUMI_STACK_METADATA_KEY } from './types';

export interface AuthorizationRequest {
  id: string;
  /** `pending_request.amount`: what Stripe will hold if approved, in the card currency's minor units. */
  amount: number;
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
  const amount = pendingRequest.amount;
  if (!Number.isSafeInteger(amount) || (amount as number) < 0) {
    throw new Error('data.object.pending_request.amount: expected a whole number of minor currency units');
  }
  const amountControllable = pendingRequest.is_amount_controllable;
  if (typeof amountControllable !== 'boolean') {
    throw new Error('data.object.pending_request.is_amount_controllable: expected true or false');
  }
  return {
    id: text(authorization.id, 'data.object.id'),
    amount: amount as number,
    currency: text(pendingRequest.currency, 'data.object.pending_request.currency'),
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
