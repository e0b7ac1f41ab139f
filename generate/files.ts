/** Every file made from the declarations, with the text it must hold (`npm run generate` writes them). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withResourceTables } from './resource-tables';
import { stackSchemaText } from './stack-schema';

const ROOT = path.resolve(__dirname, '..');

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  text: string;
}

export function generatedFiles(root = ROOT): GeneratedFile[] {
  const resources = path.join(root, 'docs', 'resources.md');
  return [
    { path: 'config/stack.schema.json', text: stackSchemaText() },
    { path: 'docs/resources.md', text: withResourceTables(fs.readFileSync(resources, 'utf8')) },
  ];
}
