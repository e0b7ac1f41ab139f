/**
 * policy/secrets.ts against the pinned @pulumi/policy itself: the library's deserializer and its
 * unknown-checking proxy, called as its server calls them for a validation. Fails when an upgrade of the
 * library moves either internal the pack relies on (then the personal-data rule would see no secret).
 */
import { expect } from 'chai';
import { UNKNOWN } from '../../../policy/resources';
import { rawInputs, secretPaths, secretPathsIn, trackSecrets } from '../../../policy/secrets';

const { Struct } = require('google-protobuf/google/protobuf/struct_pb') as {
  Struct: { fromJavaScript(value: object): { toJavaScript(): unknown } };
};
const deserializer = require('@pulumi/policy/deserialize') as {
  deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown>;
};
const { unknownCheckingProxy } = require('@pulumi/policy/proxy') as { unknownCheckingProxy(props: object): Record<string, unknown> };

const secret = (value: unknown) => ({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value });
const WIRE = {
  name: 'Jane Rivera',
  email: secret('jane@acme.example'),
  billing: secret({ address: { line1: '510 Townsend St' } }),
  individual: { dob: { day: secret(1), month: 2 } },
  cardholder: UNKNOWN,
};

describe('policy/secrets.ts: which inputs arrived as Pulumi secrets', () => {
  it('lists the secret paths of a wire-format property map', () => {
    expect(secretPathsIn(WIRE)).to.deep.equal(['email', 'billing', 'individual.dob.day']);
  });

  it('remembers them for the props a validation gets from the library, whose values stay plain', () => {
    trackSecrets();
    const props = unknownCheckingProxy(deserializer.deserializeProperties(Struct.fromJavaScript(WIRE), false));
    expect(props.email).to.equal('jane@acme.example');
    expect([...(secretPaths(props) ?? [])]).to.have.members(['email', 'billing', 'individual.dob.day']);
    // The proxy throws on an unknown value; the raw inputs keep Pulumi's marker for the rules.
    expect(() => props.cardholder).to.throw(/can't be known during preview/);
    expect(rawInputs(props).cardholder).to.equal(UNKNOWN);
  });
});
