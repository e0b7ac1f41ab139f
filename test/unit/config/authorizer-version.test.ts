import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { checkStackText } from '../../../config/validate';
import { minimalIssuing } from '../../support/issuing-config';

const FILE = 'stacks/Pulumi.staging.yaml';

function lambdaStack(authorizer: Record<string, unknown>): string {
  return yaml.dump({
    config: {
      'stripe-issuing:mode': 'test',
      'stripe-issuing:issuing': { ...minimalIssuing(), authorizer: { enabled: true, target: 'aws-lambda', ...authorizer } },
    },
  });
}

describe("stack file: the Lambda authorizer's endpoint version is pinned", () => {
  it('requires authorizer.apiVersion with target aws-lambda, saying why', () => {
    expect(checkStackText(FILE, lambdaStack({}))).to.deep.equal([
      `${FILE}: issuing.authorizer.apiVersion: is required with target aws-lambda: pin the webhook endpoint's Stripe API version ` +
        '(e.g. 2026-10-28.endive); changing it later replaces the endpoint and its signing secret',
    ]);
    expect(checkStackText(FILE, lambdaStack({ apiVersion: '2026-10-28.endive', reservedConcurrency: 20 }))).to.deep.equal([]);
  });

  it('checks the shape of apiVersion and reservedConcurrency', () => {
    const problems = checkStackText(FILE, lambdaStack({ apiVersion: 'latest', reservedConcurrency: 0 }));
    expect(problems.join('\n'))
      .to.contain('issuing.authorizer.apiVersion: must be a Stripe API version such as 2026-10-28.endive')
      .and.contain('issuing.authorizer.reservedConcurrency');
  });
});
