import { expect } from 'chai';
import { parseLocalArguments, SECRET_VARIABLE, signingSecretFrom } from '../../../scripts/authorizer';

describe('npm run authorizer arguments', () => {
  it('reads --port and --stack', () => {
    expect(parseLocalArguments(['--port', '4242', '--stack', 'dev'])).to.deep.equal({ port: 4242, stack: 'dev' });
  });

  it('explains what is wrong and what is allowed', () => {
    expect(() => parseLocalArguments(['--stack', 'dev'])).to.throw('--port must be a whole number from 1 to 65535, got null');
    expect(() => parseLocalArguments(['--port', '70000', '--stack', 'dev'])).to.throw(
      '--port must be a whole number from 1 to 65535, got "70000"',
    );
    expect(() => parseLocalArguments(['--port', '4242'])).to.throw('--stack is required');
    expect(() => parseLocalArguments(['--port', '--stack', 'dev'])).to.throw('--port needs a value');
    expect(() => parseLocalArguments(['--secret', 'whsec_x'])).to.throw('unknown argument "--secret"');
  });

  it('takes the signing secret only from the environment and checks its shape without echoing it', () => {
    expect(signingSecretFrom({ [SECRET_VARIABLE]: 'whsec_abc' })).to.equal('whsec_abc');
    expect(() => signingSecretFrom({})).to.throw(
      `${SECRET_VARIABLE} must hold the webhook endpoint's signing secret (whsec_…); it is not set`,
    );
    expect(() => signingSecretFrom({ [SECRET_VARIABLE]: 'sk_test_123' }))
      .to.throw('the value set does not start with whsec_')
      .with.property('message')
      .that.does.not.contain('sk_test_123');
  });
});
