// Hostile requests: the emulator answers each with a Stripe error and keeps serving; nothing a client
// sends reaches Object.prototype or grows memory without bound.

import * as http from 'node:http';
import { expect } from 'chai';
import { startEmulator } from '../../emulator';
import { MAX_BODY_BYTES } from '../../emulator/server';
import { useEmulator } from './harness';

interface RawAnswer {
  status: number;
  body: string;
}

function raw(port: number, method: string, path: string, headers: Record<string, string>, body = ''): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const AUTH = { authorization: 'Bearer sk_test_hardening' };
const FORM = { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' };

describe('emulator: hostile requests', () => {
  const h = useEmulator();
  const stillServing = async () => expect((await raw(h.emulator.port, 'GET', '/v1/accounts', AUTH)).status).to.equal(200);

  afterEach(() => {
    // A polluted prototype would leak into every other test of the run: fail here and clean up.
    const polluted = Object.keys(Object.prototype);
    for (const key of polluted) delete (Object.prototype as Record<string, unknown>)[key];
    expect(polluted, 'keys written to Object.prototype').to.deep.equal([]);
  });

  it('keeps `__proto__[x]=y` in a form body as data: an unknown parameter, no prototype written', async () => {
    const answer = await raw(h.emulator.port, 'POST', '/v1/issuing/cardholders', FORM, '__proto__[polluted]=yes&name=Jenny');
    expect(answer.status).to.equal(400);
    expect(JSON.parse(answer.body).error).to.include({ code: 'parameter_unknown', param: '__proto__' });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    const query = await raw(h.emulator.port, 'GET', '/v1/issuing/cards?constructor[prototype][polluted]=yes', AUTH);
    expect(query.status).to.equal(400);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('keeps `metadata[__proto__]` an ordinary metadata key', async () => {
    const answer = await raw(
      h.emulator.port,
      'POST',
      '/v1/webhook_endpoints',
      FORM,
      'url=https%3A%2F%2Fexample.com%2Fhook&enabled_events[0]=*&metadata[__proto__]=kept',
    );
    expect(answer.status).to.equal(200);
    const { metadata } = JSON.parse(answer.body);
    expect(Object.keys(metadata)).to.deep.equal(['__proto__']);
    expect(Object.getPrototypeOf(metadata)).to.equal(Object.prototype);
  });

  it('decodes nothing from a request that is not authenticated', async () => {
    const answer = await raw(
      h.emulator.port,
      'POST',
      '/v1/issuing/cardholders',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'name=Jenny&type=individual',
    );
    expect(answer.status).to.equal(401);
    const recorded = h.emulator.requests().at(-1)!;
    expect([recorded.status, recorded.params]).to.deep.equal([401, {}]);
  });

  it('answers a malformed request target (`GET //[`, bad percent-encoding) with 404 and keeps serving', async () => {
    for (const path of ['//[', '/v1/issuing/cards/%E0%A4%A']) {
      const answer = await raw(h.emulator.port, 'GET', path, AUTH);
      expect(answer.status, path).to.equal(404);
      expect(JSON.parse(answer.body).error.message).to.include('Unrecognized request URL');
    }
    await stillServing();
  });

  it('refuses a body over the limit with 413 before reading it whole, and keeps serving', async () => {
    const answer = await raw(h.emulator.port, 'POST', '/v1/issuing/cardholders', FORM, `name=${'x'.repeat(MAX_BODY_BYTES + 1)}`).catch(
      (error: NodeJS.ErrnoException) => ({ status: -1, body: error.code ?? '' }),
    );
    // The emulator answers 413 then drops the connection; the client may see either first.
    expect([413, -1]).to.include(answer.status);
    if (answer.status === 413) expect(JSON.parse(answer.body).error.message).to.include(`${MAX_BODY_BYTES} bytes`);
    await stillServing();
  });

  it('treats `Stripe-Account: __proto__` (or `constructor`) as an unknown account, not an internal error', async () => {
    for (const account of ['__proto__', 'constructor', 'hasOwnProperty']) {
      const answer = await raw(h.emulator.port, 'GET', '/v1/issuing/cards', { ...AUTH, 'stripe-account': account });
      expect([answer.status, JSON.parse(answer.body).error.code], account).to.deep.equal([403, 'account_invalid']);
      const path = await raw(h.emulator.port, 'GET', `/v1/accounts/${account}`, AUTH);
      expect([path.status, JSON.parse(path.body).error.code], account).to.deep.equal([404, 'resource_missing']);
    }
  });
});

describe('emulator: bounded request log', () => {
  it('keeps the newest `requestLogLimit` requests', async () => {
    const emulator = await startEmulator({ requestLogLimit: 3 });
    try {
      for (let i = 0; i < 5; i++) await raw(emulator.port, 'GET', `/v1/accounts?limit=${i + 1}`, AUTH);
      expect(emulator.requests().map((r) => r.query)).to.deep.equal(['limit=3', 'limit=4', 'limit=5']);
    } finally {
      await emulator.close();
    }
  });
});
