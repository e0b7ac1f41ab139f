// Properties Stripe returns only when expanded ("includable"): dropped from every response that did not
// ask for them (expand.ts) and from the objects events carry, which are rendered like a response without
// `expand` (events.ts).

/**
 * Properties Stripe returns only when expanded ("includable"), by object type, with what the emulator
 * shows when asked: in stripe-mock's OpenAPI spec (v0.203.0, spec3.json) the `issuing.dispute` schema's
 * `balance_transactions` and the `issuing.transaction` schema's `purchase_details` are in
 * `x-expandableFields` and not in `required` (the types make both optional, `?:`). The emulator
 * keeps no balance transactions (Treasury disputes move money by DebitReversal) nor purchase details, so
 * expanded they are an empty list and null. The `treasury.transaction` schema's `entries` and
 * `flow_details` likewise.
 */
export const INCLUDABLE: Record<string, Record<string, () => unknown>> = {
  'issuing.dispute': { balance_transactions: () => [] },
  'issuing.transaction': { purchase_details: () => null },
  // `treasury.transaction`: `entries` and `flow_details` (x-expandableFields, not required; "entries ...
  // cannot be expanded in any list endpoints"). Entries are stored; flow details are not (null).
  'treasury.transaction': { entries: () => null, flow_details: () => null },
};

/** Drops includable properties nobody asked for, and fills those asked for (`x` or `data.x` on lists). */
export function includeOnlyExpanded(node: unknown, paths: string[], at: string[]): void {
  if (!node || typeof node !== 'object') return;
  const object = node as Record<string, unknown>;
  if (object.object === 'list' && Array.isArray(object.data)) {
    for (const item of object.data) includeOnlyExpanded(item, paths, [...at, 'data']);
    return;
  }
  const includable = typeof object.object === 'string' ? INCLUDABLE[object.object] : undefined;
  if (!includable) return;
  for (const [field, shown] of Object.entries(includable)) {
    if (paths.includes([...at, field].join('.'))) object[field] = object[field] ?? shown();
    else delete object[field];
  }
}
