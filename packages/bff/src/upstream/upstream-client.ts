import type { z } from 'zod';
import type { HttpTransport } from '../runtime/http-transport.js';
import type { Logger } from '../runtime/logger.js';
import { backoffDelay, type Sleep } from '../runtime/timing.js';
import type { TokenProvider } from './token-provider.js';
import { UPSTREAM_ERROR_CODE, UpstreamError } from './upstream-error.js';
import { exchange, failureError, succeeded } from './upstream-exchange.js';
import {
  envelopeSchema,
  orderSchema,
  quickEnvelope,
  quickSession,
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
  sleep: Sleep;
  random: () => number;
  log: Logger;
}

/** How a call may be repeated after a transient failure. */
type RetryPolicy = 'safe' | 'never';

const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2000;

/**
 * The upstream buy-button API, typed. Every call has a time limit; reads are retried with
 * jittered backoff; a create is retried only because its `orderRef` makes it safe (a 409 on a
 * retry means the first attempt landed, so the session is read back instead). A 401 costs one
 * fresh login and one more attempt.
 */
export class UpstreamClient {
  readonly #options: UpstreamClientOptions;

  constructor(options: UpstreamClientOptions) {
    this.#options = options;
  }

  async createSession(input: UpstreamCreateSession): Promise<UpstreamSession> {
    const path = '/buy-button/sessions';
    const { retries, sleep, random } = this.#options;
    let lastError: UpstreamError | undefined;
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      if (attempt > 0) await sleep(backoffDelay(attempt, BACKOFF_BASE_MS, BACKOFF_CAP_MS, random));
      try {
        return await this.#call('POST', path, sessionSchema, input);
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        // Our orderRef is unique: a 409 after a lost answer is our own first attempt.
        if (
          lastError !== undefined &&
          err.code === UPSTREAM_ERROR_CODE.status &&
          err.status === 409
        ) {
          return this.#readBack(input.orderRef, err);
        }
        if (!err.transient) throw err;
        lastError = err;
        this.#logRetry(err, attempt);
      }
    }
    throw lastError ?? new UpstreamError(UPSTREAM_ERROR_CODE.unreachable, `POST ${path}`);
  }

  getSession(id: string): Promise<UpstreamSession> {
    return this.#read(`/buy-button/sessions/${encodeURIComponent(id)}`, sessionSchema);
  }

  getSessionByCode(code: string): Promise<UpstreamSession> {
    return this.#read(`/buy-button/sessions/conversion/${encodeURIComponent(code)}`, sessionSchema);
  }

  /** Cancels the session's active order. Not retried: a repeat would answer 404. */
  deleteSession(id: string): Promise<UpstreamSession> {
    return this.#call('DELETE', `/buy-button/sessions/${encodeURIComponent(id)}`, sessionSchema);
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
      await this.#call('GET', '/confirm_conversion/status/order/readyz-probe', orderSchema);
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

  async #read<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return this.#withRetries('safe', () => this.#call('GET', path, schema));
  }

  async #withRetries<T>(policy: RetryPolicy, run: () => Promise<T>): Promise<T> {
    const { retries, sleep, random } = this.#options;
    const attempts = policy === 'safe' ? retries + 1 : 1;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await run();
      } catch (err) {
        if (!(err instanceof UpstreamError) || !err.transient || attempt + 1 >= attempts) throw err;
        this.#logRetry(err, attempt);
        await sleep(backoffDelay(attempt + 1, BACKOFF_BASE_MS, BACKOFF_CAP_MS, random));
      }
    }
  }

  /** One call, plus one more with a fresh token if the first token was refused. */
  async #call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    const { tokens } = this.#options;
    const token = await tokens.getToken();
    try {
      return await this.#send(method, path, schema, token, body);
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.status !== 401 || !tokens.renewable) throw err;
      await tokens.invalidate(token);
      return this.#send(method, path, schema, await tokens.getToken(), body);
    }
  }

  async #send<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    token: string,
    body: unknown,
  ): Promise<z.output<S>> {
    const { apiUrl, transport, timeoutMs } = this.#options;
    const call = `${method} ${path}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const answer = await exchange(
      transport,
      {
        method,
        url: apiUrl + path,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs,
      },
      call,
    );
    if (!succeeded(answer)) throw failureError(UPSTREAM_ERROR_CODE.status, call, answer);
    const { json } = answer;
    const quick = quickRead(schema, json);
    if (quick !== undefined) return quick;
    const envelope = envelopeSchema.safeParse(json);
    const data = envelope.success ? schema.safeParse(envelope.data.data) : undefined;
    if (data === undefined || !data.success || envelope.data?.success === false) {
      throw new UpstreamError(UPSTREAM_ERROR_CODE.invalidResponse, call, {
        status: answer.status,
        ...(data?.error === undefined ? {} : { cause: data.error }),
      });
    }
    return data.data;
  }

  #logRetry(err: UpstreamError, attempt: number): void {
    this.#options.log({
      level: 'warn',
      msg: 'upstream call failed; retrying',
      call: err.call,
      code: err.code,
      status: err.status,
      attempt: attempt + 1,
    });
  }
}

/** A session answer read without zod when it has the usual shape (`quickSession`). */
function quickRead<S extends z.ZodType>(schema: S, json: unknown): z.output<S> | undefined {
  if ((schema as z.ZodType) !== sessionSchema) return undefined;
  const envelope = quickEnvelope(json);
  if (envelope === undefined || envelope.success === false) return undefined;
  return quickSession(envelope.data) as z.output<S> | undefined;
}
