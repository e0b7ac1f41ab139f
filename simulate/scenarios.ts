// The scenarios: test-helper purchases and their aftermath on the stack's cards, each read back from
// Stripe into a ScenarioResult. All calls act on the card's connected account (Stripe-Account).
import type Stripe from 'stripe';
import type { RuleSet } from '../authorizer/types';
import type { ScenarioName } from './arguments';
import type { SimulationCard } from './cards';
import { completeEvidence } from './evidence';
import {
  approvedPurchase,
  authorizerDeclinedPurchase,
  type CardFacts,
  firstPlanned,
  incrementedPurchase,
  overLimitPurchase,
  type PlannedPurchase,
} from './purchases';
import {
  type Balance,
  type ScenarioResult,
  summarizeAuthorization,
  summarizeDispute,
  summarizeRequests,
  summarizeTransaction,
  type TransactionSummary,
} from './result';

export type SimulatedCard = SimulationCard & CardFacts & { financialAccount: string };

export interface SimulationContext {
  stripe: Stripe;
  /** The stack's cards, in stack-file order. */
  cards: SimulatedCard[];
  rules: RuleSet;
}

/** What a scenario itself reports; `simulate()` adds how the cash was put back afterwards. */
export type ScenarioOutcome = Omit<ScenarioResult, 'cashRestores'>;

type Scenario = (context: SimulationContext) => Promise<ScenarioOutcome>;

