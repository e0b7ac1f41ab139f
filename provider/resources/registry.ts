/**
 * Every resource type, once: its spec, class, provider and review rules (engine/resource-class.ts,
 * `Registration`). The stack-file plan, the program, its checks, the review, the compiled package's
 * entries and the generated schema and docs read this table. A new type is its own file plus one line here.
 */
import { accountCapability } from './accountCapability';
import { card } from './card';
import { cardholder } from './cardholder';
import { financialAccount } from './financialAccount';
import { financialAccountFeatures } from './financialAccountFeatures';
import { tosAcceptance } from './tosAcceptance';
import { webhookEndpoint } from './webhookEndpoint';

/** In the order a stack declares them: each after those it may wait for. */
export const REGISTRY = {
  TosAcceptance: tosAcceptance,
  AccountCapability: accountCapability,
  FinancialAccount: financialAccount,
  FinancialAccountFeatures: financialAccountFeatures,
  Cardholder: cardholder,
  Card: card,
  WebhookEndpoint: webhookEndpoint,
} as const;

export type ResourceType = keyof typeof REGISTRY;
export const RESOURCE_TYPES = Object.keys(REGISTRY) as ResourceType[];
