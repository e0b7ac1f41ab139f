import { expect } from 'chai';
import { parseSimulateArguments, SCENARIOS } from '../../../simulate/arguments';

describe('simulate: arguments', () => {
  it('reads the stack and the scenarios in the order given', () => {
    expect(parseSimulateArguments(['--stack', 'dev', 'dispute', 'purchase'])).to.deep.equal({ stack: 'dev', scenarios: ['dispute', 'purchase'] });
  });

  it('expands all to every scenario once', () => {
    expect(parseSimulateArguments(['all', 'purchase', '--stack', 'dev']).scenarios).to.deep.equal([...SCENARIOS]);
  });

  it('names what is wrong and what is allowed', () => {
    expect(() => parseSimulateArguments(['purchase'])).to.throw('--stack is required');
    expect(() => parseSimulateArguments(['--stack'])).to.throw('--stack needs a stack name');
    expect(() => parseSimulateArguments(['--stack', '--port'])).to.throw('--stack needs a stack name');
    expect(() => parseSimulateArguments(['--stack', 'dev'])).to.throw('name at least one scenario');
    expect(() => parseSimulateArguments(['--stack', 'dev', 'refund'])).to.throw(/unknown scenario "refund"[\s\S]*purchase, over-limit, restricted-outbound, force-capture, dispute, authorizer-decline, or all/);
    expect(() => parseSimulateArguments(['--stack', 'dev', '--live'])).to.throw('unknown option "--live"');
  });
});
