import type { CheckoutErrorCode } from './checkout-status.js';
import type { CreateSessionRequest, Problem, SessionCreated } from './wire.js';

/** Why an attempt failed; the element turns it into a localized message and an event. */
export interface CheckoutFailure {
  code: Exclude<CheckoutErrorCode, 'invalid-config'>;
  status?: number;
  problem?: Problem;
  /** Seconds to wait before trying again, from the answer's `Retry-After` (429, 409, 503). */
  retryAfter?: number;
}

/** Pause before the one retry after a network failure. */
export const RETRY_DELAY_MS = 300;

export type CreateSessionResult =
  | { ok: true; session: SessionCreated }
  | { ok: false; failure: CheckoutFailure };

export interface CreateSessionOptions {
  /**
   * The automatic retry reuses it so the BFF creates at most one session. The element also reuses
   * it for the shopper's next attempt at the same request when this one is `unsettled`.
   */
  idempotencyKey: string;
  /** Per request, in milliseconds. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * `POST <endpoint>/sessions`. A network failure (no answer at all) is retried once with the same
 * Idempotency-Key: the first request may have reached the BFF, and the key makes the retry return
 * that session instead of a second one. An HTTP error answer is not retried here: retrying a 4xx
 * cannot help, and a 5xx is the shopper's call to retry (with the same key: see `unsettled`).
 */
export async function createSession(
  endpoint: string,
  request: CreateSessionRequest,
  options: CreateSessionOptions,
): Promise<CreateSessionResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const url = `${endpoint.replace(/\/+$/, '')}/sessions`;
  for (let attempt = 1; ; attempt++) {
    const signal = AbortSignal.timeout?.(options.timeoutMs);
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        // No `Accept`: the BFF answers JSON, or a problem as `application/problem+json`, always.
        headers: {
          'content-type': 'application/json',
          'idempotency-key': options.idempotencyKey,
        },
        body: JSON.stringify(request),
        // The BFF needs no cookies; omitting them keeps CORS simple and leaks nothing.
        credentials: 'omit',
        signal,
      });
      const result = await readAnswer(response);
      // A body cut short by the timeout reads as garbage: report the timeout, not the garbage.
      if (result.ok || !signal?.aborted) return result;
    } catch {
      // No answer at all: below.
    }
    // No answer (or one cut short): a timeout, or a network failure once retried.
    if (signal?.aborted || attempt > 1) {
      return { ok: false, failure: { code: signal?.aborted ? 'timeout' : 'network' } };
    }
    // A short pause lets a blip (a proxy restarting, a network switch) pass before the retry.
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
  }
}

/**
 * Whether the BFF may have created, or may still be creating, a session under the failed
 * attempt's Idempotency-Key: no answer at all (`network`, `timeout`), a `409` (the same key still
 * in progress) or a 5xx (the BFF records no failure, and a gateway's 502/504 may hide a session
 * made behind it). The next attempt at the same request must then send the same key, so the BFF
 * replays that session instead of creating a second one. Any other answer (2xx that is not a
 * session, 4xx refusal, 429) is definite: the next attempt gets a fresh key.
 */
export function unsettled({ status = 504 }: CheckoutFailure): boolean {
  // No answer at all counts as a gateway timeout.
  return status === 409 || status > 499;
}

async function readAnswer(response: Response): Promise<CreateSessionResult> {
  const { status } = response;
  const body = await response.json().catch(() => undefined);
  if (response.ok) {
    const session = asSession(body);
    return session
      ? { ok: true, session }
      : { ok: false, failure: { code: 'unavailable', status } };
  }
  const failure: CheckoutFailure = { code: failureCode(status, body?.type), status };
  if (isRecord(body)) failure.problem = body as unknown as Problem;
  const retryAfter = secondsUntil(response.headers.get('retry-after'));
  if (retryAfter !== undefined) failure.retryAfter = retryAfter;
  return { ok: false, failure };
}

/** The BFF's problem types (`https://buy-button.dev/problems/<slug>`) the element tells apart. */
const BY_TYPE: Record<string, CheckoutFailure['code']> = {
  'forbidden-origin': 'origin-not-allowed',
  'unknown-button': 'unknown-button',
  'invalid-price': 'invalid-price',
  'price-out-of-range': 'invalid-price',
  'invalid-quantity': 'invalid-quantity',
  'price-mismatch': 'catalog-mismatch',
  'currency-mismatch': 'catalog-mismatch',
  'invalid-redirect-url': 'invalid-redirect-url',
};

/** Statuses that say enough alone (a problem body may be missing or unreadable). */
const BY_STATUS: Record<number, CheckoutFailure['code']> = {
  403: 'origin-not-allowed',
  409: 'in-progress',
  413: 'body-too-large',
  429: 'rate-limited',
};

/** An error answer's code: by problem type (its last path segment), else by status. */
export function failureCode(status: number, type?: unknown): CheckoutFailure['code'] {
  const slug = String(type).split('/').pop() as string;
  return (
    (Object.hasOwn(BY_TYPE, slug) ? BY_TYPE[slug] : undefined) ??
    BY_STATUS[status] ??
    (status < 500 ? 'rejected' : 'unavailable')
  );
}

/** `Retry-After` as whole seconds: delta-seconds or an HTTP date; `undefined` when absent. */
function secondsUntil(header: string | null): number | undefined {
  const seconds = header
    ? Math.ceil(+header >= 0 ? +header : (Date.parse(header) - Date.now()) / 1000)
    : Number.NaN;
  return seconds >= 0 ? seconds : seconds < 0 ? 0 : undefined;
}

const SESSION_FIELDS = [
  'sessionId',
  'orderRef',
  'conversionCode',
  'redirectUrl',
  'receipt',
] as const;

function asSession(value: unknown): SessionCreated | undefined {
  const session = value as SessionCreated;
  return isRecord(value) &&
    SESSION_FIELDS.every((field) => typeof value[field] === 'string') &&
    // The element navigates there: only ever to a web page, never to `javascript:` or the like.
    /^https?:\/\//i.test(session.redirectUrl)
    ? session
    : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
