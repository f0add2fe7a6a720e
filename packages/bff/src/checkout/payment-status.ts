import type { PaymentStatus } from '@buy-button/element/wire';

/** A Map, not an object: an upstream state such as `constructor` must not find a prototype's. */
const BY_STATE = new Map<string, PaymentStatus>([
  ['state:pending', 'pending'],
  ['state:executed', 'paid'],
  ['state:expired', 'expired'],
  ['state:canceled', 'canceled'],
  ['state:cancelled', 'canceled'],
  ['state:error', 'error'],
]);

/**
 * The shopper-facing status of an upstream order state. A state we do not know reads as
 * `pending`: never "paid" by accident, never "failed" for what may still succeed.
 */
export function paymentStatusOf(state: string | undefined): PaymentStatus {
  return (state === undefined ? undefined : BY_STATE.get(state.toLowerCase())) ?? 'pending';
}

/** Whether `state` is one we know (unknown ones are logged by callers). */
export function isKnownState(state: string): boolean {
  return BY_STATE.has(state.toLowerCase());
}
