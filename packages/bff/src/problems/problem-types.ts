/**
 * Every failure the BFF answers, with a stable `type` URI (`PROBLEM_BASE` + slug), its status and
 * title. Clients `switch` on `type`; `detail` is for people. The README lists them all.
 */
export const PROBLEM_BASE = 'https://buy-button.dev/problems/';

/** By kind; the slug of a kind is its name in kebab case (`priceOutOfRange`: `price-out-of-range`). */
export const PROBLEM = {
  invalidRequest: { status: 400, title: 'The request is invalid' },
  malformedBody: { status: 400, title: 'The request body cannot be read' },
  unsupportedMediaType: { status: 415, title: 'Send JSON or a form' },
  unknownButton: { status: 404, title: 'This button is not sold here' },
  invalidPrice: { status: 400, title: 'The amount is not valid' },
  priceOutOfRange: { status: 400, title: 'The amount is outside the allowed range' },
  invalidQuantity: { status: 400, title: 'The quantity is not allowed for this button' },
  priceMismatch: { status: 400, title: 'The price differs from the catalog price' },
  currencyMismatch: { status: 400, title: 'The currency differs from the catalog currency' },
  invalidRedirectUrl: { status: 400, title: 'The return or cancel URL is not allowed' },
  invalidIdempotencyKey: { status: 400, title: 'The Idempotency-Key header is not valid' },
  idempotencyKeyReused: {
    status: 422,
    title: 'This Idempotency-Key was used for a different request',
  },
  idempotencyInProgress: {
    status: 409,
    title: 'A request with this Idempotency-Key is still in progress',
  },
  forbiddenOrigin: { status: 403, title: 'Requests from this origin are not allowed' },
  receiptRequired: { status: 401, title: 'A receipt is required' },
  invalidReceipt: { status: 401, title: 'The receipt is invalid or expired' },
  receiptMismatch: { status: 403, title: 'The receipt is for another session' },
  sessionNotFound: { status: 404, title: 'Session not found' },
  rateLimited: { status: 429, title: 'Too many checkouts, try again later' },
  bodyTooLarge: { status: 413, title: 'The request body is too large' },
  notFound: { status: 404, title: 'Not found' },
  invalidWebhook: { status: 400, title: 'The callback carries no code' },
  upstreamRejected: { status: 400, title: 'The payment service refused the request' },
  upstreamError: { status: 502, title: 'The payment service answered with an error' },
  upstreamUnavailable: { status: 503, title: 'The payment service is unavailable' },
  upstreamTimeout: { status: 504, title: 'The payment service did not answer in time' },
  notReady: { status: 503, title: 'Not ready to take checkouts' },
  scriptUnavailable: { status: 503, title: 'The element bundle is not available' },
  storeUnavailable: { status: 503, title: 'The service is briefly unavailable' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEM;

/** `https://buy-button.dev/problems/price-out-of-range` */
export const problemType = (kind: ProblemKind): string =>
  PROBLEM_BASE + kind.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
