import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { withDecryptedPersonalData } from '../../../config/secure';
import type { IssuingConfig } from '../../../config/types';
import { checkStackText } from '../../../config/validate';
import { minimalIssuing } from '../../support/issuing-config';

const FILE = 'stacks/Pulumi.prod.yaml';
const SECURE = { secure: 'v1:8vDIOGmbPiDsbmWt:Nd1o4w7tjPWCMpqaF1BDbpcgJpuK' };

function stackWith(edit: (jane: Record<string, any>) => void): string {
  const issuing = minimalIssuing() as unknown as { accounts: { acme: { cardholders: { jane: Record<string, any> } } } };
  edit(issuing.accounts.acme.cardholders.jane);
  return yaml.dump({ config: { 'stripe-issuing:mode': 'test', 'stripe-issuing:issuing': issuing } });
}

describe('personal data as Pulumi secrets in the stack file', () => {
  it('validates a stack whose date of birth (whole or by part) and tax ID are encrypted', () => {
    expect(
      checkStackText(
        FILE,
        stackWith((jane) => {
          jane.individual = { ...jane.individual, dob: { day: SECURE, month: SECURE, year: SECURE } };
        }),
      ),
    ).to.deep.equal([]);
    expect(
      checkStackText(
        FILE,
        stackWith((jane) => {
          jane.individual = { ...jane.individual, dob: SECURE };
        }),
      ),
    ).to.deep.equal([]);
    expect(
      checkStackText(
        FILE,
        stackWith((jane) => {
          jane.type = 'company';
          delete jane.individual;
          jane.company = { taxId: SECURE };
        }),
      ),
    ).to.deep.equal([]);
  });

  it('still checks the plain parts next to an encrypted one', () => {
    const problems = checkStackText(
      FILE,
      stackWith((jane) => {
        jane.individual = { ...jane.individual, dob: { day: 41, month: SECURE, year: SECURE } };
      }),
    );
    // The plain day is refused twice: out of range, and in plain text on a stack that is not a demo.
    expect(problems).to.have.length(2);
    for (const problem of problems) expect(problem).to.contain('issuing.accounts.acme.cardholders.jane.individual.dob.day');
  });

  it('refuses an encrypted value outside personal data, naming the key and what may be encrypted', () => {
    const problems = checkStackText(
      FILE,
      stackWith((jane) => {
        jane.name = SECURE;
      }),
    );
    expect(problems).to.include(
      `${FILE}: issuing.accounts.acme.cardholders.jane.name: is encrypted (secure), which the stack file allows only ` +
        "for a cardholder's personal data (individual.dob, individual.dob.day, individual.dob.month, individual.dob.year, company.taxId): set it as a plain value",
    );
  });

  it('turns date-of-birth parts Pulumi decrypted to strings back into numbers for the program', () => {
    const issuing = minimalIssuing() as unknown as IssuingConfig;
    const jane = issuing.accounts.acme.cardholders!.jane as unknown as Record<string, any>;
    jane.individual = { firstName: 'Jane', lastName: 'Rivera', dob: { day: '12', month: '4', year: '1988' } };
    const decrypted = withDecryptedPersonalData(issuing).accounts.acme.cardholders!.jane.individual;
    expect(decrypted?.dob).to.deep.equal({ day: 12, month: 4, year: 1988 });
  });
});
