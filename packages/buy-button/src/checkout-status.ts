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

/**
 * Stable codes of `buy-button-error`, so pages can `switch (event.detail.code)`. Each names what
 * someone has to do differently: the merchant (fix the markup or the BFF's settings), or the
 * shopper (try again, wait, enter another amount). The BFF's problem `type` (in `problem`) is
 * finer still.
 */
export const CheckoutErrorCode = {
  /** `button` or `endpoint` missing or unusable: fix the markup. */
  InvalidConfig: 'invalid-config',
  /** The BFF could not be reached, twice (one automatic retry with the same Idempotency-Key). */
  Network: 'network',
  /** No answer within the element's `timeout`. */
  Timeout: 'timeout',
  /** `403` `forbidden-origin`: the page's origin is not in the BFF's `ALLOWED_ORIGINS`. */
  OriginNotAllowed: 'origin-not-allowed',
  /** `404` `unknown-button`: the `button` id is not in the BFF's catalog (`BUTTONS`). */
  UnknownButton: 'unknown-button',
  /** `400` `invalid-price` or `price-out-of-range`: the (open) amount is not accepted. */
  InvalidPrice: 'invalid-price',
  /**
   * `quantity` is not a whole number from 1 (nothing sent), or `400` `invalid-quantity`: more
   * than the button's `maxQuantity`.
   */
  InvalidQuantity: 'invalid-quantity',
  /** `reference` is not 1 to 64 of `[A-Za-z0-9._:-]`: nothing sent; fix the markup. */
  InvalidReference: 'invalid-reference',
  /** `400` `price-mismatch` or `currency-mismatch`: `price`/`currency` differ from the catalog's. */
  CatalogMismatch: 'catalog-mismatch',
  /** `400` `invalid-redirect-url`: `return-url`/`cancel-url` refused (`ALLOWED_REDIRECT_ORIGINS`). */
  InvalidRedirectUrl: 'invalid-redirect-url',
  /** `409` `idempotency-in-progress`: this checkout is still being made; the next click reuses its key. */
  InProgress: 'in-progress',
  /** `413` `body-too-large`: the request is over the BFF's body limit (very long URLs or name). */
  BodyTooLarge: 'body-too-large',
  /** `429` `rate-limited`: too many attempts from this shopper; `retryAfter` says how long to wait. */
  RateLimited: 'rate-limited',
  /** Any other 4xx refusal (`invalid-request`, `upstream-rejected`, a wrong `endpoint`'s 404…). */
  Rejected: 'rejected',
  /** 5xx: the BFF or the payment service is failing or down; or a 2xx that is not a session. */
  Unavailable: 'unavailable',
} as const;
export type CheckoutErrorCode = (typeof CheckoutErrorCode)[keyof typeof CheckoutErrorCode];
