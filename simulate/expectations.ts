// What each scenario must leave in Stripe. A simulation whose objects differ fails (exit code 1),
// so `npm run simulate` is itself a check of the stack, the authorizer and Stripe's behaviour.
import type { ScenarioResult } from './result';

/** Every way `result` differs from what its scenario should produce; empty when it is as expected. */
export function unexpectedOutcomes(result: ScenarioResult): string[] {
  return [...scenarioOutcome(result), ...cashRestored(result)];
}

function scenarioOutcome(result: ScenarioResult): string[] {
  switch (result.scenario) {
    case 'purchase':
      return [...approvedAuthorization(result), ...capturedThenRefunded(result)];
    case 'over-limit':
      return declined(result, 'spending_controls');
    case 'restricted-outbound':
      return [
        ...declined(result, 'not_allowed'),
        ...check(
          result.outboundFlows?.during === 'restricted',
          `outbound_flows was ${result.outboundFlows?.during ?? 'not set'} during the purchase, expected restricted`,
        ),
        ...check(
          result.outboundFlows?.restored === result.outboundFlows?.original,
          `outbound_flows is ${result.outboundFlows?.restored} after the scenario, expected it restored to ${result.outboundFlows?.original}`,
        ),
        // Financial account features guide: the restriction leaves the card_issuing feature active (the
        // authorization is declined all the same) and restricts the features that move money out.
        ...check(
          result.outboundFlows?.activeFeatures.includes('card_issuing') === true,
          `card_issuing was not in active_features during the restriction (active: ${result.outboundFlows?.activeFeatures.join(', ') || 'none'})`,
        ),
        ...check(
          !result.outboundFlows?.restrictedFeatures.some((f) => OUTBOUND_ONLY_UNAFFECTED.includes(f)),
          `the restriction restricted ${result.outboundFlows?.restrictedFeatures.filter((f) => OUTBOUND_ONLY_UNAFFECTED.includes(f)).join(', ')}, which moves no money out`,
        ),
      ];
    case 'force-capture':
      return [
        ...check(result.authorizations.length === 0, `expected no authorization, got ${result.authorizations.length}`),
        ...transactions(result, [['capture', -result.purchase.amount]], false),
        ...balanceMoved(result, -result.purchase.amount),
      ];
    case 'dispute':
      return [
        ...approvedAuthorization(result),
        ...transactions(result, [['capture', -result.purchase.amount]], true),
        ...check(
          result.disputes.length === 1 && result.disputes[0].status === 'submitted',
          `expected one submitted dispute, got ${result.disputes.map((d) => d.status).join(', ') || 'none'}`,
        ),
        ...check(result.disputes[0]?.transaction === result.transactions[0]?.id, 'the dispute is not on the captured transaction'),
        ...check(
          result.disputes[0]?.receivedDebit === result.transactions[0]?.treasuryFlow,
          `the dispute is on received debit ${result.disputes[0]?.receivedDebit ?? 'none'}, the capture moved ${result.transactions[0]?.treasuryFlow ?? 'none'}`,
        ),
        ...check(
          result.disputes[0]?.amount === result.purchase.amount,
          `dispute amount ${result.disputes[0]?.amount}, expected ${result.purchase.amount}`,
        ),
        ...balanceMoved(result, -result.purchase.amount),
      ];
    case 'authorizer-decline':
      return declined(result, 'webhook_declined');
    case 'increment':
      return incremented(result);
    case 'multi-capture':
      return multiCaptured(result);
    case 'replacement':
      return replaced(result);
  }
}

/**
 * Two captures: after the first (`close_authorization: false`) the authorization is pending and holds
 * the rest, as does outbound_pending; the second closes it and releases what neither captured. Cash
 * moved by the two captures alone.
 */
