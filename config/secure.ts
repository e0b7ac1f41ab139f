/**
 * Personal data as Pulumi secrets in the stack file. `pulumi config set --secret --path
 * 'stripe-issuing:issuing.accounts.acme.cardholders.jane.individual.dob.year' 1988` writes
 * `year: {secure: v1:…}`; the engine then treats the whole `stripe-issuing:issuing` value as a secret,
 * so the default provider's copy of the stack config is stored encrypted in every checkpoint.
 *
 * Checks that cannot decrypt (`npm run validate`, the program's preflight, editors) see a valid stand-in
 * in place of each such value; the provider's own check sees the real one at preview. The program gets
 * the values decrypted by Pulumi, as strings, and turns date-of-birth parts back into numbers.
 */
import { ISSUING_CONFIG_KEY, type PathSegment, PROJECT_NAMESPACE, renderPath } from './paths';
import type { Problem } from './schema';
import type { IssuingConfig } from './types';

type Loose = Record<string, unknown>;
function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where, under a cardholder, a value may be a secret, with the stand-in checks use for it. */
const PERSONAL_DATA: { path: string[]; standIn: unknown }[] = [
  { path: ['individual', 'dob'], standIn: { day: 1, month: 1, year: 1970 } },
  { path: ['individual', 'dob', 'day'], standIn: 1 },
  { path: ['individual', 'dob', 'month'], standIn: 1 },
  { path: ['individual', 'dob', 'year'], standIn: 1970 },
  { path: ['company', 'taxId'], standIn: '000000000' },
];
const ALLOWED = PERSONAL_DATA.map(({ path }) => path.join('.')).join(', ');
/** The values themselves (not the `dob` mapping): each is refused in plain text outside a demo stack. */
const PERSONAL_VALUES = PERSONAL_DATA.filter(({ standIn }) => !isRecord(standIn)).map(({ path }) => path);
/** The setting by which a stack declares itself a demo of fictional people. */
export const DEMO_CONFIG_KEY = `${PROJECT_NAMESPACE}:demo`;

/** A value the stack file holds encrypted: `{secure: "v1:…"}`. */
export const isSecureValue = (value: unknown): boolean =>
  isRecord(value) && Object.keys(value).length === 1 && typeof value.secure === 'string';

/**
 * The stack file with every secure personal-data value replaced by its stand-in, and a problem for each
 * secure value found anywhere else under `issuing` (only personal data may be kept encrypted there).
 */
export function withSecureStandIns(document: unknown): { document: unknown; problems: Problem[] } {
  const issuing = isRecord(document) && isRecord(document.config) ? document.config[ISSUING_CONFIG_KEY] : undefined;
  if (!isRecord(issuing)) return { document, problems: [] };
  const copy = structuredClone(issuing);
  const standIns = new Set<unknown>();
  for (const account of Object.values(isRecord(copy.accounts) ? copy.accounts : {})) {
    if (!isRecord(account) || !isRecord(account.cardholders)) continue;
    for (const cardholder of Object.values(account.cardholders)) {
      for (const { path, standIn } of PERSONAL_DATA) {
        const parent = path.slice(0, -1).reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), cardholder);
        const key = path[path.length - 1];
        if (isRecord(parent) && isSecureValue(parent[key])) {
          parent[key] = structuredClone(standIn);
          standIns.add(parent[key]);
        }
      }
    }
  }
  const problems: Problem[] = [];
  const visit = (node: unknown, path: PathSegment[]) => {
    if (isSecureValue(node)) {
      problems.push({
        path: renderPath(path),
        message: `is encrypted (secure), which the stack file allows only for a cardholder's personal data (${ALLOWED}): set it as a plain value`,
      });
    } else if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, [...path, index]);
    } else if (isRecord(node) && !standIns.has(node)) for (const [key, value] of Object.entries(node)) visit(value, [...path, key]);
  };
  visit(copy, ['config', ISSUING_CONFIG_KEY]);
  const config = (document as { config: Loose }).config;
  return { document: { ...(document as Loose), config: { ...config, [ISSUING_CONFIG_KEY]: copy } }, problems };
}

/** The program's view: date-of-birth parts Pulumi decrypted to strings ("1988") become numbers again. */
export function withDecryptedPersonalData(issuing: IssuingConfig): IssuingConfig {
  const copy = structuredClone(issuing);
  for (const account of Object.values(copy.accounts ?? {})) {
    for (const cardholder of Object.values(account.cardholders ?? {})) {
      const dob = cardholder.individual?.dob as Record<string, unknown> | undefined;
      if (!isRecord(dob)) continue;
      for (const part of ['day', 'month', 'year']) {
        if (typeof dob[part] === 'string' && /^\d+$/.test(dob[part] as string)) dob[part] = Number(dob[part]);
      }
    }
  }
  return copy;
}

/**
 * A date of birth or tax ID in plain text, refused in every stack file but a demo's (`stripe-issuing:demo:
 * true`, fictional people, test mode only): each problem names the `pulumi config set --secret --path`
 * command that encrypts the value, with its exact key path and never the value itself.
 */
export function plainPersonalDataProblems(document: unknown, stack: string): Problem[] {
  const config = isRecord(document) && isRecord(document.config) ? document.config : {};
  const demo = config[DEMO_CONFIG_KEY] === true;
  if (demo && config[`${PROJECT_NAMESPACE}:mode`] === 'live') {
    return [
      {
        path: renderPath(['config', DEMO_CONFIG_KEY]),
        message: "is true on a live stack: a live stack's cardholders are real people, whose personal data is never plain text; remove it",
      },
    ];
  }
  const issuing = config[ISSUING_CONFIG_KEY];
  if (demo || !isRecord(issuing) || !isRecord(issuing.accounts)) return [];
  const problems: Problem[] = [];
  for (const [accountName, account] of Object.entries(issuing.accounts)) {
    if (!isRecord(account) || !isRecord(account.cardholders)) continue;
    for (const [holderName, cardholder] of Object.entries(account.cardholders)) {
      for (const path of PERSONAL_VALUES) {
        const parent = path.slice(0, -1).reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), cardholder);
        const key = path[path.length - 1];
        if (!isRecord(parent) || parent[key] === undefined || isSecureValue(parent[key]) || isSecureValue(parent)) continue;
        const segments = ['accounts', accountName, 'cardholders', holderName, ...path];
        problems.push({
          path: renderPath(['config', ISSUING_CONFIG_KEY, ...segments]),
          message:
            `is personal data in plain text, allowed only on a demo stack of fictional people (${DEMO_CONFIG_KEY}: true): ` +
            `encrypt it with \`npm run pulumi -- config set --stack ${stack} --secret --path '${ISSUING_CONFIG_KEY}.${segments.join('.')}' <${key}>\``,
        });
      }
    }
  }
  return problems;
}
