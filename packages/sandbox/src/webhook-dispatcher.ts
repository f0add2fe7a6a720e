import type { Scheduler } from './scheduler.js';

/** The body POSTed to a session's `callbackUrl` on every state change. */
export interface WebhookPayload {
  code: string;
  status: 'PAID' | 'EXPIRED' | 'CANCELED' | 'ERROR';
  state: string;
  orderRef: string;
  sessionId: string;
  amount: string;
  currency: string;
}

/** The part of `fetch` webhooks need; a Hono app's `fetch` fits, sync or async. */
export type FetchLike = (
  input: string | URL | Request,
  init?: RequestInit,
) => Response | Promise<Response>;

/** Injected webhook faults, read once per event when it is dispatched. */
export interface WebhookFaults {
  /** Fraction (0..1) of events never sent: no attempt, no retry, as a lost gateway callback. */
  dropRate: number;
  /** Extra delay before an event's first attempt, in ms; retries keep their backoff after it. */
  delayMs: number;
}

export interface WebhookDispatcherOptions {
  fetch: FetchLike;
  schedule: Scheduler;
  /** Uniform [0, 1) source for the drop dice; drawn once per event, only when `dropRate > 0`. */
  random: () => number;
  /** Current webhook faults; each event takes the values in force when it is dispatched. */
  faults: () => WebhookFaults;
  /** Attempts per event, the first included. */
  maxAttempts: number;
  /** Delay before the 2nd attempt; each later one doubles it. */
  baseDelayMs: number;
  /** Per-attempt time limit, so a hanging receiver counts as a failed attempt. */
  timeoutMs: number;
  log: (message: string) => void;
}

export interface WebhookCounters {
  /** Events a receiver acknowledged with a 2xx. */
  delivered: number;
  /** Events given up after `maxAttempts` failures. */
  failed: number;
  /** Events dropped by the injected `dropRate`: never attempted. */
  dropped: number;
  /** HTTP attempts made, successful or not. */
  attempts: number;
  /** Events still being delivered (waiting for an attempt or a retry). */
  pending: number;
}

export interface WebhookDispatcher {
  /**
   * Queues delivery and returns at once: the caller's HTTP answer never waits for a webhook. The
   * event may be dropped (never sent) or delayed, as the faults in force at this call say.
   */
  dispatch(url: string, payload: WebhookPayload): void;
  /** Resolves when no delivery is pending, retries included. */
  whenIdle(): Promise<void>;
  counters(): WebhookCounters;
  /** Abandons every pending delivery and cancels its timer. */
  close(): void;
}

/**
 * Delivers each event on its own: first the drop dice (a dropped event is only counted), then
 * attempt 1 after `delayMs` (0 by default: right away, on the scheduler, after the response),
 * then retries after `baseDelayMs * 2^(n-2)` until a 2xx or `maxAttempts`.
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { fetch, schedule, random, faults, maxAttempts, baseDelayMs, timeoutMs, log } = options;
  const inFlight = new Set<Promise<void>>();
  const cancels = new Set<() => void>();
  let closed = false;
  const counts = { delivered: 0, failed: 0, dropped: 0, attempts: 0 };

  /** Resolves after `delayMs` on the scheduler, or `false` at once if the dispatcher closes. */
  const wait = (delayMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (closed) return resolve(false);
      let settled = false;
      const settle = (proceed: boolean): void => {
        if (settled) return;
        settled = true;
        cancels.delete(cancel);
        resolve(proceed && !closed);
      };
      const cancel = (): void => {
        cancelTimer();
        settle(false);
      };
      let cancelTimer: () => void = () => {};
      cancels.add(cancel);
      // A scheduler may run the task synchronously (tests do); `settle` copes with either order.
      cancelTimer = schedule(() => settle(true), delayMs);
    });

  const attempt = async (url: string, body: string): Promise<boolean> => {
    counts.attempts += 1;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'buy-button-sandbox' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Drain the body so keep-alive connections are reused.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return true;
      log(`sandbox: webhook ${url} answered ${response.status}`);
    } catch (err) {
      log(`sandbox: webhook ${url} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return false;
  };

  const deliver = async (
    url: string,
    payload: WebhookPayload,
    firstDelayMs: number,
  ): Promise<void> => {
    const body = JSON.stringify(payload);
    for (let n = 1; n <= maxAttempts; n += 1) {
      const delay = n === 1 ? firstDelayMs : baseDelayMs * 2 ** (n - 2);
      if (!(await wait(delay))) return;
      if (await attempt(url, body)) {
        counts.delivered += 1;
        return;
      }
    }
    counts.failed += 1;
    log(`sandbox: webhook ${url} given up after ${maxAttempts} attempts (${payload.status})`);
  };

  return {
    dispatch(url, payload) {
      if (closed) return;
      const { dropRate, delayMs } = faults();
      if (dropRate > 0 && random() < dropRate) {
        counts.dropped += 1;
        log(`sandbox: webhook ${url} dropped (${payload.status}, injected fault)`);
        return;
      }
      const delivery = deliver(url, payload, delayMs).finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    },

    async whenIdle() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },

    counters() {
      return { ...counts, pending: inFlight.size };
    },

    close() {
      closed = true;
      for (const cancel of cancels) cancel();
      cancels.clear();
    },
  };
}