export const SCENARIO_RUNNERS: Record<ScenarioName, Scenario> = {
  purchase: (context) =>
    withPurchase(context, 'purchase', approvedPurchase, {
      afterApproval: async (run, authorization) => {
        const captured = await run.capture(authorization);
        const refund = await run.stripe.testHelpers.issuing.transactions.refund(
          captured.id,
          { refund_amount: run.purchase.amount },
          run.on,
        );
        return { transactions: [summarizeTransaction(captured), summarizeTransaction(refund)] };
      },
    }),
  'over-limit': (context) => withPurchase(context, 'over-limit', overLimitPurchase),
  // The dev stack declares no restricted account: a stack-declared restriction would stop every card
  // on it for good. The scenario restricts through the API and puts the declared value back, so the
  // stack has no drift afterwards.
  'restricted-outbound': async (context) => {
    const { card } = pick(context, 'restricted-outbound', approvedPurchase);
    const accounts = context.stripe.treasury.financialAccounts;
    const on = { stripeAccount: card.account };
    const outboundFlows = (fa: Stripe.Treasury.FinancialAccount) => fa.platform_restrictions?.outbound_flows ?? 'unrestricted';
    const original = outboundFlows(await accounts.retrieve(card.financialAccount, {}, on));
    let during = original;
    let restored = original;
    let features = { activeFeatures: [] as string[], restrictedFeatures: [] as string[] };
    let result: ScenarioOutcome;
    try {
      result = await withPurchase(context, 'restricted-outbound', approvedPurchase, {
        cards: [card],
        beforePurchase: async () => {
          const restricted = await accounts.update(card.financialAccount, { platform_restrictions: { outbound_flows: 'restricted' } }, on);
          during = outboundFlows(restricted);
          features = { activeFeatures: restricted.active_features ?? [], restrictedFeatures: restricted.restricted_features ?? [] };
        },
      });
    } finally {
      restored = outboundFlows(await accounts.update(card.financialAccount, { platform_restrictions: { outbound_flows: original } }, on));
    }
    return { ...result, outboundFlows: { original, during, restored, ...features } };
  },
  'force-capture': async (context) => {
    const { card, purchase } = pick(context, 'force-capture', approvedPurchase);
    const on = { stripeAccount: card.account };
    const { funded, before } = await prepare(context.stripe, card, purchase);
    const transaction = await context.stripe.testHelpers.issuing.transactions.createForceCapture(
      {
        card: card.id,
        amount: purchase.amount,
        currency: purchase.currency,
        merchant_data: merchant(purchase),
      },
      on,
    );
    return finish(context.stripe, 'force-capture', card, purchase, {
      funded,
      before,
      authorizations: [],
      transactions: [summarizeTransaction(transaction)],
    });
  },
  dispute: (context) =>
    withPurchase(context, 'dispute', approvedPurchase, {
      afterApproval: async (run, authorization) => {
        const captured = await run.capture(authorization);
        // DisputeCreateParams.transaction: "For transaction on Treasury FinancialAccounts, use treasury.received_debit".
        const receivedDebit = captured.treasury?.received_debit;
        const created = await run.stripe.issuing.disputes.create(
          {
            ...(receivedDebit ? { treasury: { received_debit: receivedDebit } } : { transaction: captured.id }),
            amount: run.purchase.amount,
            evidence: completeEvidence('fraudulent', { capturedAt: captured.created }),
            metadata: { simulation: 'dispute' },
          },
          run.on,
        );
        const submitted = await run.stripe.issuing.disputes.submit(created.id, {}, run.on);
        return { transactions: [summarizeTransaction(captured)], disputes: [summarizeDispute(submitted)] };
      },
    }),
  'authorizer-decline': (context) => withPurchase(context, 'authorizer-decline', authorizerDeclinedPurchase),
  // A hotel or car rental adding to its hold: Stripe asks the authorizer about each increment with
  // `pending_request.amount` the increment alone, and the cap is on the total held. The hold is
  // reversed at the end, so the financial account's cash is back where it was.
  increment: async (context) => {
    const { card, purchase } = pick(context, 'increment', incrementedPurchase);
    const { stripe } = context;
    const on = { stripeAccount: card.account };
    const { funded, before } = await prepare(stripe, card, { ...purchase, amount: purchase.cap + purchase.pastCap });
    const authorizations = stripe.testHelpers.issuing.authorizations;
    const authorization = await authorizations.create(
      { card: card.id, amount: purchase.amount, currency: purchase.currency, merchant_data: merchant(purchase) },
      on,
    );
    let held = authorization.amount;
    if (authorization.approved) {
      await authorizations.increment(authorization.id, { increment_amount: purchase.withinCap }, on);
      held = (await authorizations.increment(authorization.id, { increment_amount: purchase.pastCap }, on)).amount;
      await authorizations.reverse(authorization.id, {}, on);
    }
    const final = await stripe.issuing.authorizations.retrieve(authorization.id, {}, on);
    return {
      ...(await finish(stripe, 'increment', card, purchase, {
        funded,
        before,
        authorizations: [summarizeAuthorization(final)],
        transactions: [],
      })),
      increments: { cap: purchase.cap, held, requests: summarizeRequests(final) },
    };
  },
  // A merchant that ships an order in parts: the first capture leaves the rest held
  // (`close_authorization: false`, "Set to false to enable multi-capture flows"), the second closes the
  // authorization, releasing what neither captured.
  'multi-capture': async (context) => {
    const { card, purchase } = pick(context, 'multi-capture', approvedPurchase);
    const { stripe } = context;
    const on = { stripeAccount: card.account };
    const { funded, before } = await prepare(stripe, card, purchase);
    const helpers = stripe.testHelpers.issuing.authorizations;
    const authorization = await helpers.create(
      { card: card.id, amount: purchase.amount, currency: purchase.currency, merchant_data: merchant(purchase) },
      on,
    );
    const parts = multiCaptureParts(purchase.amount);
    const captures: NonNullable<ScenarioOutcome['captures']> = [];
    if (authorization.approved) {
      for (const [index, amount] of parts.entries()) {
        const closeAuthorization = index === parts.length - 1;
        const after = await helpers.capture(authorization.id, { capture_amount: amount, close_authorization: closeAuthorization }, on);
        const held = await balance(stripe, card, purchase.currency);
        captures.push({ amount, closeAuthorization, status: after.status, held: after.amount, outboundPending: held.outboundPending });
      }
    }
    const final = await stripe.issuing.authorizations.retrieve(authorization.id, {}, on);
    return {
      ...(await finish(stripe, 'multi-capture', card, purchase, {
        funded,
        before,
        authorizations: [summarizeAuthorization(final)],
        transactions: final.transactions.map(summarizeTransaction),
      })),
      captures,
    };
  },
  replacement: (context) => replacementScenario(context),
};

/** Two captures of an authorization for `amount`: half, then a quarter (the last quarter is released). */
export function multiCaptureParts(amount: number): [number, number] {
  const first = Math.max(1, Math.floor(amount / 2));
  return [first, Math.max(1, Math.floor((amount - first) / 2))];
}

/**
 * Card replacement as the Replacement cards guide describes it, on cards made for the scenario (never
 * the stack's: activating a replacement cancels its original, and canceled is permanent). The original
 * spends the purchase; its `damaged` replacement keeps the number, leaves the original active until it
 * is itself activated, and counts the original's spending against the same all-time limit (types
 * Card.SpendingControls.spending_limits: "apply across any cards this card replaced"). Both cards are
 * canceled at the end and the capture refunded.
 */
