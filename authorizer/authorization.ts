// The few fields of an `issuing.authorization` the decision needs, read from the event payload.
// Reading only these keeps card data (number, CVC, the full card object) out of everything downstream.
import { isRecord, PULUMI_NAME_METADATA_KEY } from './rules';

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
  /** `pulumi_name` metadata of the card and of its cardholder; null when absent. */
  cardName: string | null;
  cardholderName: string | null;
}

/** Reads an authorization from `event.data.object`; throws naming the first missing or malformed field. */
export function readAuthorizationRequest(object: unknown): AuthorizationRequest {
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
    cardName: pulumiName(card.metadata),
    cardholderName: isRecord(card.cardholder) ? pulumiName(card.cardholder.metadata) : null,
  };
}

function pulumiName(metadata: unknown): string | null {
  const name = isRecord(metadata) ? metadata[PULUMI_NAME_METADATA_KEY] : undefined;
  return typeof name === 'string' && name !== '' ? name : null;
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${path}: expected an object`);
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${path}: expected a non-empty string`);
  return value;
}
