import type { CreateSessionRequest, SessionCreated } from '@buy-button/element/wire';
import { ProblemError } from '../problems/problem-error.js';
import type { SharedStore } from '../store/shared-store.js';

/** A replayed answer is the same for 24 h, as the contract promises. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a key stays claimed by a request that never finishes (a crashed instance). */
const PENDING_TTL_MS = 2 * 60 * 1000;
/** Visible ASCII, as keys are sent in a header; UUIDs fit easily. */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string }
  | { state: 'done'; fingerprint: string; response: SessionCreated };

/**
 * `Idempotency-Key` for `POST /sessions`. The same key with the same request returns the first
 * answer without a new upstream session; with a different request it is a 422. A duplicate that
 * arrives while the first is still running waits for it when the first runs on this instance,
 * and gets a 409 (`Retry-After: 1`) when it runs on another. Failures are not recorded: the
 * client may retry with the same key.
 */
export class IdempotencyGuard {
  readonly #store: SharedStore;
  readonly #running = new Map<string, Promise<SessionCreated>>();

  constructor(store: SharedStore) {
    this.#store = store;
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

  async run(
    key: string,
    fingerprint: string,
    execute: () => Promise<SessionCreated>,
  ): Promise<SessionCreated> {
    const storeKey = `idem:${key}`;
    const pending: IdempotencyRecord = { state: 'pending', fingerprint };
    if (!(await this.#store.setIfAbsent(storeKey, JSON.stringify(pending), PENDING_TTL_MS))) {
      return this.#replay(key, storeKey, fingerprint);
    }
    const running = execute();
    this.#running.set(key, running);
    try {
      const response = await running;
      const done: IdempotencyRecord = { state: 'done', fingerprint, response };
      await this.#store.set(storeKey, JSON.stringify(done), IDEMPOTENCY_TTL_MS);
      return response;
    } catch (err) {
      await this.#store.delete(storeKey);
      throw err;
    } finally {
      this.#running.delete(key);
    }
  }

  async #replay(key: string, storeKey: string, fingerprint: string): Promise<SessionCreated> {
    const record = parseRecord(await this.#store.get(storeKey));
    if (record === undefined) {
      // The first request failed (or the record expired) between our two reads: start afresh.
      throw new ProblemError('idempotencyInProgress', {
        detail: 'Retry the request.',
        headers: { 'Retry-After': '1' },
      });
    }
    if (record.fingerprint !== fingerprint) throw new ProblemError('idempotencyKeyReused');
    if (record.state === 'done') return record.response;
    const running = this.#running.get(key);
    if (running !== undefined) return running;
    throw new ProblemError('idempotencyInProgress', { headers: { 'Retry-After': '1' } });
  }
}

function parseRecord(raw: string | undefined): IdempotencyRecord | undefined {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as IdempotencyRecord;
  } catch {
    return undefined;
  }
}

/** A digest of everything that shapes the answer, so "same request" is exact. */
export async function requestFingerprint(parts: unknown): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(JSON.stringify(parts)),
  );
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * The fingerprint of a checkout request: every field that shapes the answer, and the page origin
 * relative URLs resolve against.
 */
export function checkoutFingerprint(
  request: CreateSessionRequest,
  origin: string | undefined,
): Promise<string> {
  return requestFingerprint([
    origin ?? null,
    request.button,
    request.price ?? null,
    request.currency ?? null,
    request.buttonName ?? null,
    request.returnUrl ?? null,
    request.cancelUrl ?? null,
    request.locale ?? null,
  ]);
}
