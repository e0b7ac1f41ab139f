// Decodes application/x-www-form-urlencoded bodies and query strings the way Stripe reads what
// stripe-node sends: `a[b][0]=x` nests, `a[]=x` appends; values stay strings ('' means "clear").
// Arrays arrive as objects keyed "0", "1", …; the parameter schema turns them into arrays.
import { invalidRequest } from './errors';

export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

export function decodeForm(encoded: string): FormObject {
  const root: FormObject = {};
  if (!encoded) return root;
  for (const pair of encoded.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    assign(root, keyPath(decodeComponent(rawKey)), decodeComponent(rawValue));
  }
  return root;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw invalidRequest(`Invalid form encoding: '${text}' is not valid percent-encoding.`);
  }
}

/** "a[b][0]" → ["a", "b", "0"]; "a[]" → ["a", ""]. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open < 0) return [key];
  const parts = [key.slice(0, open)];
  const bracketed = /\[([^\]]*)\]/g;
  let match: RegExpExecArray | null;
  while ((match = bracketed.exec(key.slice(open))) !== null) parts.push(match[1]);
  return parts;
}

function assign(target: FormObject, path: string[], value: string): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  if (rest[0] === '') {
    const existing = target[head];
    const list = Array.isArray(existing) ? existing : (target[head] = []);
    if (rest.length === 1) {
      list.push(value);
    } else {
      const element: FormObject = {};
      list.push(element);
      assign(element, rest.slice(1), value);
    }
    return;
  }
  const existing = target[head];
  const child = isFormObject(existing) ? existing : (target[head] = {});
  assign(child as FormObject, rest, value);
}

export function isFormObject(value: unknown): value is FormObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
