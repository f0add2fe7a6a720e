/**
 * Where one checkout attempt stands. `render()` reads it; nothing is ever thrown into the template.
 *
 * idle ──click──▶ creating ──201──▶ redirecting (navigation under way)
 *                    │  └─201, page handled the redirect──▶ idle
 *                    └─failure──▶ error ──click──▶ creating …
 */
export const CheckoutStatus = {
  Idle: 'idle',
  Creating: 'creating',
  Redirecting: 'redirecting',
  Error: 'error',
} as const;
export type CheckoutStatus = (typeof CheckoutStatus)[keyof typeof CheckoutStatus];

/** Stable codes of `buy-button-error`, so pages can `switch (event.detail.code)`. */
export const CheckoutErrorCode = {
  /** `button` or `endpoint` missing or unusable: fix the markup. */
  InvalidConfig: 'invalid-config',
  /** The BFF could not be reached, twice (one automatic retry with the same Idempotency-Key). */
  Network: 'network',
  /** No answer within the element's `timeout`. */
  Timeout: 'timeout',
  /** The BFF refused the request (4xx other than 429): unknown button, amount out of range… */
  Rejected: 'rejected',
  /** Too many attempts from this shopper (429). */
  RateLimited: 'rate-limited',
  /** The BFF or the payment gateway is failing (5xx, or an answer that is not a session). */
  Unavailable: 'unavailable',
} as const;
export type CheckoutErrorCode = (typeof CheckoutErrorCode)[keyof typeof CheckoutErrorCode];
