import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import Stripe from 'stripe';
import type { AuthorizerLogEntry } from '../../../authorizer/handler';
import { type LocalAuthorizer, MAX_BODY_BYTES, startLocalAuthorizer } from '../../../authorizer/local';
import { authorizationEvent, CARD_NUMBER, fixtureRules, SECRET, signedRequest } from '../../../testbed/authorization-events';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function post(url: string, body: string | Buffer, headers: Record<string, string> = {}, method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers: { 'content-length': Buffer.byteLength(body), ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

describe('authorizer local HTTP adapter', () => {
  let authorizer: LocalAuthorizer;
  const logged: AuthorizerLogEntry[] = [];

  before(async () => {
    authorizer = await startLocalAuthorizer({
      port: 0,
      secret: SECRET,
      rules: fixtureRules({ cards: { 'travel-card': { blockedCategories: ['bars_taverns'] } } }),
      stripeVersion: Stripe.API_VERSION,
      log: (entry) => logged.push(entry),
    });
  });
  after(() => authorizer.close());

  it('binds loopback only', () => {
    expect(authorizer.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('answers a signed request over HTTP with 200, Stripe-Version and the decision', async () => {
    const approved = signedRequest(JSON.stringify(authorizationEvent({ cardName: 'travel-card' })));
    const reply = await post(authorizer.url, approved.body, approved.headers);
    expect(reply.status).to.equal(200);
    expect(reply.headers['stripe-version']).to.equal(Stripe.API_VERSION);
    expect(reply.headers['content-type']).to.equal('application/json');
    expect(JSON.parse(reply.body)).to.deep.equal({ approved: true });

    const declined = signedRequest(JSON.stringify(authorizationEvent({ cardName: 'travel-card', category: 'bars_taverns' })));
    expect(JSON.parse((await post(`${authorizer.url}webhook`, declined.body, declined.headers)).body)).to.deep.equal({ approved: false });
  });

  it('logs one line per request, without card data', async () => {
    logged.length = 0;
    const request = signedRequest(JSON.stringify(authorizationEvent({ authorizationId: 'iauth_local', cardName: 'travel-card' })));
    await post(authorizer.url, request.body, request.headers);
    expect(logged).to.have.length(1);
    expect(logged[0]).to.include({ event: 'authorization_decided', authorization: 'iauth_local', approved: true });
    expect(JSON.stringify(logged)).not.to.contain(CARD_NUMBER);
  });

  it('answers a forged request with a clear 400 and keeps serving', async () => {
    const forged = signedRequest(JSON.stringify(authorizationEvent()), { secret: 'whsec_forged' });
    const reply = await post(authorizer.url, forged.body, forged.headers);
    expect(reply.status).to.equal(400);
    expect(JSON.parse(reply.body).error).to.match(/^Stripe-Signature rejected/);
    const valid = signedRequest(JSON.stringify(authorizationEvent()));
    expect((await post(authorizer.url, valid.body, valid.headers)).status).to.equal(200);
  });

  it('refuses other methods with 405 and oversized bodies with 413, and keeps serving', async () => {
    expect((await post(authorizer.url, '', {}, 'GET')).status).to.equal(405);
    const huge = await post(authorizer.url, Buffer.alloc(MAX_BODY_BYTES + 1, 'a'), { 'stripe-signature': 't=1,v1=00' });
    expect(huge.status).to.equal(413);
    expect(JSON.parse(huge.body).error).to.equal(`body larger than ${MAX_BODY_BYTES} bytes`);
    const valid = signedRequest(JSON.stringify(authorizationEvent()));
    expect((await post(authorizer.url, valid.body, valid.headers)).status).to.equal(200);
  });

  it('measures the answer time against a bare loopback HTTP round trip measured in the same run', async function () {
    this.timeout(60_000);
    const rounds = 200;
    const bare = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
    const payloads = Array.from({ length: rounds }, () => signedRequest(JSON.stringify(authorizationEvent({ cardName: 'travel-card' }))));
    const timeOne = async (url: string, { body, headers }: { body: string; headers: Record<string, string> }) => {
      const started = performance.now();
      const reply = await post(url, body, headers);
      expect(reply.status).to.equal(200);
      return performance.now() - started;
    };
    // Warm both servers up, then interleave them so both see the same machine load.
    for (const payload of payloads.slice(0, 20)) {
      await timeOne(bareUrl, payload);
      await timeOne(authorizer.url, { ...signedRequest(JSON.stringify(authorizationEvent())) });
    }
    logged.length = 0;
    const floor: number[] = [];
    const handler: number[] = [];
    for (const payload of payloads) {
      floor.push(await timeOne(bareUrl, payload));
      handler.push(await timeOne(authorizer.url, payload));
    }
    bare.close();
    const [floorP50, handlerP50, handlerP99] = [percentile(floor, 0.5), percentile(handler, 0.5), percentile(handler, 0.99)];
    console.log(
      `      answer time over ${rounds} requests: p50 ${handlerP50.toFixed(2)} ms, p99 ${handlerP99.toFixed(2)} ms; ` +
        `bare loopback round trip p50 ${floorP50.toFixed(2)} ms -> ratio ${(handlerP50 / floorP50).toFixed(2)}x; ` +
        `p99 is ${((handlerP99 / 2000) * 100).toFixed(3)}% of Stripe's 2 s budget`,
    );
    expect(logged.filter((entry) => entry.event === 'authorization_decided')).to.have.length(rounds);
  });
});
