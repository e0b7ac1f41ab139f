// Each scenario leaves every financial account of the stack's cards with the cash it had before the
// scenario, so a later `pulumi destroy` can close them (Stripe closes only empty financial accounts).
// What the run added (funding, refunds, declined purchases' funding) goes out with a received debit;
// what it took from money that was already there comes back with a received credit. Both are Stripe
// test helpers: `simulate()` has refused live stacks and keys before any call.
import type Stripe from 'stripe';

export interface CashAccount {
  account: string;
  financialAccount: string;
}

/** Cash per currency on each financial account, read before a scenario. */
export interface CashSnapshot extends CashAccount {
  cash: Record<string, number>;
}

/** One financial account's cash in one currency, put back to what it was before a scenario. */
export interface CashRestore {
  financialAccount: string;
  currency: string;
  /** Cash before the scenario (before any funding), as the scenario left it, and after it was put back. */
  cashBefore: number;
  cashLeft: number;
  cashAfter: number;
  /** The test-helper flow that moved the difference back; `change` is what it did to the cash. */
  flow: { type: 'received_debit' | 'received_credit'; id: string; change: number; status: string; failureCode: string | null };
}

/** The financial accounts of `cards`, each once. */
export function cashAccounts(cards: readonly CashAccount[]): CashAccount[] {
  const seen = new Map<string, CashAccount>();
  for (const { account, financialAccount } of cards) seen.set(`${account}/${financialAccount}`, { account, financialAccount });
  return [...seen.values()];
}

async function cashOf(stripe: Stripe, target: CashAccount): Promise<Record<string, number>> {
  const fa = await stripe.treasury.financialAccounts.retrieve(target.financialAccount, {}, { stripeAccount: target.account });
  return { ...fa.balance.cash };
}

export async function snapshotCash(stripe: Stripe, targets: readonly CashAccount[]): Promise<CashSnapshot[]> {
  return Promise.all(targets.map(async (target) => ({ ...target, cash: await cashOf(stripe, target) })));
}

/** Moves each financial account's cash back to its snapshot; one CashRestore per account and currency that differed. */
export async function restoreCash(stripe: Stripe, snapshots: readonly CashSnapshot[]): Promise<CashRestore[]> {
  const cashRestores: CashRestore[] = [];
  for (const snapshot of snapshots) {
    const left = await cashOf(stripe, snapshot);
    for (const currency of Object.keys({ ...snapshot.cash, ...left })) {
      const cashBefore = snapshot.cash[currency] ?? 0;
      const cashLeft = left[currency] ?? 0;
      if (cashLeft === cashBefore) continue;
      const flow = await moveCash(stripe, snapshot, currency, cashBefore - cashLeft);
      const cashAfter = (await cashOf(stripe, snapshot))[currency] ?? 0;
      cashRestores.push({ financialAccount: snapshot.financialAccount, currency, cashBefore, cashLeft, cashAfter, flow });
    }
  }
  return cashRestores;
}

async function moveCash(stripe: Stripe, target: CashAccount, currency: string, change: number): Promise<CashRestore['flow']> {
  const params = {
    financial_account: target.financialAccount,
    amount: Math.abs(change),
    currency,
    network: 'ach' as const,
    description: 'Simulation: cash back to what it was before the run',
  };
  const on = { stripeAccount: target.account };
  if (change < 0) {
    const debit = await stripe.testHelpers.treasury.receivedDebits.create(params, on);
    return { type: 'received_debit', id: debit.id, change, status: debit.status, failureCode: debit.failure_code };
  }
  const credit = await stripe.testHelpers.treasury.receivedCredits.create(params, on);
  return { type: 'received_credit', id: credit.id, change, status: credit.status, failureCode: credit.failure_code };
}

/**
 * Runs `scenario` between a snapshot and a restore of the accounts' cash. The cash is restored also when
 * the scenario fails; its error is then thrown (with the restore's, if that failed too).
 */
export async function withCashRestored<R>(
  stripe: Stripe,
  targets: readonly CashAccount[],
  scenario: () => Promise<R>,
): Promise<{ result: R; cashRestores: CashRestore[] }> {
  const snapshots = await snapshotCash(stripe, targets);
  let result: R;
  try {
    result = await scenario();
  } catch (error) {
    await restoreCash(stripe, snapshots).catch((restoreError: Error) => {
      throw new Error(`${(error as Error).message}\n(putting the financial accounts' cash back also failed: ${restoreError.message})`);
    });
    throw error;
  }
  return { result, cashRestores: await restoreCash(stripe, snapshots) };
}
