// Rule 7: loopback only, seeded accounts, persistence between runs, and the command-line entry point.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { startEmulator } from '../../emulator';
import { activeCardholder, clientFor } from '../../testbed/stripe-objects';
import { stripeError } from './harness';

describe('emulator: lifecycle', () => {
  it('refuses to listen on a non-loopback address', async () => {
    for (const host of ['0.0.0.0', '192.168.1.10', '::']) {
      const error = await startEmulator({ host }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).to.equal(
        `Refusing to listen on '${host}': the Stripe emulator binds only to loopback addresses (127.0.0.1, ::1 or localhost).`,
      );
    }
  });

  it('starts with seeded connected accounts that are ready for Issuing requests', async () => {
    const emulator = await startEmulator({ seedAccounts: ['acct_1DemoOperations'], seedTosAccepted: true });
    try {
      const stripe = clientFor(emulator);
      await stripe.accounts.updateCapability('acct_1DemoOperations', 'transfers', { requested: true });
      const treasury = await stripe.accounts.updateCapability('acct_1DemoOperations', 'treasury', { requested: true });
      expect(treasury.status).to.equal('active');
      expect((await stripe.accounts.create({ type: 'custom' })).id).to.match(/^acct_/);
    } finally {
      await emulator.close();
    }
  });

  it('persists state to a file and loads it on the next start', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-')), 'state.json');
    const first = await startEmulator({ persistPath: file, seedAccounts: ['acct_1Persisted'] });
    const cardholder = await activeCardholder(clientFor(first), 'acct_1Persisted');
    await first.close();
    const second = await startEmulator({ persistPath: file });
    try {
      const stripe = clientFor(second);
      expect((await stripe.issuing.cardholders.retrieve(cardholder.id, {}, { stripeAccount: 'acct_1Persisted' })).name).to.equal(
        'Jenny Rosen',
      );
      expect(second.platformAccountId).to.equal(first.platformAccountId);
    } finally {
      await second.close();
    }
    // A file written before received debits existed still loads, and gains the collection.
    const older = JSON.parse(fs.readFileSync(file, 'utf8')) as { scopes: Record<string, Record<string, unknown>> };
    for (const scope of Object.values(older.scopes)) delete scope.receivedDebits;
    fs.writeFileSync(file, JSON.stringify(older));
    const third = await startEmulator({ persistPath: file });
    try {
      const list = await clientFor(third).treasury.receivedDebits.list(
        { financial_account: 'fa_none' },
        { stripeAccount: 'acct_1Persisted' },
      );
      expect(list.data).to.deep.equal([]);
    } finally {
      await third.close();
    }
    fs.writeFileSync(file, '{"not":"state"}');
    const error = await startEmulator({ persistPath: file }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/is not valid emulator state/);
  });

  it('runs from the command line, prints its URL on a line of its own and stops on SIGTERM', async () => {
    const cli = path.resolve(__dirname, '../../emulator/cli.ts');
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', cli, '--port', '0', '--seed-account', 'acct_1FromCli', '--quiet'],
      {
        cwd: path.resolve(__dirname, '../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          const line = out.split('\n').find((l) => l.startsWith('http://'));
          if (line) resolve(line.trim());
        });
        child.once('exit', () => reject(new Error(`the CLI exited before printing its URL: ${out}`)));
      });
      expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const stripe = clientFor({ port: Number(new URL(url).port) } as never);
      expect((await stripe.accounts.retrieve('acct_1FromCli')).id).to.equal('acct_1FromCli');
      expect((await stripeError(clientFor({ port: Number(new URL(url).port) } as never, 'rk_live_x').accounts.list())).statusCode).to.equal(
        401,
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).to.equal(0);
  });
});
