/** policy/state.ts: the checkpoint as `pulumi stack export --show-secrets` prints it, and the stack's name. */
import { expect } from 'chai';
import { recordedResources, stackUnderAnalysis } from '../../../policy/state';

const SIG = '4dabf18193072939515e22adb298388d';
const token = (type: string) => `pulumi-nodejs:dynamic/stripe-issuing:${type}`;

describe('policy/state.ts: the stack checkpoint the replacement rules compare with', () => {
  it("keeps the project's resources with secrets opened, drops others and those pending deletion", () => {
    const exported = {
      version: 3,
      deployment: {
        resources: [
          { urn: 'urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev', type: 'pulumi:pulumi:Stack' },
          {
            urn: `urn:pulumi:dev::p::${token('Cardholder')}::acme-jane`,
            type: token('Cardholder'),
            inputs: { name: { [SIG]: '1b47061264138c4ac30d75fd1eb44270', plaintext: '"Jane Rivera"' }, type: 'individual' },
            outputs: { status: 'active' },
            retainOnDelete: true,
          },
          { urn: `urn:pulumi:dev::p::${token('Card')}::old`, type: token('Card'), inputs: {}, outputs: {}, delete: true },
        ],
      },
    };
    expect(recordedResources(exported)).to.deep.equal([
      {
        urn: `urn:pulumi:dev::p::${token('Cardholder')}::acme-jane`,
        type: 'Cardholder',
        name: 'acme-jane',
        inputs: { name: 'Jane Rivera', type: 'individual' },
        outputs: { status: 'active' },
        retainOnDelete: true,
      },
    ]);
    expect(recordedResources({ version: 3, deployment: {} })).to.deep.equal([]);
  });

  it('names the stack as the host configured the pack: organization/project/stack', () => {
    expect(
      stackUnderAnalysis({
        PULUMI_NODEJS_ORGANIZATION: 'organization',
        PULUMI_NODEJS_PROJECT: 'stripe-issuing',
        PULUMI_NODEJS_STACK: 'dev',
      }),
    ).to.equal('organization/stripe-issuing/dev');
    expect(stackUnderAnalysis({})).to.equal(undefined);
  });
});