async function replacementScenario(context: SimulationContext): Promise<ScenarioOutcome> {
  if (context.rules.unknownCards !== 'approve') {
    throw new Error(
      'scenario replacement: it makes its own cards, which the authorizer treats as unknown cards; ' +
        `the stack's issuing.authorizer.unknownCards is ${context.rules.unknownCards}, so it would decline them.`,
    );
  }
  const { card, purchase } = pick(context, 'replacement', approvedPurchase);
  const { stripe } = context;
  const on = { stripeAccount: card.account };
  const limit = purchase.amount + Math.max(1, Math.floor(purchase.amount / 2));
  const { funded, before } = await prepare(stripe, card, { ...purchase, amount: purchase.amount * 2 });
  const stackCard = await stripe.issuing.cards.retrieve(card.id, {}, on);
  const cardholder = typeof stackCard.cardholder === 'string' ? stackCard.cardholder : stackCard.cardholder.id;
  const controls = { spending_limits: [{ amount: limit, interval: 'all_time' as const }] };
  const original = await stripe.issuing.cards.create(
    {
      cardholder,
      currency: purchase.currency,
      type: 'virtual',
      financial_account: card.financialAccount,
      status: 'active',
      spending_controls: controls,
      metadata: { simulation: 'replacement' },
    },
    on,
  );
  const helpers = stripe.testHelpers.issuing.authorizations;
  const buy = (cardId: string, amount: number) =>
    helpers.create({ card: cardId, amount, currency: purchase.currency, merchant_data: merchant(purchase) }, on);
  const authorizations: Stripe.Issuing.Authorization[] = [];
  const transactions: Stripe.Issuing.Transaction[] = [];
  let replacement: Stripe.Issuing.Card | undefined;
  let originalBefore = original.status;
  let originalStatusAfterActivation = original.status;
  try {
    const spent = await buy(original.id, purchase.amount);
    authorizations.push(spent);
    if (spent.approved) {
      const captured = await helpers.capture(spent.id, {}, on);
      const capture = captured.transactions.find((t) => t.type === 'capture');
      if (capture) transactions.push(capture);
    }
    replacement = await stripe.issuing.cards.create(
      {
        currency: purchase.currency,
        type: 'virtual',
        financial_account: card.financialAccount,
        replacement_for: original.id,
        replacement_reason: 'damaged',
        spending_controls: controls,
        metadata: { simulation: 'replacement' },
      },
      on,
    );
    originalBefore = (await stripe.issuing.cards.retrieve(original.id, {}, on)).status;
    await stripe.issuing.cards.update(replacement.id, { status: 'active' }, on);
    originalStatusAfterActivation = (await stripe.issuing.cards.retrieve(original.id, {}, on)).status;
    // Over the limit only with what the original spent, then within what is left of it.
    authorizations.push(await buy(replacement.id, purchase.amount));
    const within = await buy(replacement.id, limit - purchase.amount);
    authorizations.push(within.approved ? await helpers.reverse(within.id, {}, on) : within);
    for (const capture of transactions.splice(0)) {
      transactions.push(capture, await stripe.testHelpers.issuing.transactions.refund(capture.id, {}, on));
    }
  } finally {
    if (replacement) await stripe.issuing.cards.update(replacement.id, { status: 'canceled' }, on);
    const left = await stripe.issuing.cards.retrieve(original.id, {}, on);
    if (left.status !== 'canceled') await stripe.issuing.cards.update(original.id, { status: 'canceled' }, on);
  }
  if (!replacement) throw new Error('scenario replacement: the replacement card was not created');
  const made = replacement;
  const originalAfter = await stripe.issuing.cards.retrieve(original.id, {}, on);
  const finals = await Promise.all(authorizations.map((a) => stripe.issuing.authorizations.retrieve(a.id, {}, on)));
  return {
    ...(await finish(stripe, 'replacement', card, purchase, {
      funded,
      before,
      authorizations: finals.map(summarizeAuthorization),
      transactions: transactions.map(summarizeTransaction),
    })),
    replacement: {
      original: original.id,
      replacement: made.id,
      reason: 'damaged',
      sameLast4: made.last4 === original.last4,
      originalBefore,
      originalAfter: originalStatusAfterActivation,
      replacedBy: typeof originalAfter.replaced_by === 'string' ? originalAfter.replaced_by : (originalAfter.replaced_by?.id ?? null),
      replacementFor: typeof made.replacement_for === 'string' ? made.replacement_for : (made.replacement_for?.id ?? null),
      limit,
    },
  };
}

interface PurchaseRun {
  stripe: Stripe;
  purchase: PlannedPurchase;
  on: Stripe.RequestOptions;
  /** Captures the whole authorization (closing it); returns the capture transaction. */
  capture(authorization: Stripe.Issuing.Authorization): Promise<Stripe.Issuing.Transaction>;
}

type AfterApproval = (
  run: PurchaseRun,
  authorization: Stripe.Issuing.Authorization,
) => Promise<{ transactions: TransactionSummary[]; disputes?: ScenarioResult['disputes'] }>;