function multiCaptured(result: ScenarioResult): string[] {
  const [authorization] = result.authorizations;
  const captures = result.captures ?? [];
  if (!authorization || captures.length !== 2) return [`expected one authorization captured twice, got ${captures.length} captures`];
  const [first, second] = captures;
  const captured = first.amount + second.amount;
  const heldAfterFirst = result.purchase.amount - first.amount;
  return [
    ...check(authorization.approved, `authorization ${authorization.id} was declined (${authorization.reason}), expected approved`),
    ...check(
      first.status === 'pending' &&
        first.held === heldAfterFirst &&
        first.outboundPending - result.before.outboundPending === heldAfterFirst,
      `after the first capture of ${first.amount} the authorization was ${first.status} holding ${first.held} (outbound_pending +${first.outboundPending - result.before.outboundPending}), expected pending holding ${heldAfterFirst}`,
    ),
    ...check(
      second.status === 'closed' && second.held === 0 && second.outboundPending === result.before.outboundPending,
      `after the closing capture the authorization was ${second.status} holding ${second.held}, expected closed holding 0 with outbound_pending back`,
    ),
    ...transactions(
      result,
      [
        ['capture', -first.amount],
        ['capture', -second.amount],
      ],
      true,
    ),
    ...check(
      result.transactions.every((t) => t.treasuryFlow !== undefined),
      'a capture moved no Treasury ReceivedDebit',
    ),
    ...balanceMoved(result, -captured),
  ];
}

/**
 * A damaged card's replacement keeps the number; the original stays active until the replacement is
 * activated, then is canceled; the replacement's limit counts what the original spent (over it with
 * the purchase again, within it with the rest); the capture is refunded, so no money moved.
 */
function replaced(result: ScenarioResult): string[] {
  const facts = result.replacement;
  if (!facts) return ['the scenario reported no replacement'];
  const [spent, over, within] = result.authorizations;
  const decided = (a: typeof spent | undefined) => (a ? `${a.approved ? 'approved' : 'declined'} (${a.reason}), ${a.status}` : 'missing');
  return [
    ...check(facts.sameLast4, `the ${facts.reason} replacement ${facts.replacement} has another card number than ${facts.original}`),
    ...check(
      facts.replacementFor === facts.original && facts.replacedBy === facts.replacement,
      `the cards are not linked (replacement_for ${facts.replacementFor}, replaced_by ${facts.replacedBy})`,
    ),
    ...check(
      facts.originalBefore === 'active',
      `the original was ${facts.originalBefore} before the replacement was activated, expected active`,
    ),
    ...check(
      facts.originalAfter === 'canceled',
      `the original was ${facts.originalAfter} once the replacement was activated, expected canceled`,
    ),
    ...check(
      spent?.approved === true && spent.status === 'closed',
      `the original's purchase was ${decided(spent)}, expected approved, closed`,
    ),
    ...check(
      over?.approved === false && over.reason === 'spending_controls',
      `the replacement's purchase over the shared limit was ${decided(over)}, expected declined (spending_controls)`,
    ),
    ...check(
      within?.approved === true && within.status === 'reversed',
      `the replacement's purchase within the shared limit was ${decided(within)}, expected approved, then reversed`,
    ),
    ...capturedThenRefunded(result),
  ];
}

/**
 * The purchase and the increment to the cap approved by the authorizer, the one past it declined by it;
 * the authorization held the cap exactly, then was reversed, so no money moved.
 */
function incremented(result: ScenarioResult): string[] {
  const [authorization, ...extra] = result.authorizations;
  if (!authorization || extra.length > 0 || !result.increments) return [`expected one authorization, got ${result.authorizations.length}`];
  const { cap, held, requests } = result.increments;
  const expected = [
    { amount: result.purchase.amount, approved: true, reason: 'webhook_approved' },
    { amount: cap - result.purchase.amount, approved: true, reason: 'webhook_approved' },
    { amount: 1, approved: false, reason: 'webhook_declined' },
  ];
  const show = (list: typeof requests) => list.map((r) => `${r.amount} ${r.approved ? 'approved' : 'declined'} (${r.reason})`).join(', ');
  return [
    ...check(show(requests) === show(expected), `requests on ${authorization.id} were [${show(requests)}], expected [${show(expected)}]`),
    ...check(held === cap, `the authorization held ${held} after the increments, expected the cap ${cap}`),
    ...check(authorization.status === 'reversed', `authorization ${authorization.id} is ${authorization.status}, expected reversed`),
    ...check(result.transactions.length === 0, `expected no transaction, got ${result.transactions.length}`),
    ...balanceMoved(result, 0),
  ];
}

