/**
 * Checks the schema cannot express: the provider's own argument validators run on every planned
 * resource (real country and currency codes, names printed on cards, metadata limits, …), and rules
 * that span entries (unique resource names, cards drawing on a financial account that issues cards).
 */

import { UNKNOWN } from '../provider/canonical';
import { checkInputs } from '../provider/engine/check-diff';
import type { BaseInputs, ResourceSpec } from '../provider/engine/spec';
import { REGISTRY } from '../provider/resources/registry';
import { categoryList, countryCode, type Failures } from '../provider/validation';
import { renderPath } from './paths';
import {
  argumentPath,
  IdOf,
  keyOf,
  LOCAL_AUTHORIZER_WEBHOOK,
  type PlannedResource,
  planIssuing,
  type ResourceKey,
  type ResourceKind,
} from './plan';
import { prerequisiteProblems } from './prerequisites';
import { apiBaseProblems } from './safety';
import type { Problem } from './schema';
import type { IssuingConfig, Mode } from './types';

/** The provider's own pure `check` of a resource kind. */
const checkAs = (kind: ResourceKind, inputs: Loose) =>
  checkInputs(REGISTRY[kind].spec as unknown as ResourceSpec<BaseInputs, BaseInputs, unknown>, inputs).failures ?? [];

type Loose = Record<string, unknown>;
const loose = (value: unknown): Loose => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : {});

/** `mode` is the stack document's (config/validate.ts reads it). */
export function domainProblems(document: unknown, mode: Mode): Problem[] {
  const config = loose(loose(document).config);
  const issuing = loose(config['stripe-issuing:issuing']) as unknown as IssuingConfig;
  const plan = planIssuing(issuing, { mode });
  return [
    ...duplicateNames(plan),
    ...duplicateAccountIds(issuing),
    ...duplicateAdoptions(plan),
    ...plan.flatMap(providerProblems),
    ...plan.filter((planned) => planned.kind === 'Card').flatMap((card) => cardFundingProblems(card, plan)),
    ...prerequisiteProblems(issuing),
    ...authorizationRuleProblems(issuing, plan),
    ...liveLocalAuthorizerProblems(issuing, mode),
    ...liveWebhookProblems(plan, mode),
    ...unpinnedAuthorizerVersionProblems(issuing),
    ...apiBaseProblems(mode, {
      value: config['stripe-issuing:stripeApiBase'],
      origin: renderPath(['config', 'stripe-issuing:stripeApiBase']),
    }),
  ];
}

/**
 * Stripe's webhooks guide: a publicly accessible endpoint must be HTTPS (plain HTTP only while developing
 * locally). The local authorizer's own endpoint is reported by liveLocalAuthorizerProblems.
 */
function liveWebhookProblems(plan: PlannedResource[], mode: Mode): Problem[] {
  if (mode !== 'live') return [];
  return plan
    .filter(
      (p) =>
        p.kind === 'WebhookEndpoint' &&
        p.name !== LOCAL_AUTHORIZER_WEBHOOK &&
        typeof p.args.url === 'string' &&
        p.args.url.startsWith('http:'),
    )
    .map((p) => ({
      path: argumentPath(p, 'url'),
      message: 'must be an https URL on a live stack: Stripe sends live events only to HTTPS endpoints',
    }));
}

/** Stripe only calls public HTTPS URLs: the loopback authorizer serves the offline emulator, never live. */
function liveLocalAuthorizerProblems(issuing: IssuingConfig, mode: Mode): Problem[] {
  if (mode !== 'live' || !issuing.authorizer?.enabled || (issuing.authorizer.target ?? 'local') !== 'local') return [];
  return [
    {
      path: renderPath(['config', 'stripe-issuing:issuing', 'authorizer', 'target']),
      message: 'is "local" (a loopback URL only the offline emulator can call) on a live stack: use aws-lambda, or disable the authorizer',
    },
  ];
}

/** The Lambda's endpoint must not follow the stripe package's version: an upgrade would replace it (and its secret). */
function unpinnedAuthorizerVersionProblems(issuing: IssuingConfig): Problem[] {
  const authorizer = issuing.authorizer;
  if (!authorizer?.enabled || authorizer.target !== 'aws-lambda' || authorizer.apiVersion !== undefined) return [];
  return [
    {
      path: renderPath(['config', 'stripe-issuing:issuing', 'authorizer', 'apiVersion']),
      message:
        "is required with target aws-lambda: pin the webhook endpoint's Stripe API version (e.g. 2026-10-28.endive); " +
        'changing it later replaces the endpoint and its signing secret',
    },
  ];
}

