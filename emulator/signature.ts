import { createHmac } from 'node:crypto';

/** The `Stripe-Signature` header value Stripe sends: `t=<unix>,v1=<HMAC-SHA256(secret, "t.payload")>`. */
export function stripeSignature(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}
