import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import stackSchema from '../../../config/stack.schema.json';
import { cardSpec } from '../../../provider/resources/card';
import { cardholderSpec } from '../../../provider/resources/cardholder';
import { financialAccountSpec } from '../../../provider/resources/financialAccount';
import { FEATURES } from '../../../provider/resources/financialAccountFeatures';
import { webhookEndpointSpec } from '../../../provider/resources/webhookEndpoint';
import {
  CARDHOLDER_NAME_MAX,
  MANAGED_METADATA_KEYS,
  METADATA_LIMITS,
  SPENDING_LIMIT_INTERVALS,
  USER_METADATA_KEYS,
} from '../../../provider/validation';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const definitions = stackSchema.definitions;

// The schema is what editors see; the provider is what Stripe gets. They must agree.
describe('stack schema agrees with the provider', () => {
  it('offers the financial account features the provider manages', () => {
    expect(definitions.financialAccount.properties.features.items.enum).to.deep.equal([...FEATURES]);
  });

  it('offers the spending limit intervals the provider accepts', () => {
    expect(definitions.spendingControls.properties.spendingLimits.items.properties.interval.enum).to.deep.equal([
      ...SPENDING_LIMIT_INTERVALS,
    ]);
  });

  it('limits cardholder names and metadata like the provider, leaving room for its own metadata keys', () => {
    expect(definitions.cardholder.properties.name.maxLength).to.equal(CARDHOLDER_NAME_MAX);
    expect(USER_METADATA_KEYS).to.equal(48);
    expect(definitions.metadata.allOf[0].maxProperties).to.equal(USER_METADATA_KEYS);
    expect(definitions.metadata.propertyNames.maxLength).to.equal(METADATA_LIMITS.keyLength);
    expect(definitions.metadata.additionalProperties.maxLength).to.equal(METADATA_LIMITS.valueLength);
    expect(definitions.metadata.propertyNames.not.enum).to.deep.equal([...MANAGED_METADATA_KEYS]);
  });

  it('takes adoptId with the ID prefix the provider checks, on every kind of object it creates', () => {
    const adoptable = {
      cardholder: cardholderSpec,
      card: cardSpec,
      financialAccount: financialAccountSpec,
      webhookEndpoint: webhookEndpointSpec,
    };
    for (const [name, spec] of Object.entries(adoptable)) {
      const adoptId = (definitions[name as keyof typeof adoptable].properties as Record<string, { pattern?: string; description?: string }>)
        .adoptId;
      expect(adoptId?.pattern, name).to.equal(`^${spec.idPrefix}[A-Za-z0-9]+$`);
      expect(adoptId?.description, name).to.match(/^ID of an existing .* to take over instead of creating one/);
    }
  });

  it('is published to editors: VS Code settings and every stack file point at it', () => {
    const settings = JSON.parse(fs.readFileSync(path.join(ROOT, '.vscode', 'settings.json'), 'utf8'));
    expect(settings['yaml.schemas']['./config/stack.schema.json']).to.deep.equal(['stacks/Pulumi.*.yaml']);
    for (const name of fs.readdirSync(path.join(ROOT, 'stacks')).filter((n) => /^Pulumi\..+\.yaml$/.test(n))) {
      const firstLine = fs.readFileSync(path.join(ROOT, 'stacks', name), 'utf8').split('\n', 1)[0];
      expect(firstLine, name).to.equal('# yaml-language-server: $schema=../config/stack.schema.json');
    }
  });
});
