// Decodes application/x-www-form-urlencoded bodies and query strings the way Stripe reads what
// stripe-node sends: `a[b][0]=x` nests, `a[]=x` appends; values stay strings ('' means "clear").
// Arrays arrive as objects keyed "0", "1", …; the parameter schema turns them into arrays.
// Keys are data: `__proto__[x]=y` makes an own key named `__proto__` (which validation then refuses as
// unknown), never a write through to a prototype.
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
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) parts.push(match[1]);
  return parts;
}

function assign(target: FormObject, path: string[], value: string): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    setOwn(target, head, value);
    return;
  }
  const existing = ownValue(target, head);
  if (rest[0] === '') {
    const list = Array.isArray(existing) ? existing : setOwn(target, head, [] as FormValue[]);
    if (rest.length === 1) {
      list.push(value);
    } else {
      const element: FormObject = {};
      list.push(element);
      assign(element, rest.slice(1), value);
    }
    return;
  }
  const child = isFormObject(existing) ? existing : setOwn(target, head, {} as FormObject);
  assign(child, rest, value);
}

/** Reads only a key the object holds itself (`__proto__` or `constructor` would otherwise resolve). */
export function ownValue<T>(target: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}

/** Writes `key` as an own, enumerable property whatever its name; returns the value. */
export function setOwn<T, V extends T>(target: Record<string, T>, key: string, value: V): V {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

export function isFormObject(value: unknown): value is FormObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
