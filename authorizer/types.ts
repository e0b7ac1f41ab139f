// The authorizer's vocabulary that config/ shares: the rule set a stack declares, the event Stripe sends,
// the log retention periods a deployment accepts. No imports: config/ (which reads stack files) and every
// authorizer module, the Lambda archive included, depend on it, and it on nothing.

/** The event Stripe sends a real-time authorizer; the only one it answers. */
export const AUTHORIZATION_REQUEST_EVENT = 'issuing_authorization.request';

/** One level of rules (the whole stack's default, one cardholder or one card). */
export interface AuthorizationRules {
  /** Decline every authorization this level applies to. */
  killSwitch?: boolean;
  /** Largest amount one authorization may hold, in the card currency's minor units. */
  maxAmount?: number;
  /** Merchant categories (Stripe names such as `taxicabs_limousines`); at most one of allowed/blocked. */
  allowedCategories?: string[];
  blockedCategories?: string[];
  /** Merchant countries as ISO 3166-1 alpha-2 codes; at most one of allowed/blocked. */
  allowedCountries?: string[];
  blockedCountries?: string[];
}

/** What a card that is not one of this stack's gets: `approve` (Stripe's own controls still apply) or `decline`. */
export type UnknownCardsPolicy = 'approve' | 'decline';
export const UNKNOWN_CARDS_POLICIES: readonly UnknownCardsPolicy[] = ['approve', 'decline'];

export interface RuleSet {
  /** The Pulumi stack the rules belong to: its cards carry it as `pulumi_stack` metadata. */
  stack: string;
  /** Cards of other stacks, other accounts, or made outside Pulumi. */
  unknownCards: UnknownCardsPolicy;
  /** The connected account of every card and cardholder the stack declares, by resource name. */
  accounts: { cards: Record<string, string>; cardholders: Record<string, string> };
  /** Decline every authorization on the stack. */
  killSwitch?: boolean;
  /** Rules for cardholders that have no entry of their own. */
  default?: AuthorizationRules;
  cardholders: Record<string, AuthorizationRules>;
  cards: Record<string, AuthorizationRules>;
}

/** The metadata keys holding a card's or cardholder's Pulumi resource name and stack. */
export const PULUMI_NAME_METADATA_KEY = 'pulumi_name';
export const PULUMI_STACK_METADATA_KEY = 'pulumi_stack';

/** The retention periods CloudWatch Logs accepts (0, "never expire", is deliberately not offered). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];
