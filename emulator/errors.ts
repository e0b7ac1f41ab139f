// Stripe's error envelope: {error: {type, code, message, param, doc_url}} with the HTTP status Stripe uses.
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorFields {
  code?: string;
  param?: string;
  declineCode?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly fields: StripeErrorFields = {},
  ) {
    super(message);
  }

  envelope(requestId: string): { error: Record<string, string> } {
    const error: Record<string, string> = { type: this.type, message: this.message };
    if (this.fields.code) {
      error.code = this.fields.code;
      error.doc_url = `https://stripe.com/docs/error-codes/${this.fields.code.replace(/_/g, '-')}`;
    }
    if (this.fields.param) error.param = this.fields.param;
    if (this.fields.declineCode) error.decline_code = this.fields.declineCode;
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return { error };
  }
}

export function invalidRequest(message: string, fields: StripeErrorFields = {}, status = 400): StripeApiError {
  return new StripeApiError(status, 'invalid_request_error', message, fields);
}

/** 404 `resource_missing`, worded like Stripe: "No such issuing card: 'ic_123'". */
export function resourceMissing(noun: string, id: string, param = 'id'): StripeApiError {
  return invalidRequest(`No such ${noun}: '${id}'`, { code: 'resource_missing', param }, 404);
}

export function parameterUnknown(param: string, hint = ''): StripeApiError {
  return invalidRequest(`Received unknown parameter: ${param}${hint}`, { code: 'parameter_unknown', param });
}

export function parameterMissing(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}
