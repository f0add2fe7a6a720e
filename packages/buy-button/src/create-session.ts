import type { CheckoutErrorCode } from './checkout-status.js';
import type { CreateSessionRequest, Problem, SessionCreated } from './wire.js';

/** Why an attempt failed; the element turns it into a localized message and an event. */
export interface CheckoutFailure {
  code: Exclude<CheckoutErrorCode, 'invalid-config'>;
  status?: number;
  problem?: Problem;
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
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, application/problem+json',
          'idempotency-key': options.idempotencyKey,
        },
        body: JSON.stringify(request),
        // The BFF needs no cookies; omitting them keeps CORS simple and leaks nothing.
        credentials: 'omit',
        signal,
      });
      const result = await readAnswer(response);
      // A body cut short by the timeout reads as garbage: report the timeout, not the garbage.
      return !result.ok && signal?.aborted ? { ok: false, failure: { code: 'timeout' } } : result;
    } catch {
      if (signal?.aborted) return { ok: false, failure: { code: 'timeout' } };
      if (attempt >= 2) return { ok: false, failure: { code: 'network' } };
      // A short pause lets a blip (a proxy restarting, a network switch) pass before the retry.
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
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
  if (response.ok) {
    const session = asSession(await response.json().catch(() => undefined));
    return session
      ? { ok: true, session }
      : { ok: false, failure: { code: 'unavailable', status } };
  }
  const problem = asProblem(await response.json().catch(() => undefined));
  const code =
    status === 429 ? 'rate-limited' : status >= 400 && status < 500 ? 'rejected' : 'unavailable';
  return { ok: false, failure: problem ? { code, status, problem } : { code, status } };
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

function asProblem(value: unknown): Problem | undefined {
  return isRecord(value) ? (value as unknown as Problem) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
