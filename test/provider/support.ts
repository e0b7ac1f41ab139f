// Drives provider objects the way the engine does (check → diff/create/read/update/delete) against
// an in-process emulator, with the real stripe client over HTTP.
import type * as pulumi from '@pulumi/pulumi';
import { expect } from 'chai';
import Stripe from 'stripe';
import { type Emulator, startEmulator } from '../../emulator';
import { forgetOwnedLists } from '../../provider/engine/crash-safe-create';
import { accountCapabilityProvider } from '../../provider/resources/accountCapability';
import { cardholderProvider } from '../../provider/resources/cardholder';
import { financialAccountProvider } from '../../provider/resources/financialAccount';
import { financialAccountFeaturesProvider } from '../../provider/resources/financialAccountFeatures';
import { CONFIG_KEYS, configureFromStack } from '../../provider/settings';
import { replayAgainstStripeMock } from '../conformance/replay';

export const API_KEY = 'sk_test_providerSuite';
export type Props = Record<string, any>;
type Provider = pulumi.dynamic.ResourceProvider;

/**
 * A typed provider (`makeProvider` returns `ResourceProvider<Inputs, Outputs>`) as the engine calls it:
 * with whatever properties a test hands it, checked or not.
 */
export const engine = <I, O>(provider: pulumi.dynamic.ResourceProvider<I, O>): Provider => provider;

// `configureFromStack` keeps the stack config on globalThis under this name (provider/settings.ts says
// why). The engine runs one provider process per stack, but a mocha process configures a provider per
// emulator: each startStripe remembers what it found and its stopStripe puts that back, so test files
// that run later and call resolveSettings() never get a closed emulator's URL or this suite's key.
const SETTINGS_SLOT = '__stripeIssuingProviderConfig';
type SettingsSlot = { [SETTINGS_SLOT]?: unknown };
const settings = globalThis as SettingsSlot;
const settingsBefore = new WeakMap<Emulator, { had: boolean; value: unknown }>();

export async function startStripe(options: Parameters<typeof startEmulator>[0] = {}): Promise<{ emulator: Emulator; stripe: Stripe }> {
  // Provider suites start from accounts whose Issuing and Treasury terms are accepted (test/e2e covers onboarding).
  const emulator = await startEmulator({ seedTosAccepted: true, ...options });
  settingsBefore.set(emulator, { had: SETTINGS_SLOT in settings, value: settings[SETTINGS_SLOT] });
  // Stack config, as the engine hands it to `configure` in the provider process.
  const config: Record<string, string> = { [CONFIG_KEYS.apiKey]: API_KEY, [CONFIG_KEYS.apiBase]: emulator.url };
  await configureFromStack({ config: { get: (key: string) => config[key], require: (key: string) => config[key] } });
  // Fails here, loudly, if provider/settings.ts ever keeps its values elsewhere: the restore would miss them.
  expect(settings[SETTINGS_SLOT], `provider settings on globalThis.${SETTINGS_SLOT}`).to.deep.equal({
    apiKey: API_KEY,
    apiBase: emulator.url,
  });
  const stripe = new Stripe(API_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
  return { emulator, stripe };
}

/** Stops the emulator and puts back the provider settings that were there when it was started. */
export async function stopStripe(emulator: Emulator): Promise<void> {
  const before = settingsBefore.get(emulator);
  settingsBefore.delete(emulator);
  if (before?.had) settings[SETTINGS_SLOT] = before.value;
  else if (before) delete settings[SETTINGS_SLOT];
  await emulator.close();
}

/** Every request the provider sent that the emulator accepted must also pass Stripe's stripe-mock. */
export async function expectAcceptedByStripeMock(emulator: Emulator): Promise<void> {
  const replayed = await replayAgainstStripeMock(emulator.requests());
  expect(replayed, 'requests replayed').to.be.greaterThan(0);
}

/** The engine's `check` (`olds`: the inputs of the last deployment): the test fails on any validation failure. */
export async function checked(provider: Provider, args: Props, olds: Props = {}): Promise<Props> {
  const result = await provider.check!(olds, args);
  expect(result.failures ?? [], 'check failures').to.deep.equal([]);
  return result.inputs as Props;
}

export interface Managed {
  id: string;
  inputs: Props;
  outs: Props;
}

/**
 * The engine's create in a provider process of its own (a new `pulumi up`): the process-wide lists of
 * objects earlier runs may have left behind (engine/crash-safe-create.ts, ownedList) start empty, as they would.
 */
export async function create(provider: Provider, args: Props): Promise<Managed> {
  forgetOwnedLists();
  const inputs = await checked(provider, args);
  const { id, outs } = await provider.create(inputs);
  return { id, inputs, outs: outs as Props };
}

/** Refresh: read, then the next plan compares the program's args against what read returned. */
export async function refresh(provider: Provider, state: Managed): Promise<Managed | undefined> {
  const result = await provider.read!(state.id, state.outs);
  if (!result.id) return undefined;
  return { id: result.id, inputs: result.inputs as Props, outs: result.props as Props };
}

export async function plan(provider: Provider, state: Managed, args: Props) {
  return provider.diff!(state.id, state.outs, await checked(provider, args, state.inputs));
}

export async function update(provider: Provider, state: Managed, args: Props): Promise<Managed> {
  const inputs = await checked(provider, args, state.inputs);
  const { outs } = await provider.update!(state.id, state.outs, inputs);
  return { id: state.id, inputs, outs: outs as Props };
}

/** The message `run` fails with, or '' when it succeeds (so a test can assert on either). */
export async function failureOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

export const hidden = (name: string) => ({ pulumiStack: 'provider-test', pulumiName: name });
export const ADDRESS = { line1: '1 Main St', city: 'San Francisco', state: 'CA', postalCode: '94111', country: 'US' };
/** `ADDRESS` as Stripe's API spells it, for objects a test makes with the stripe client directly. */
export const STRIPE_ADDRESS = {
  line1: ADDRESS.line1,
  city: ADDRESS.city,
  state: ADDRESS.state,
  postal_code: ADDRESS.postalCode,
  country: ADDRESS.country,
};

/** Requests transfers, treasury and card_issuing on `account` through the capability provider. */
export async function requestIssuingCapabilities(account: string): Promise<void> {
  for (const capability of ['transfers', 'treasury', 'card_issuing']) {
    await create(accountCapabilityProvider, { ...hidden(capability), account, capability });
  }
}

/** An individual cardholder whose names allow active cards, made through the cardholder provider. */
export async function namedCardholder(account: string): Promise<string> {
  return (
    await create(cardholderProvider, {
      ...hidden('holder'),
      account,
      name: 'Jenny Rosen',
      billing: { address: ADDRESS },
      individual: { firstName: 'Jenny', lastName: 'Rosen' },
    })
  ).id;
}

/** An account ready to issue cards through the providers: capabilities, a financial account with card_issuing, a cardholder. */
export async function issuingAccount(account: string): Promise<{ financialAccountId: string; cardholderId: string }> {
  await requestIssuingCapabilities(account);
  const financialAccountId = (await create(financialAccountProvider, { ...hidden('fa'), account, supportedCurrencies: ['usd'] })).id;
  await create(financialAccountFeaturesProvider, {
    ...hidden('features'),
    account,
    financialAccount: financialAccountId,
    features: ['card_issuing'],
  });
  return { financialAccountId, cardholderId: await namedCardholder(account) };
}
