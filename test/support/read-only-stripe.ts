/**
 * A restricted key with read permissions only, in front of the emulator: requests carrying the key
 * (`rk_test_…`) reach the emulator when they read (GET) and are refused otherwise, as Stripe refuses a
 * request its restricted key has no permission for (docs.stripe.com/keys/restricted-api-keys: "an invalid
 * request error"; the HTTP status is not stated there: 403, which stripe-node maps to
 * StripePermissionError, is assumed). Every request is recorded, so a test can show what a preview or a
 * refresh asked of Stripe. The emulator itself accepts only secret test keys (`sk_test_`): a forwarded
 * read carries one.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const READ_ONLY_KEY = 'rk_test_read_only_pipeline_key';
const FORWARDED_KEY = 'sk_test_read_only_proxy';

export class ReadOnlyStripe {
  /** `METHOD /path` of every request, refused or not. */
  readonly requests: string[] = [];
  readonly refused: string[] = [];
  private server?: http.Server;
  url = '';

  constructor(private readonly emulatorUrl: string) {}

  async start(): Promise<void> {
    const target = new URL(this.emulatorUrl);
    this.server = http.createServer((req, res) => {
      const line = `${req.method} ${new URL(req.url ?? '/', 'http://localhost').pathname}`;
      this.requests.push(line);
      if (req.headers.authorization !== `Bearer ${READ_ONLY_KEY}` || req.method !== 'GET') {
        this.refused.push(line);
        req.resume();
        res.writeHead(req.headers.authorization === `Bearer ${READ_ONLY_KEY}` ? 403 : 401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              type: 'invalid_request_error',
              message: `The provided key '${READ_ONLY_KEY.slice(0, 12)}…' does not have the required permissions for this endpoint (read only).`,
            },
          }),
        );
        return;
      }
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host, authorization: `Bearer ${FORWARDED_KEY}` },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
