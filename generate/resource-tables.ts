/**
 * The argument and output tables of docs/resources.md, from the declarations (provider/engine/fields.ts and each
 * type's registration): written between `<!-- generated: <Type> -->` and `<!-- end generated -->` by
 * `npm run generate`; a test fails when the committed page differs.
 */
import type { Field, OutputField } from '../provider/engine/fields';
import { REGISTRY, RESOURCE_TYPES, type ResourceType } from '../provider/resources/registry';

type AnyField = Field<never, never, unknown>;
type AnyOutput = OutputField<never, never, unknown>;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function change(field: AnyField): string {
  const how = field.mutability === 'createOnly' ? 'replace' : 'update';
  return field.unsettable === true ? `${how}; cannot be removed once set` : how;
}

function what(field: AnyField): string {
  const given = field.required ? 'Required. ' : field.default !== undefined ? `Default \`${JSON.stringify(field.default)}\`. ` : '';
  return cell(`${given}${field.description}`);
}

/** The tables of one type: its arguments (the connected account and `adoptId` first), then its outputs. */
export function resourceTables(type: ResourceType): string {
  const { spec } = REGISTRY[type];
  const fields = spec.fields as unknown as Record<string, AnyField>;
  const outputs = spec.outputs as unknown as Record<string, AnyOutput>;
  const rows = [
    '| Argument | What | A change |',
    '|---|---|---|',
    `| \`account\` | ${
      'accountOptional' in spec && spec.accountOptional
        ? 'Optional: the connected account (`acct_…`) that owns it; absent, the platform.'
        : 'Required. The connected account (`acct_…`).'
    } | replace |`,
    ...('idPrefix' in spec && spec.idPrefix
      ? [
          `| \`adoptId\` | The ID of an existing object (\`${spec.idPrefix}…\`) to take over instead of creating one; read only at create. | — |`,
        ]
      : []),
    ...Object.entries(fields).map(([key, field]) => `| \`${key}\` | ${what(field)} | ${change(field)} |`),
  ];
  const outputRows = Object.entries(outputs).map(([key, output]) => `| \`${key}\` | ${cell(output.description)} |`);
  return [
    ...rows,
    '',
    ...(outputRows.length > 0 ? ['| Output | What |', '|---|---|', ...outputRows] : ['No outputs beyond the arguments.']),
  ].join('\n');
}

const BLOCK = /<!-- generated: (\w+) -->\n[\s\S]*?<!-- end generated -->/g;

/** The page with every generated block rewritten; a block naming no registered type is an error. */
export function withResourceTables(page: string): string {
  const seen = new Set<string>();
  const text = page.replace(BLOCK, (_block, type: string) => {
    if (!(RESOURCE_TYPES as string[]).includes(type))
      throw new Error(`docs/resources.md: a generated block names ${type}, which is not a registered type`);
    seen.add(type);
    return `<!-- generated: ${type} -->\n${resourceTables(type as ResourceType)}\n<!-- end generated -->`;
  });
  const missing = RESOURCE_TYPES.filter((type) => !seen.has(type));
  if (missing.length > 0)
    throw new Error(
      `docs/resources.md has no generated block for ${missing.join(', ')}: add <!-- generated: Type --> … <!-- end generated -->`,
    );
  return text;
}
