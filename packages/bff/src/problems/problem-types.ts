/**
 * Every failure the BFF answers, with a stable `type` URI (`PROBLEM_BASE` + slug), its status and
 * title. Clients `switch` on `type`; `detail` is for people. The README lists them all.
 */
export const PROBLEM_BASE = 'https://buy-button.dev/problems/';

export const PROBLEM = {
  invalidRequest: { slug: 'invalid-request', status: 400, title: 'The request is invalid' },
  malformedBody: { slug: 'malformed-body', status: 400, title: 'The request body cannot be read' },
  unsupportedMediaType: {
    slug: 'unsupported-media-type',
    status: 415,
    title: 'Send JSON or a form',
  },
  unknownButton: { slug: 'unknown-button', status: 404, title: 'This button is not sold here' },
  invalidPrice: { slug: 'invalid-price', status: 400, title: 'The amount is not valid' },
  priceOutOfRange: {
    slug: 'price-out-of-range',
    status: 400,
    title: 'The amount is outside the allowed range',
  },
  invalidQuantity: {
    slug: 'invalid-quantity',
    status: 400,
    title: 'The quantity is not allowed for this button',
  },
  priceMismatch: {
    slug: 'price-mismatch',
    status: 400,
    title: 'The price differs from the catalog price',
  },
  currencyMismatch: {
    slug: 'currency-mismatch',
    status: 400,
    title: 'The currency differs from the catalog currency',
  },
  invalidRedirectUrl: {
    slug: 'invalid-redirect-url',
    status: 400,
    title: 'The return or cancel URL is not allowed',
  },
  invalidIdempotencyKey: {
    slug: 'invalid-idempotency-key',
    status: 400,
    title: 'The Idempotency-Key header is not valid',
  },
  idempotencyKeyReused: {
    slug: 'idempotency-key-reused',
    status: 422,
    title: 'This Idempotency-Key was used for a different request',
  },
  idempotencyInProgress: {
    slug: 'idempotency-in-progress',
    status: 409,
    title: 'A request with this Idempotency-Key is still in progress',
  },
  forbiddenOrigin: {
    slug: 'forbidden-origin',
    status: 403,
    title: 'Requests from this origin are not allowed',
  },
  receiptRequired: {
    slug: 'receipt-required',
    status: 401,
    title: 'A receipt is required',
  },
  invalidReceipt: {
    slug: 'invalid-receipt',
    status: 401,
    title: 'The receipt is invalid or expired',
  },
  receiptMismatch: {
    slug: 'receipt-mismatch',
    status: 403,
    title: 'The receipt is for another session',
  },
  sessionNotFound: { slug: 'session-not-found', status: 404, title: 'Session not found' },
  rateLimited: { slug: 'rate-limited', status: 429, title: 'Too many checkouts, try again later' },
  bodyTooLarge: { slug: 'body-too-large', status: 413, title: 'The request body is too large' },
  notFound: { slug: 'not-found', status: 404, title: 'Not found' },
  invalidWebhook: { slug: 'invalid-webhook', status: 400, title: 'The callback carries no code' },
  upstreamRejected: {
    slug: 'upstream-rejected',
    status: 400,
    title: 'The payment service refused the request',
  },
  upstreamError: {
    slug: 'upstream-error',
    status: 502,
    title: 'The payment service answered with an error',
  },
  upstreamUnavailable: {
    slug: 'upstream-unavailable',
    status: 503,
    title: 'The payment service is unavailable',
  },
  upstreamTimeout: {
    slug: 'upstream-timeout',
    status: 504,
    title: 'The payment service did not answer in time',
  },
  notReady: { slug: 'not-ready', status: 503, title: 'Not ready to take checkouts' },
  scriptUnavailable: {
    slug: 'script-unavailable',
    status: 503,
    title: 'The element bundle is not available',
  },
  storeUnavailable: {
    slug: 'store-unavailable',
    status: 503,
    title: 'The service is briefly unavailable',
  },
  internal: { slug: 'internal', status: 500, title: 'Internal error' },
} as const satisfies Record<string, { slug: string; status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEM;

/** `https://buy-button.dev/problems/price-out-of-range` */
export const problemType = (kind: ProblemKind): string => PROBLEM_BASE + PROBLEM[kind].slug;
