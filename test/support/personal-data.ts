import { expect } from 'chai';
import { ISSUING_CONFIG_KEY } from '../../config/paths';
import type { StateExport } from '../../testbed/workspace';

/**
 * Fails when any part of the exported state (every resource, the default provider's copy of the stack
 * config included) holds a date-of-birth part in plain text, as a number or a string, under its name.
 */
export function expectNoPlainPersonalData(state: StateExport, dob: { day: number; month: number; year: number }): void {
  const text = JSON.stringify(state);
  for (const [part, value] of Object.entries(dob)) {
    // Stack config arrives JSON-encoded inside a string, so quotes may be escaped.
    expect(text, `dob.${part} in plain text`).not.to.match(new RegExp(`\\\\?"${part}\\\\?":\\s*\\\\?"?${value}\\b`));
  }
  const providers = (state.deployment.resources ?? []).filter((r) => r.type.startsWith('pulumi:providers:'));
  expect(providers.length, 'the default provider is in the state').to.be.greaterThan(0);
  for (const provider of providers) {
    const issuing = (provider.inputs as Record<string, unknown> | undefined)?.[ISSUING_CONFIG_KEY];
    if (issuing !== undefined) expect(issuing, `${provider.urn}: ${ISSUING_CONFIG_KEY}`).to.have.property('ciphertext');
  }
}
