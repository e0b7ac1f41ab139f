// Local adapter: the shared handler behind a loopback HTTP server, so the emulator's synchronous
// `issuing_authorization.request` deliveries are decided offline by the stack's rules.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthorizerLogEntry, type AuthorizerOptions, handleRequest, replayRetentionMs } from './handler';
import { RecentEventIds } from './replay';
import type { RuleSet } from './types';

/** Stripe's authorization payloads are a few kilobytes; anything this large is not one. */
export const MAX_BODY_BYTES = 1024 * 1024;
const LOOPBACK = '127.0.0.1';

export interface LocalAuthorizerOptions {
  port: number;
  secret: string;
  rules: RuleSet;
  stripeVersion: string;
  toleranceSeconds?: number;
  log?: (entry: AuthorizerLogEntry) => void;
}

export interface LocalAuthorizer {
  url: string;
  close(): Promise<void>;
}

export async function startLocalAuthorizer(options: LocalAuthorizerOptions): Promise<LocalAuthorizer> {
  const log = options.log ?? ((entry: AuthorizerLogEntry) => console.log(JSON.stringify(entry)));
  const handlerOptions: AuthorizerOptions = {
    secret: options.secret,
    rules: options.rules,
    stripeVersion: options.stripeVersion,
    toleranceSeconds: options.toleranceSeconds,
    recentEvents: new RecentEventIds(replayRetentionMs(options.toleranceSeconds)),
  };
  const server = http.createServer((request, response) => {
    const answer = (status: number, headers: Record<string, string>, body: string) => {
      response.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) }).end(body);
    };
    const refuse = (status: number, error: string) => {
      log({ event: 'request_rejected', status, error, elapsedMs: 0 });
      answer(status, { 'Content-Type': 'application/json', Connection: 'close' }, JSON.stringify({ error }));
    };
    if (request.method !== 'POST') return refuse(405, `method ${request.method} not allowed: send POST`);
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      // Stop reading, answer once, then drop the connection rather than drain a hostile body.
      request.pause();
      response.once('finish', () => request.destroy());
      refuse(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      const {
        log: entry,
        status,
        headers,
        body,
      } = handleRequest({ body: Buffer.concat(chunks), headers: request.headers }, handlerOptions);
      log(entry);
      answer(status, headers, body);
    });
    request.on('error', () => request.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${LOOPBACK}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
