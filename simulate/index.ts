/**
 * `npm run simulate`: test-mode purchases on a stack's cards (see docs/authorizer.md, Simulations).
 * `simulate()` is what the command runs; the end-to-end test calls it the same way.
 */
import type Stripe from 'stripe';
import { stripeClient } from '../provider/client';
import type { ScenarioName } from './arguments';
import { type SimulationCard, simulationCards } from './cards';
import { cashAccounts, withCashRestored } from './cash-restore';
import type { ScenarioResult } from './result';
import { SCENARIO_RUNNERS, type SimulatedCard } from './scenarios';
import { loadSimulationStack, stackResourceIds } from './stack';

export { parseSimulateArguments, SCENARIOS, type ScenarioName } from './arguments';
export type { CashRestore } from './cash-restore';
export { unexpectedOutcomes } from './expectations';
export { SimulationRefused } from './guard';
export { formatScenarioResult } from './report';
export type { ScenarioResult } from './result';

export interface SimulateOptions {
  stack: string;
  scenarios: ScenarioName[];
  /** The project directory: its `stacks/` folder and the Pulumi project whose outputs are read. */
  cwd: string;
  /** STRIPE_API_KEY, STRIPE_API_BASE and the Pulumi backend settings come from here. */
  env: NodeJS.ProcessEnv;
  /** Called with each result as soon as its scenario is done. */
  onResult?: (result: ScenarioResult) => void;
}

/**
 * Runs the scenarios one after the other on the stack's cards; refuses live mode before any call. After
 * each one, the financial accounts' cash is put back to what it was before it (cash-restore.ts).
 */
export async function simulate(options: SimulateOptions): Promise<ScenarioResult[]> {
  const simulationStack = loadSimulationStack(options.stack, options.cwd, options.env);
  const ids = await stackResourceIds(options.stack, { cwd: options.cwd, env: options.env });
  const stripe = stripeClient(simulationStack.settings);
  const cards = await Promise.all(simulationCards(simulationStack.plan, ids).map((card) => simulatedCard(stripe, card)));
  const context = { stripe, rules: simulationStack.rules, cards: cards.filter((card): card is SimulatedCard => card !== undefined) };
  const accounts = cashAccounts(context.cards);
  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios) {
    const run = await withCashRestored(stripe, accounts, () => SCENARIO_RUNNERS[scenario](context));
    const result = { ...run.result, cashRestores: run.cashRestores };
    options.onResult?.(result);
    results.push(result);
  }
  return results;
}

/** The card as Stripe has it now (status, controls, cardholder); undefined without a financial account. */
async function simulatedCard(stripe: Stripe, card: SimulationCard): Promise<SimulatedCard | undefined> {
  if (card.financialAccount === null) return undefined;
  const stored = await stripe.issuing.cards.retrieve(card.id, {}, { stripeAccount: card.account });
  const cardholder = stored.cardholder;
  const controls = [stored.spending_controls, cardholder.spending_controls].filter(
    (c) => c !== null,
  ) as unknown as SimulatedCard['controls'];
  return {
    ...card,
    financialAccount: card.financialAccount,
    currency: stored.currency,
    usable: stored.status === 'active' && cardholder.status === 'active',
    controls,
  };
}
