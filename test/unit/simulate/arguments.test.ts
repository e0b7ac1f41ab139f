import { expect } from 'chai';
import { parseSimulateArguments, SCENARIOS } from '../../../simulate/arguments';

describe('simulate: arguments', () => {
  it('reads the stack and the scenarios in the order given', () => {
    expect(parseSimulateArguments(['--stack', 'dev', 'dispute', 'purchase'])).to.deep.equal({
      stack: 'dev',
      scenarios: ['dispute', 'purchase'],
      verbose: false,
    });
  });

  it('reads --verbose and the emulator port', () => {
    expect(parseSimulateArguments(['--verbose', '--stack', 'dev', '--port', '13016', 'purchase'])).to.deep.equal({
      stack: 'dev',
      scenarios: ['purchase'],
      verbose: true,
      port: 13016,
    });
    expect(() => parseSimulateArguments(['--stack', 'dev', '--port', 'x', 'purchase'])).to.throw(
      '--port needs a whole number from 1 to 65535',
    );
  });

  it('expands all to every scenario once', () => {
    expect(parseSimulateArguments(['all', 'purchase', '--stack', 'dev']).scenarios).to.deep.equal([...SCENARIOS]);
  });

  it('names what is wrong and what is allowed', () => {
    expect(() => parseSimulateArguments(['purchase'])).to.throw('--stack is required');
    expect(() => parseSimulateArguments(['--stack'])).to.throw('--stack needs a stack name');
    expect(() => parseSimulateArguments(['--stack', '--port'])).to.throw('--stack needs a stack name');
    expect(() => parseSimulateArguments(['--stack', 'dev'])).to.throw('name at least one scenario');
    expect(() => parseSimulateArguments(['--stack', 'dev', 'refund'])).to.throw(
      /unknown scenario "refund"[\s\S]*purchase, over-limit, restricted-outbound, force-capture, dispute, authorizer-decline, increment, multi-capture, replacement, or all/,
    );
    expect(() => parseSimulateArguments(['--stack', 'dev', '--live'])).to.throw('unknown option "--live"');
  });
});