/**
 * Funds the card's financial account to cover the purchase, asks for a test-helper authorization,
 * then (when approved and `afterApproval` is given) carries on; reads everything back at the end.
 */
async function withPurchase(
  context: SimulationContext,
  scenario: ScenarioName,
  plan: (card: SimulatedCard, rules: RuleSet) => PlannedPurchase | undefined,
  steps: { afterApproval?: AfterApproval; beforePurchase?: () => Promise<void>; cards?: SimulatedCard[] } = {},
): Promise<ScenarioOutcome> {
  const { afterApproval, beforePurchase, cards = context.cards } = steps;
  const { card, purchase } = pick({ ...context, cards }, scenario, plan);
  const { stripe } = context;
  const on = { stripeAccount: card.account };
  const { funded, before } = await prepare(stripe, card, purchase);
  await beforePurchase?.();
  const authorization = await stripe.testHelpers.issuing.authorizations.create(
    {
      card: card.id,
      amount: purchase.amount,
      currency: purchase.currency,
      merchant_data: merchant(purchase),
    },
    on,
  );
  const capture = async (pending: Stripe.Issuing.Authorization) => {
    const captured = await stripe.testHelpers.issuing.authorizations.capture(pending.id, {}, on);
    const [transaction] = captured.transactions.filter((t) => t.type === 'capture');
    if (!transaction) throw new Error(`capturing ${pending.id} returned no capture transaction`);
    return transaction;
  };
  const after =
    authorization.approved && afterApproval ? await afterApproval({ stripe, purchase, on, capture }, authorization) : { transactions: [] };
  const final = await stripe.issuing.authorizations.retrieve(authorization.id, {}, on);
  return finish(stripe, scenario, card, purchase, {
    funded,
    before,
    authorizations: [summarizeAuthorization(final)],
    transactions: after.transactions,
    disputes: after.disputes ?? [],
  });
}

function pick<P extends PlannedPurchase>(
  context: SimulationContext,
  scenario: ScenarioName,
  plan: (card: SimulatedCard, rules: RuleSet) => P | undefined,
): { card: SimulatedCard; purchase: P } {
  const planned = firstPlanned(context.cards, (card) => plan(card, context.rules));
  if (!planned) {
    throw new Error(
      `scenario ${scenario}: no card of the stack fits it (it needs an active card and cardholder, a financial account, ` +
        `and spending controls and authorizer rules that allow the purchase: ${context.cards.map((c) => c.name).join(', ') || 'no cards'}).`,
    );
  }
  return planned;
}

type AuthorizationCreateParams = Parameters<Stripe['testHelpers']['issuing']['authorizations']['create']>[0];
type MerchantCategory = NonNullable<NonNullable<AuthorizationCreateParams['merchant_data']>['category']>;

const merchant = (purchase: PlannedPurchase) => ({
  category: purchase.category as MerchantCategory,
  country: purchase.country,
  name: 'Simulated Merchant',
});

async function balance(stripe: Stripe, card: SimulatedCard, currency: string): Promise<Balance> {
  const fa = await stripe.treasury.financialAccounts.retrieve(card.financialAccount, {}, { stripeAccount: card.account });
  return { cash: fa.balance.cash[currency] ?? 0, outboundPending: fa.balance.outbound_pending[currency] ?? 0 };
}

/** Tops the financial account up to the purchase amount, so funds can never be why it is declined. */
async function prepare(stripe: Stripe, card: SimulatedCard, purchase: PlannedPurchase): Promise<{ funded: number; before: Balance }> {
  const current = await balance(stripe, card, purchase.currency);
  const funded = Math.max(0, purchase.amount - current.cash);
  if (funded === 0) return { funded, before: current };
  await stripe.testHelpers.treasury.receivedCredits.create(
    {
      financial_account: card.financialAccount,
      amount: funded,
      currency: purchase.currency,
      network: 'ach',
      description: 'Simulation funding',
    },
    { stripeAccount: card.account },
  );
  return { funded, before: await balance(stripe, card, purchase.currency) };
}

async function finish(
  stripe: Stripe,
  scenario: ScenarioName,
  card: SimulatedCard,
  purchase: PlannedPurchase,
  parts: Pick<ScenarioResult, 'funded' | 'before' | 'authorizations' | 'transactions'> & Partial<Pick<ScenarioResult, 'disputes'>>,
): Promise<ScenarioOutcome> {
  return {
    scenario,
    card: { name: card.name, id: card.id, account: card.account, financialAccount: card.financialAccount },
    purchase,
    disputes: [],
    ...parts,
    after: await balance(stripe, card, purchase.currency),
  };
}