/** Two entries whose logical names join to the same resource name (`a` + `b-c` and `a-b` + `c`). */
function duplicateNames(plan: PlannedResource[]): Problem[] {
  const firstPath = new Map<ResourceKey, string>();
  const problems: Problem[] = [];
  for (const planned of plan) {
    const path = renderPath(planned.path);
    const first = firstPath.get(keyOf(planned));
    if (first === undefined) firstPath.set(keyOf(planned), path);
    else
      problems.push({
        path,
        message: `makes the ${planned.kind} resource name "${planned.name}", which ${first} already makes; rename one of them`,
      });
  }
  return problems;
}

function duplicateAccountIds(issuing: IssuingConfig): Problem[] {
  const firstName = new Map<unknown, string>();
  const problems: Problem[] = [];
  for (const [name, account] of Object.entries(loose(issuing.accounts))) {
    const id = loose(account).id;
    if (typeof id !== 'string') continue;
    const first = firstName.get(id);
    if (first === undefined) firstName.set(id, name);
    else
      problems.push({
        path: renderPath(['config', 'stripe-issuing:issuing', 'accounts', name, 'id']),
        message: `${id} is already declared as accounts.${first}: declare each connected account once`,
      });
  }
  return problems;
}

/** Two entries taking over the same Stripe object would both manage it, each undoing the other's changes. */
function duplicateAdoptions(plan: PlannedResource[]): Problem[] {
  const first = new Map<unknown, PlannedResource>();
  const problems: Problem[] = [];
  for (const planned of plan) {
    const id = planned.args.adoptId;
    if (typeof id !== 'string') continue;
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, planned);
    else
      problems.push({
        path: argumentPath(planned, 'adoptId'),
        message: `${id} is already adopted by ${argumentPath(earlier, 'adoptId')}: adopt each object once`,
      });
  }
  return problems;
}

/** The provider's `check` on the resource as the program will declare it; other resources' IDs are unknown yet. */
function providerProblems(planned: PlannedResource): Problem[] {
  const args = Object.fromEntries(Object.entries(planned.args).map(([key, value]) => [key, value instanceof IdOf ? UNKNOWN : value]));
  const failures = checkAs(planned.kind, { ...args, pulumiStack: 'validate', pulumiName: planned.name });
  return failures.map((failure) => ({ path: argumentPath(planned, failure.property), message: failure.reason }));
}

/** A card draws on its account's financial account, which must request the card_issuing feature. */
function cardFundingProblems(card: PlannedResource, plan: PlannedResource[]): Problem[] {
  const funding = card.args.financialAccount;
  if (funding === undefined) {
    return [
      {
        path: renderPath([...card.path.slice(0, -4), 'financialAccount']),
        message:
          'is required when the account has cards: they draw on it (a managed one with supportedCurrencies, or an existing one by id)',
      },
    ];
  }
  const managed = funding instanceof IdOf ? plan.find((p) => keyOf(p) === funding.key) : undefined;
  const features = plan.find((p) => p.kind === 'FinancialAccountFeatures' && card.dependsOn.includes(keyOf(p)));
  const problems: Problem[] = [];
  const requested = features?.args.features;
  if ((managed !== undefined || features !== undefined) && !(Array.isArray(requested) && requested.includes('card_issuing'))) {
    const path = features?.path ?? [...(managed as PlannedResource).path, 'features'];
    problems.push({
      path: renderPath(path),
      message: 'must include card_issuing: this account has cards that draw on the financial account',
    });
  }
  const currencies = managed?.args.supportedCurrencies;
  // An empty list is the schema's to report.
  if (Array.isArray(currencies) && currencies.length > 0 && !currencies.includes(card.args.currency)) {
    problems.push({
      path: argumentPath(card, 'currency'),
      message: `must be one of the financial account's supportedCurrencies (${currencies.join(', ')}); cards default to usd`,
    });
  }
  return problems;
}

/** The authorizer's rules name real ISO countries and Stripe's merchant categories, like Stripe's own controls. */
function authorizationRuleProblems(issuing: IssuingConfig, plan: PlannedResource[]): Problem[] {
  const levels = [
    ...plan.filter((p) => p.authorization !== undefined).map((p) => ({ path: [...p.path, 'authorization'], rules: p.authorization })),
    { path: ['config', 'stripe-issuing:issuing', 'authorizer', 'defaultRules'], rules: loose(issuing.authorizer).defaultRules },
  ];
  const failures: Failures = [];
  for (const { path, rules } of levels) {
    for (const key of ['allowedCountries', 'blockedCountries']) {
      const countries = loose(rules)[key];
      if (!Array.isArray(countries)) continue;
      countries.forEach((country, index) => {
        countryCode(failures, `${renderPath(path)}.${key}[${index}]`, country, true);
      });
    }
    for (const key of ['allowedCategories', 'blockedCategories']) {
      if (loose(rules)[key] !== undefined) categoryList(failures, `${renderPath(path)}.${key}`, loose(rules)[key]);
    }
  }
  return failures.map((failure) => ({ path: failure.property, message: failure.reason }));
}
