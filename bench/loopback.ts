/**
 * The bound for anything served over loopback HTTP: a bare Node `http` server that reads the request
 * and answers a fixed body. What a real server costs beyond it is its own work.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CannedServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Answers every request with `body(request)` as JSON, after reading the whole request body. */
export async function startCannedServer(body: (request: http.IncomingMessage) => string): Promise<CannedServer> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const answer = body(request);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One POST over a keep-alive connection; resolves with the status once the whole answer has arrived. */
export function post(url: string, body: string, headers: Record<string, string>, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