const check = (ok: boolean, problem: string): string[] => (ok ? [] : [problem]);

/** Features an outbound restriction leaves alone: they move no money out of the account. */
const OUTBOUND_ONLY_UNAFFECTED = ['card_issuing', 'deposit_insurance', 'inbound_transfers.ach'];

function approvedAuthorization(result: ScenarioResult): string[] {
  const [authorization, ...extra] = result.authorizations;
  if (!authorization) return ['expected an authorization, got none'];
  return [
    ...check(extra.length === 0, `expected one authorization, got ${result.authorizations.length}`),
    ...check(authorization.approved, `authorization ${authorization.id} was declined (${authorization.reason}), expected approved`),
    ...check(
      authorization.amount === result.purchase.amount,
      `authorization amount ${authorization.amount}, expected ${result.purchase.amount}`,
    ),
    ...check(
      authorization.status === 'closed',
      `authorization ${authorization.id} is ${authorization.status}, expected closed after capture`,
    ),
  ];
}

function declined(result: ScenarioResult, reason: string): string[] {
  const [authorization] = result.authorizations;
  if (!authorization || result.authorizations.length !== 1) return [`expected one authorization, got ${result.authorizations.length}`];
  return [
    ...check(
      !authorization.approved && authorization.reason === reason,
      `authorization ${authorization.id} was ${authorization.approved ? 'approved' : 'declined'} (${authorization.reason}), expected declined (${reason})`,
    ),
    ...check(authorization.status === 'closed', `authorization ${authorization.id} is ${authorization.status}, expected closed`),
    ...check(result.transactions.length === 0, `expected no transaction, got ${result.transactions.length}`),
    ...balanceMoved(result, 0),
  ];
}

/** The transactions, in order, as [type, amount]; linked to the authorization or to none. */
function transactions(result: ScenarioResult, expected: Array<[string, number]>, linked: boolean): string[] {
  const actual = result.transactions.map((t) => `${t.type} ${t.amount}`).join(', ');
  const wanted = expected.map(([type, amount]) => `${type} ${amount}`).join(', ');
  const authorization = linked ? (result.authorizations[0]?.id ?? null) : null;
  return [
    ...check(actual === wanted, `transactions are [${actual}], expected [${wanted}]`),
    ...check(
      result.transactions.every((t) => t.authorization === authorization),
      linked ? `transactions are not all on authorization ${authorization}` : 'a transaction is linked to an authorization, expected none',
    ),
  ];
}

function balanceMoved(result: ScenarioResult, cash: number): string[] {
  const moved = result.after.cash - result.before.cash;
  const pending = result.after.outboundPending - result.before.outboundPending;
  return [
    ...check(moved === cash, `financial account cash moved by ${moved}, expected ${cash}`),
    ...check(pending === 0, `financial account outbound_pending moved by ${pending}, expected 0`),
  ];
}

/** Every financial account the scenario changed is back to the cash it had before the scenario. */
function cashRestored(result: ScenarioResult): string[] {
  return result.cashRestores.flatMap(({ financialAccount, currency, cashBefore, cashAfter, flow }) =>
    check(
      cashAfter === cashBefore,
      `${financialAccount} has ${cashAfter} ${currency} cash after it was put back, expected ${cashBefore} as before the run ` +
        `(${flow.type} ${flow.id} of ${flow.change}: ${flow.status}${flow.failureCode ? `, ${flow.failureCode}` : ''})`,
    ),
  );
}

/** The purchase captured in full, then refunded in full: the balance ends where it began. */
function capturedThenRefunded(result: ScenarioResult): string[] {
  return [
    ...transactions(
      result,
      [
        ['capture', -result.purchase.amount],
        ['refund', result.purchase.amount],
      ],
      true,
    ),
    ...balanceMoved(result, 0),
  ];
}
