// What handlers need beyond the request: the emulator's settings and its event bus.
import type { EventBus } from './events';

export type Activation = 'instant' | 'pending';

export interface Runtime {
  /** Whether capabilities and financial-account features activate at once or wait for a test control. */
  activation: Activation;
  /** Whether the platform itself is onboarded to Issuing (else `card_issuing` requests fail). */
  platformIssuing: boolean;
  /** The emulator's own base URL (known once it listens): where the links it hands out point. */
  baseUrl: string;
  events: EventBus;
}
