import type { z } from 'zod';
import type { HttpTransport } from '../runtime/http-transport.js';
import type { Logger } from '../runtime/logger.js';
import type { Sleep } from '../runtime/timing.js';
import type { TokenProvider } from './token-provider.js';
import { UPSTREAM_ERROR_CODE, UpstreamError } from './upstream-error.js';
import { exchange } from './upstream-exchange.js';
import {
  orderSchema,
  sessionSchema,
  type UpstreamCreateSession,
  type UpstreamOrder,
  type UpstreamSession,
} from './upstream-schemas.js';

export interface UpstreamClientOptions {
  /** API base, no trailing slash, e.g. `https://api.lyzi.fr/api`. */
  apiUrl: string;
  /**
   * How requests go out: keep-alive `node:http` agents on Node, the global `fetch` elsewhere;
   * tests route it into the sandbox app in-process.
   */
  transport: HttpTransport;
  tokens: TokenProvider;
  /** Per-attempt time limit. */
  timeoutMs: number;
  /** Extra attempts for calls that are safe to repeat. */
  retries: number;
  /** `CHECKOUT_TIMEOUT_MS`: a create, retries included, gives up after this. */
  checkoutDeadlineMs: number;
  now: () => number;
  sleep: Sleep;
  random: () => number;
  log: Logger;
}

const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2000;

/**
 * The upstream buy-button API, typed. Every call has a time limit; reads are retried with
 * jittered backoff; a create is retried only because its `orderRef` makes it safe (a 409 on a
 * retry means the first attempt landed, so the session is read back instead), and within one
 * deadline for the whole checkout. A 401 costs one fresh login and one more attempt.
 */
export class UpstreamClient {
  readonly #options: UpstreamClientOptions;

  constructor(options: UpstreamClientOptions) {
    this.#options = options;
  }

  /** Creates a session; retries included, it gives up after `checkoutDeadlineMs`. */
  createSession(input: UpstreamCreateSession): Promise<UpstreamSession> {
    const { now, checkoutDeadlineMs } = this.#options;
    return this.#retrying(
      (timeoutMs) => this.#call('POST', '/buy-button/sessions', sessionSchema, timeoutMs, input),
      now() + checkoutDeadlineMs,
      (conflict) => this.#readBack(input.orderRef, conflict),
    );
  }

  getSession(id: string): Promise<UpstreamSession> {
    return this.#read(`/buy-button/sessions/${encodeURIComponent(id)}`, sessionSchema);
  }

  getSessionByCode(code: string): Promise<UpstreamSession> {
    return this.#read(`/buy-button/sessions/conversion/${encodeURIComponent(code)}`, sessionSchema);
  }

  /** Cancels the session's active order. Not retried: a repeat would answer 404. */
  deleteSession(id: string): Promise<UpstreamSession> {
    const path = `/buy-button/sessions/${encodeURIComponent(id)}`;
    return this.#call('DELETE', path, sessionSchema, this.#options.timeoutMs);
  }

  getOrder(code: string): Promise<UpstreamOrder> {
    return this.#read(`/confirm_conversion/status/${encodeURIComponent(code)}`, orderSchema);
  }

  getOrderByRef(orderRef: string): Promise<UpstreamOrder> {
    return this.#read(
      `/confirm_conversion/status/order/${encodeURIComponent(orderRef)}`,
      orderSchema,
    );
  }

  /**
   * Readiness: a token can be had and an authenticated read gets an answer. An unknown orderRef
   * answering 404 proves both without touching real data.
   */
  async probe(): Promise<void> {
    try {
      const path = '/confirm_conversion/status/order/readyz-probe';
      await this.#call('GET', path, orderSchema, this.#options.timeoutMs);
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) return;
      throw err;
    }
  }

  async #readBack(orderRef: string, conflict: UpstreamError): Promise<UpstreamSession> {
    this.#options.log({
      level: 'info',
      msg: 'create retried after a lost answer; reading the session back',
      call: conflict.call,
    });
    const order = await this.getOrderByRef(orderRef);
    if (order.sessionId !== undefined) return this.getSession(order.sessionId);
    return this.getSessionByCode(order.code);
  }

  #read<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return this.#retrying(
      (timeoutMs) => this.#call('GET', path, schema, timeoutMs),
      Number.POSITIVE_INFINITY,
    );
  }

  /**
   * Runs `call` until it succeeds, fails for good, or its `retries + 1` attempts or its time run
   * out: no attempt starts past `deadline` (epoch ms) and the last one is cut short by it. A 409
   * on a retry means the first attempt landed though its answer was lost: `onConflictAfterRetry`.
   */
  async #retrying<T>(
    call: (timeoutMs: number) => Promise<T>,
    deadline: number,
    onConflictAfterRetry?: (conflict: UpstreamError) => Promise<T>,
  ): Promise<T> {
    const { timeoutMs, retries, sleep, random, now, log } = this.#options;
    let last: UpstreamError | undefined;
    for (let attempt = 0; attempt < retries + 1; attempt += 1) {
      if (attempt > 0) {
        // Full jitter: many clients retrying after one outage do not all come back at once.
        const wait = Math.floor(
          random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt),
        );
        if (now() + wait >= deadline) break;
        await sleep(wait);
      }
      const left = Math.min(timeoutMs, deadline - now());
      if (left <= 0) break;
      try {
        return await call(left);
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        const conflict = err.code === UPSTREAM_ERROR_CODE.status && err.status === 409;
        if (last !== undefined && onConflictAfterRetry !== undefined && conflict) {
          return onConflictAfterRetry(err);
        }
        if (!err.transient) throw err;
        last = err;
        log({
          level: 'warn',
          msg: 'upstream call failed; retrying',
          call: err.call,
          code: err.code,
          status: err.status,
          attempt: attempt + 1,
        });
      }
    }
    throw last ?? new UpstreamError(UPSTREAM_ERROR_CODE.timeout, 'checkout deadline');
  }

  /** One call, plus one more with a fresh token if the first token was refused. */
  async #call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    timeoutMs: number,
    body?: unknown,
  ): Promise<z.output<S>> {
    const { apiUrl, transport, tokens } = this.#options;
    const send = (token: string): Promise<z.output<S>> => {
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const request = {
        method,
        url: apiUrl + path,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs,
      };
      return exchange(transport, `${method} ${path}`, request, schema);
    };
    const token = await tokens.getToken();
    try {
      return await send(token);
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.status !== 401 || !tokens.renewable) throw err;
      await tokens.invalidate(token);
      return send(await tokens.getToken());
    }
  }
}
