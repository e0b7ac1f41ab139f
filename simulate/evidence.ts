// The evidence a simulated dispute is submitted with. Stripe's submit "validates that all evidence fields
// required for the dispute's reason are present" (stripe 23.1.0 `Issuing.DisputeResource.submit`); which
// fields those are is Stripe's "Dispute reasons and evidence" table, not the types. So each reason's
// section carries every field `Issuing.DisputeCreateParams.Evidence` has for it except file uploads
// (`additional_documentation`, `card_statement`, `cash_receipt`, `check_image`): whatever the table
// requires, the submission has it.
import type Stripe from 'stripe';

type Evidence = Stripe.Issuing.DisputeCreateParams.Evidence;

/** The reasons `Issuing.DisputeCreateParams.Evidence.reason` lists. */
export const DISPUTE_REASONS = [
  'canceled',
  'duplicate',
  'fraudulent',
  'merchandise_not_as_described',
  'no_valid_authorization',
  'not_received',
  'other',
  'service_not_as_described',
] as const satisfies readonly Stripe.Issuing.DisputeCreateParams.Evidence.Reason[];
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

export interface DisputedPurchase {
  /** When the disputed capture happened (Unix seconds): the dates below are a few days after it. */
  capturedAt: number;
  /** `duplicate`: the capture the disputed one copies (`original_transaction`, an `ipi_…`). */
  originalTransaction?: string;
}

const DAY = 86_400;

/** Complete evidence for `reason`, with the simulation's own wording. */
export function completeEvidence(reason: DisputeReason, purchase: DisputedPurchase): Evidence {
  const explanation = `Simulation: a ${reason.replace(/_/g, ' ')} dispute on a test-mode purchase.`;
  const product = { product_description: 'Simulated purchase', product_type: 'merchandise' as const };
  const expectedAt = purchase.capturedAt + 2 * DAY;
  const receivedAt = purchase.capturedAt + 3 * DAY;
  const returnedAt = purchase.capturedAt + 4 * DAY;
  const sections: { [R in DisputeReason]: NonNullable<Evidence[R]> } = {
    canceled: {
      explanation,
      ...product,
      canceled_at: purchase.capturedAt + DAY,
      cancellation_policy_provided: true,
      cancellation_reason: 'Canceled before delivery',
      expected_at: expectedAt,
      return_status: 'successful',
      returned_at: returnedAt,
    },
    duplicate: { explanation, ...(purchase.originalTransaction ? { original_transaction: purchase.originalTransaction } : {}) },
    fraudulent: { explanation },
    merchandise_not_as_described: {
      explanation,
      received_at: receivedAt,
      return_description: 'Returned by post',
      return_status: 'merchant_rejected',
      returned_at: returnedAt,
    },
    no_valid_authorization: { explanation },
    not_received: { explanation, ...product, expected_at: expectedAt },
    other: { explanation, ...product },
    service_not_as_described: {
      explanation,
      canceled_at: receivedAt + DAY,
      cancellation_reason: 'Service not as described',
      received_at: receivedAt,
    },
  };
  return { reason, [reason]: sections[reason] };
}
