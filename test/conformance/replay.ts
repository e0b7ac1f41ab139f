// Replays requests the emulator accepted against Stripe's own stripe-mock (which validates every request
// against Stripe's OpenAPI spec) and fails on any request stripe-mock refuses: where the two disagree,
// the emulator is wrong. Reusable by any test that records requests with `emulator.requests()`.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import type { RecordedRequest } from '../../emulator';
import { overlayEntryUsedBy } from '../../emulator/spec/pinned-overlay';

export const STRIPE_MOCK_BINARY = path.resolve(__dirname, '../../.toolchain/bin/stripe-mock');

export interface ReplayRefusal {
  request: RecordedRequest;
  status: number;
  message: string;
}

/**
 * Accepted requests stripe-mock cannot judge: they use a rule of the pinned API its older spec lacks
 * (emulator/spec/pinned-overlay.ts), each with the overlay entry's source.
 */
export function skippedForPinnedApi(requests: RecordedRequest[]): { request: RecordedRequest; source: string }[] {
  return requests
    .filter((request) => request.status >= 200 && request.status < 300)
    .flatMap((request) => {
      const entry = overlayEntryUsedBy(request);
      return entry && !entry.stripeMockAccepts ? [{ request, source: entry.source }] : [];
    });
}

/**
 * Replays every request the emulator answered with 2xx (method, path, query, form body, Stripe-Account)
 * against a fresh stripe-mock process, except those that use the pinned-API overlay (listed on stderr).
 * Resolves with the number replayed; rejects naming each request stripe-mock refused.
 */
export async function replayAgainstStripeMock(
  requests: RecordedRequest[],
  binary = STRIPE_MOCK_BINARY,
  { skipPinnedApi = true } = {},
): Promise<number> {
  const skipped = new Set(
    (skipPinnedApi ? skippedForPinnedApi(requests) : []).map(({ request, source }) => {
      console.error(`stripe-mock replay skips ${request.method} ${request.path} (pinned API: ${source})`);
      return request;
    }),
  );
  const accepted = requests.filter((request) => request.status >= 200 && request.status < 300 && !skipped.has(request));
  const mock = await startStripeMock(binary);
  try {
    const refusals: ReplayRefusal[] = [];
    for (const request of accepted) {
      const answer = await send(mock.port, request);
      if (answer.status >= 400) refusals.push({ request, status: answer.status, message: errorMessage(answer.body) });
    }
    if (refusals.length > 0) throw new Error(describeRefusals(refusals, accepted.length));
    return accepted.length;
  } finally {
    await mock.stop();
  }
}

function describeRefusals(refusals: ReplayRefusal[], total: number): string {
  const lines = refusals.map(({ request, status, message }) => {
    const target = request.query ? `${request.path}?${request.query}` : request.path;
    const body = request.body ? `\n      body: ${request.body}` : '';
    return `  - ${request.method} ${target} → stripe-mock ${status}: ${message}${body}`;
  });
  return `stripe-mock refused ${refusals.length} of ${total} requests the emulator accepted (the emulator is wrong):\n${lines.join('\n')}`;
}

function errorMessage(body: string): string {
  try {
    return (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? body;
  } catch {
    return body;
  }
}

interface RunningMock {
  port: number;
  stop(): Promise<void>;
}

async function startStripeMock(binary: string): Promise<RunningMock> {
  if (!fs.existsSync(binary)) {
    throw new Error(`stripe-mock is not installed at ${binary}. Run \`npm run setup\` to build it from the Go module proxy.`);
  }
  const port = await freePort();
  const child = spawn(binary, ['-http-addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await Promise.race([waitForPort(port, 30_000), exited.then(() => false)]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`stripe-mock did not start on port ${port}: ${stderr.trim() || 'no output'}`);
  }
  return { port, stop: () => stop(child, exited) };
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function send(port: number, request: RecordedRequest): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { authorization: 'Bearer sk_test_conformance' };
  if (request.method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
  if (request.stripeAccount) headers['stripe-account'] = request.stripeAccount;
  if (request.stripeVersion) headers['stripe-version'] = request.stripeVersion;
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { host: '127.0.0.1', port, method: request.method, path: request.query ? `${request.path}?${request.query}` : request.path, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    outgoing.once('error', reject);
    outgoing.end(request.body);
  });
}
