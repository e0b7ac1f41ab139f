import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { generatedFiles } from '../../../generate/files';
import { resourceTables, withResourceTables } from '../../../generate/resource-tables';
import { fieldSchema } from '../../../generate/stack-schema';
import { RESOURCE_TYPES } from '../../../provider/resources/registry';

const ROOT = path.resolve(__dirname, '..', '..', '..');

// The schema and the docs tables are made from the declarations: the committed copies must be what they make.
describe('files generated from the declarations (npm run generate)', () => {
  for (const file of generatedFiles(ROOT)) {
    it(`${file.path} is what the declarations make`, () => {
      expect(fs.readFileSync(path.join(ROOT, file.path), 'utf8') === file.text, `${file.path} is stale: run npm run generate`).to.equal(
        true,
      );
    });
  }

  it('npm run generate -- --check fails, naming the file, when a committed copy differs', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'generate-check-'));
    try {
      for (const dir of ['config', 'docs']) fs.mkdirSync(path.join(copy, dir));
      for (const file of generatedFiles(ROOT)) fs.writeFileSync(path.join(copy, file.path), file.text);
      fs.appendFileSync(path.join(copy, 'config/stack.schema.json'), ' ');
      const tsNode = require.resolve('ts-node/register/transpile-only');
      const script = path.join(ROOT, 'scripts', 'generate.ts');
      const run = spawnSync(process.execPath, ['-r', tsNode, script, '--check', '--root', copy], { encoding: 'utf8' });
      expect(run.status).to.equal(1);
      expect(run.stderr).to.contain('config/stack.schema.json: differs from what the declarations make; run npm run generate');
      expect(run.stdout).to.contain('docs/resources.md: up to date');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('every resource type has its tables, one row per field and output', () => {
    for (const type of RESOURCE_TYPES) expect(resourceTables(type)).to.match(/^\| Argument \| What \| A change \|/);
    expect(resourceTables('Card')).to.contain('| `last4` | The last four digits of the number. |');
    expect(resourceTables('Card')).to.contain('| `currency` | Default `"usd"`.');
  });

  it('refuses a page without a block for a registered type, or with a block for an unknown one', () => {
    expect(() => withResourceTables('# Resources\n')).to.throw(/has no generated block for TosAcceptance, AccountCapability/);
    expect(() => withResourceTables('<!-- generated: Nope -->\n<!-- end generated -->')).to.throw(
      /names Nope, which is not a registered type/,
    );
  });

  it('says in the schema what changing a field does and what its default is', () => {
    expect(fieldSchema('Card', 'type').description).to.match(/Fixed at creation: a change replaces the Card\. Default "virtual"\.$/);
    expect(() => fieldSchema('Card', 'cardholder')).to.throw(/not a stack-file key/);
  });
});
