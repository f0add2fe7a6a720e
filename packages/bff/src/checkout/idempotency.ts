import type { CreateSessionRequest, SessionCreated } from '@buy-button/element/wire';
import { ProblemError } from '../problems/problem-error.js';
import type { SharedStore } from '../store/shared-store.js';

/** A replayed answer is the same for 24 h, as the contract promises. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How much longer than the checkout's deadline a key stays claimed: the time to record the answer
 * once the upstream work is over. A request that never finishes (its instance crashed) releases
 * the key by then, and the shopper's retry with the same key goes through.
 */
export const CLAIM_MARGIN_MS = 15_000;
/** Visible ASCII, as keys are sent in a header; UUIDs fit easily. */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/**
 * What the store keeps under `idem:<key>`, as JSON: the request it was first used with, and its
 * answer once there is one (none while the first request runs).
 */
interface IdempotencyRecord {
  request: string;
  response?: SessionCreated;
}

/**
 * `Idempotency-Key` for `POST /sessions`. The same key with the same request returns the first
 * answer without a new upstream session; with a different request it is a 422. A duplicate that
 * arrives while the first is still running waits for it when the first runs on this instance,
 * and gets a 409 (`Retry-After: 1`) when it runs on another. Failures are not recorded: the
 * client may retry with the same key.
 */
export class IdempotencyGuard {
  readonly #store: SharedStore;
  readonly #claimTtlMs: number;
  readonly #running = new Map<string, Promise<SessionCreated>>();

  /** `checkoutTimeoutMs`: `CHECKOUT_TIMEOUT_MS`, the longest a checkout's upstream work runs. */
  constructor(store: SharedStore, { checkoutTimeoutMs }: { checkoutTimeoutMs: number }) {
    this.#store = store;
    this.#claimTtlMs = checkoutTimeoutMs + CLAIM_MARGIN_MS;
  }

  /** Validates the header value; `undefined` when there is none. */
  static parseKey(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    if (!KEY_FORMAT.test(value)) {
      throw new ProblemError('invalidIdempotencyKey', {
        detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      });
    }
    return value;
  }

  /** Runs `execute` once per `key`; `request` says what "the same request" is. */
  async run(
    key: string,
    request: string,
    execute: () => Promise<SessionCreated>,
  ): Promise<SessionCreated> {
    const storeKey = `idem:${key}`;
    const pending: IdempotencyRecord = { request };
    if (!(await this.#store.setIfAbsent(storeKey, JSON.stringify(pending), this.#claimTtlMs))) {
      return this.#replay(key, storeKey, request);
    }
    const running = execute();
    this.#running.set(key, running);
    try {
      const response = await running;
      const done: IdempotencyRecord = { request, response };
      await this.#store.set(storeKey, JSON.stringify(done), IDEMPOTENCY_TTL_MS);
      return response;
    } catch (err) {
      await this.#store.delete(storeKey);
      throw err;
    } finally {
      this.#running.delete(key);
    }
  }

  async #replay(key: string, storeKey: string, request: string): Promise<SessionCreated> {
    const stored = await this.#store.get(storeKey);
    if (stored === undefined) {
      // The first request failed (or the record expired) between our two reads: start afresh.
      throw new ProblemError('idempotencyInProgress', {
        detail: 'Retry the request.',
        headers: { 'Retry-After': '1' },
      });
    }
    const record = JSON.parse(stored) as IdempotencyRecord;
    if (record.request !== request) throw new ProblemError('idempotencyKeyReused');
    if (record.response !== undefined) return record.response;
    const running = this.#running.get(key);
    if (running !== undefined) return running;
    throw new ProblemError('idempotencyInProgress', { headers: { 'Retry-After': '1' } });
  }
}

/**
 * "The same request" for a checkout: every field that shapes the answer, and the page origin
 * relative URLs resolve against, as one canonical text compared exactly.
 */
export function checkoutFingerprint(
  request: CreateSessionRequest,
  origin: string | undefined,
): string {
  return JSON.stringify([
    origin ?? null,
    request.button,
    request.price ?? null,
    request.currency ?? null,
    request.buttonName ?? null,
    request.returnUrl ?? null,
    request.cancelUrl ?? null,
    request.locale ?? null,
    request.quantity ?? 1,
    request.reference ?? null,
  ]);
}
