/**
 * A cardholder's personal data reaches the engine only as Pulumi secrets, so that the state keeps it
 * encrypted and previews show `[secret]`. The one exception is the project's own: a demo stack of
 * fictional people (`stripe-issuing:demo: true`, test mode only; config/secure.ts).
 */
import { type DeclaredResource, type StackSettings, UNKNOWN, type Violation, valueAt, whereDeclared } from '../resources';

/** The cardholder inputs that are personal data when the pack's config names none (the `fields` config value). */
export const DEFAULT_PERSONAL_DATA_FIELDS: readonly string[] = [
  'name',
  'email',
  'phoneNumber',
  'billing.address',
  'individual.firstName',
  'individual.lastName',
  'individual.dob',
  'company.taxId',
];

export const PERSONAL_DATA_SECRET = {
  name: 'personal-data-secret',
  description: "A cardholder's personal data (name, email, phone, address, date of birth, tax ID) is a Pulumi secret.",
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      fields: {
        type: 'array',
        items: { type: 'string' },
        default: [...DEFAULT_PERSONAL_DATA_FIELDS],
        description: 'Dotted paths of the Cardholder inputs that must be Pulumi secrets.',
      },
    },
  },
} as const;

/** A path is kept secret when it, or an object around it, is a secret. */
function isSecret(secretPaths: ReadonlySet<string>, path: string): boolean {
  const parts = path.split('.');
  return parts.some((_, i) => secretPaths.has(parts.slice(0, i + 1).join('.')));
}

/** Every plain-text leaf under a path (a whole `billing.address` is one field; each of its parts must be secret). */
function plainLeaves(value: unknown, path: string, secretPaths: ReadonlySet<string>): string[] {
  if (value === undefined || value === null || value === UNKNOWN || isSecret(secretPaths, path)) return [];
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => plainLeaves(child, `${path}.${key}`, secretPaths));
  }
  return [path];
}

export function plainPersonalData(resources: readonly DeclaredResource[], stack: StackSettings, fields: readonly string[]): Violation[] {
  // A live stack's cardholders are real people: the demo exception never applies there.
  if (stack.demo && !stack.live) return [];
  return resources
    .filter((resource) => resource.type === 'Cardholder')
    .flatMap((holder) => {
      const plain = fields.filter((field) => plainLeaves(valueAt(holder.inputs, field), field, holder.secretPaths).length > 0);
      if (plain.length === 0) return [];
      // Names the fields, never their values.
      return [
        {
          urn: holder.urn,
          message:
            `${whereDeclared(holder)} has personal data in plain text: ${plain.join(', ')}. Make each a Pulumi secret ` +
            "(`pulumi config set --secret --path '<key path>' <value>` in the stack file, or `pulumi.secret(…)` in a program).",
        },
      ];
    });
}
