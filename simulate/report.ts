// A scenario as one line, and its Stripe objects and states as plain-text tables. IDs, states and
// amounts only: no card number, CVC or key is ever read, so none can be printed.

import { formatTable } from '../lib/table';
import { SCENARIOS } from './arguments';
import type { ScenarioResult } from './result';

const SCENARIO_WIDTH = Math.max(...SCENARIOS.map((name) => name.length));

/** `ok` or `NOT as expected`, the scenario, what Stripe did, then the card and the purchase. */
export function formatScenarioLine(result: ScenarioResult, problems: readonly string[]): string {
  const { card, purchase, outboundFlows, increments } = result;
  const decided = (approved: boolean, reason: string | null) => `${approved ? 'approved' : 'declined'} (${reason ?? 'no reason'})`;
  const did = [
    ...(result.authorizations.length === 0 ? ['no authorization'] : []),
    ...(increments
      ? [
          ...increments.requests.map((r, i) => `${i === 0 ? '' : `+${r.amount} `}${decided(r.approved, r.reason)}`),
          `held ${increments.held} of cap ${increments.cap}`,
          ...result.authorizations.map((a) => a.status),
        ]
      : result.authorizations.map((a) => decided(a.approved, a.reason))),
    ...result.transactions.map((t) => `${t.type} ${Math.abs(t.amount)}`),
    ...result.disputes.map((d) => `dispute ${d.status}`),
    ...(outboundFlows ? [`outbound_flows ${outboundFlows.during} during it, ${outboundFlows.restored} after`] : []),
    ...(result.captures ?? []).map((c) => `${c.status} holding ${c.held} after capturing ${c.amount}`),
    ...(result.replacement
      ? [
          `${result.replacement.reason} replacement ${result.replacement.sameLast4 ? 'kept' : 'changed'} the number`,
          `original ${result.replacement.originalBefore} until it was activated, then ${result.replacement.originalAfter}`,
          `limit ${result.replacement.limit} shared`,
        ]
      : []),
  ];
  return (
    `${problems.length === 0 ? 'ok' : 'NOT as expected'}  ${result.scenario.padEnd(SCENARIO_WIDTH)}  ${did.join(', ')}  ` +
    `[${card.name}: ${purchase.amount} ${purchase.currency} at ${purchase.category}, ${purchase.country}]`
  );
}

export function formatScenarioResult(result: ScenarioResult, problems: readonly string[]): string {
  const { card, purchase, increments } = result;
  const sections = [
    `== ${result.scenario}: ${card.name} (${card.id} on ${card.account}), ${purchase.amount} ${purchase.currency} at ` +
      `${purchase.category} in ${purchase.country}`,
  ];
  if (result.authorizations.length > 0) {
    sections.push(
      formatTable(
        ['authorization', 'approved', 'reason', 'amount', 'status'],
        result.authorizations.map((a) => [a.id, a.approved ? 'yes' : 'no', a.reason ?? '', a.amount, a.status]),
      ),
    );
  }
  if (result.transactions.length > 0) {
    sections.push(
      formatTable(
        ['transaction', 'type', 'amount', 'authorization'],
        result.transactions.map((t) => [t.id, t.type, t.amount, t.authorization ?? '(none)']),
      ),
    );
  }
  if (result.disputes.length > 0) {
    sections.push(
      formatTable(
        ['dispute', 'status', 'amount', 'transaction'],
        result.disputes.map((d) => [d.id, d.status, d.amount, d.transaction]),
      ),
    );
  }
  sections.push(
    formatTable(
      ['financial account', 'funded', 'cash before', 'cash after', 'pending before', 'pending after'],
      [
        [
          card.financialAccount,
          result.funded,
          result.before.cash,
          result.after.cash,
          result.before.outboundPending,
          result.after.outboundPending,
        ],
      ],
    ),
  );
  sections.push(
    result.cashRestores.length === 0
      ? 'cash put back: nothing to do, every financial account has the cash it had before the run'
      : formatTable(
          ['cash put back', 'flow', 'id', 'change', 'status', 'cash before run', 'left by run', 'cash now'],
          result.cashRestores.map((s) => [
            s.financialAccount,
            s.flow.type,
            s.flow.id,
            s.flow.change,
            s.flow.failureCode ? `${s.flow.status} (${s.flow.failureCode})` : s.flow.status,
            s.cashBefore,
            s.cashLeft,
            s.cashAfter,
          ]),
        ),
  );
  if (increments) {
    sections.push(
      formatTable(
        ['request', 'amount', 'approved', 'reason'],
        increments.requests.map((r, i) => [i === 0 ? 'purchase' : `increment ${i}`, r.amount, r.approved ? 'yes' : 'no', r.reason ?? '']),
      ),
    );
  }
  if (result.outboundFlows) {
    const { original, during, restored, restrictedFeatures } = result.outboundFlows;
    sections.push(
      `outbound_flows: ${original} → ${during} during the purchase → ${restored} after; ` +
        `features restricted during it: ${restrictedFeatures.join(', ') || 'none'} (card_issuing stays active)`,
    );
  }
  sections.push(problems.length === 0 ? 'as expected' : `NOT as expected:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return sections.join('\n\n');
}
