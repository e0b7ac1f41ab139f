/**
 * The `stripe-issuing:issuing` setting as config/stack.schema.json describes it. Resource fields use
 * the provider's argument names, so a stack-file path is also the path of the resource argument.
 */
import type { AuthorizationRules, LogRetentionDays, UnknownCardsPolicy } from '../authorizer/types';
import type { BaseInputs } from '../provider/engine/spec';
import type { CardInputs } from '../provider/resources/card';
import type { CardholderInputs } from '../provider/resources/cardholder';
import type { Feature } from '../provider/resources/financialAccountFeatures';
import type { TosAcceptanceInputs, TosProduct } from '../provider/resources/tosAcceptance';

export type Mode = 'test' | 'live';

/** Settings that steer the program rather than describe a Stripe object. */
interface Lifecycle {
  /** Pulumi's `retainOnDelete`: removal from the file only drops the object from the stack. */
  retainOnDelete?: boolean;
}

/**
 * What the provider's inputs hold apart from the account, hidden inputs and references to other
 * objects; `metadata` and `adoptId` (take over an existing object) are the stack file's to give.
 */
type Declared<T, References extends string = never> = Omit<T, Exclude<keyof BaseInputs, 'metadata' | 'adoptId'> | References>;

/** `adoptId` as every managed object has it in the file. */
type Adoptable = Pick<BaseInputs, 'adoptId'>;

export interface CardConfig extends Lifecycle, Partial<Declared<CardInputs, 'cardholder' | 'financialAccount'>> {
  authorization?: AuthorizationRules;
}

export interface CardholderConfig
  extends Lifecycle,
    Declared<CardholderInputs, 'type' | 'status'>,
    Partial<Pick<CardholderInputs, 'type' | 'status'>> {
  authorization?: AuthorizationRules;
  cards?: Record<string, CardConfig>;
}

export interface FinancialAccountConfig extends Lifecycle, Adoptable {
  /** An existing financial account: only its features are managed (with `adoptId` instead, it is managed here). */
  id?: string;
  supportedCurrencies?: string[];
  nickname?: string;
  features?: Feature[];
  platformRestrictions?: { inboundFlows?: 'restricted' | 'unrestricted'; outboundFlows?: 'restricted' | 'unrestricted' };
  metadata?: Record<string, string>;
}

/** A terms-of-service acceptance as the stack file records it (see provider/tosAcceptance.ts). */
export type TosAcceptanceConfig = Pick<TosAcceptanceInputs, 'date' | 'ip' | 'userAgent'>;

export interface AccountConfig {
  id: string;
  capabilities?: string[];
  /** Per product, the account holder's acceptance of its terms, recorded by the platform. */
  tosAcceptance?: Partial<Record<TosProduct, TosAcceptanceConfig>>;
  /** Unrequest capabilities and features when they leave the stack; default: they stay requested. */
  unrequestOnRemove?: boolean;
  financialAccount?: FinancialAccountConfig;
  cardholders?: Record<string, CardholderConfig>;
}

export interface WebhookEndpointConfig extends Adoptable {
  url: string;
  enabledEvents: string[];
  connect?: boolean;
  description?: string;
  apiVersion?: string;
  metadata?: Record<string, string>;
}

export interface AuthorizerConfig {
  enabled?: boolean;
  target?: 'local' | 'aws-lambda';
  /** local: loopback port of the handler (the webhook endpoint's URL). */
  port?: number;
  /** aws-lambda settings. */
  logRetentionDays?: LogRetentionDays;
  memorySize?: number;
  reservedConcurrency?: number;
  /** aws-lambda: the webhook endpoint's API version (required: see authorizer/deploy.ts). */
  apiVersion?: string;
  killSwitch?: boolean;
  defaultRules?: AuthorizationRules;
  /** Cards that are not this stack's; default `decline` on live stacks, `approve` on test stacks. */
  unknownCards?: UnknownCardsPolicy;
}

/** Stripe-hosted onboarding (`npm run onboarding-link`): where Stripe sends the account holder. */
export interface OnboardingConfig {
  returnUrl: string;
  refreshUrl: string;
}

export interface IssuingConfig {
  onboarding?: OnboardingConfig;
  /** Default: true on live stacks. */
  protectCards?: boolean;
  accounts: Record<string, AccountConfig>;
  webhookEndpoints?: Record<string, WebhookEndpointConfig>;
  authorizer?: AuthorizerConfig;
}
