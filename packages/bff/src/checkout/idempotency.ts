import type { CreateSessionRequest, SessionCreated } from '@buy-button/element/wire';
import { ProblemError } from '../problems/problem-error.js';
import { base36 } from '../runtime/base36.js';
import type { SharedStore } from '../store/shared-store.js';

/** A replayed answer is the same for 24 h, as the contract promises. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a key stays claimed by a request that never finishes (a crashed instance). */
const PENDING_TTL_MS = 2 * 60 * 1000;
/** Visible ASCII, as keys are sent in a header; UUIDs fit easily. */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/**
 * How an answer is kept in the store: every checkout with a key leaves one record for 24 h, so
 * the codec keeps only what cannot be rebuilt (the receipt can be re-signed, the redirect URL
 * re-derived) and `decode(encode(x))` must equal `x` exactly.
 */
export interface SessionCodec {
  encode(response: SessionCreated): string;
  decode(stored: string): Promise<SessionCreated>;
}

const jsonCodec: SessionCodec = {
  encode: (response) => JSON.stringify(response),
  decode: async (stored) => JSON.parse(stored) as SessionCreated,
};

/*
 * Records are plain strings, `p <fingerprint>` while running and `d <fingerprint> <answer>` once
 * done: no nested JSON to escape, a few dozen bytes of overhead per key.
 */
type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string }
  | { state: 'done'; fingerprint: string; response: string };

/**
 * `Idempotency-Key` for `POST /sessions`. The same key with the same request returns the first
 * answer without a new upstream session; with a different request it is a 422. A duplicate that
 * arrives while the first is still running waits for it when the first runs on this instance,
 * and gets a 409 (`Retry-After: 1`) when it runs on another. Failures are not recorded: the
 * client may retry with the same key.
 */
export class IdempotencyGuard {
  readonly #store: SharedStore;
  readonly #codec: SessionCodec;
  readonly #running = new Map<string, Promise<SessionCreated>>();

  constructor(store: SharedStore, codec: SessionCodec = jsonCodec) {
    this.#store = store;
    this.#codec = codec;
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
    // `join` builds flat strings: concatenations would be kept as trees of pieces, and a memory
    // store holds one record per checkout for 24 h.
    const storeKey = ['idem', key].join(':');
    if (!(await this.#store.setIfAbsent(storeKey, ['p', fingerprint].join(' '), PENDING_TTL_MS))) {
      return this.#replay(key, storeKey, fingerprint);
    }
    const running = execute();
    this.#running.set(key, running);
    try {
      const response = await running;
      const record = ['d', fingerprint, this.#codec.encode(response)].join(' ');
      await this.#store.set(storeKey, record, IDEMPOTENCY_TTL_MS);
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
    if (record.state === 'done') return this.#codec.decode(record.response);
    const running = this.#running.get(key);
    if (running !== undefined) return running;
    throw new ProblemError('idempotencyInProgress', { headers: { 'Retry-After': '1' } });
  }
}

function parseRecord(raw: string | undefined): IdempotencyRecord | undefined {
  if (raw === undefined) return undefined;
  const first = raw.indexOf(' ');
  if (raw.startsWith('p ')) return { state: 'pending', fingerprint: raw.slice(2) };
  const second = raw.indexOf(' ', first + 1);
  if (!raw.startsWith('d ') || second === -1) return undefined;
  return { state: 'done', fingerprint: raw.slice(2, second), response: raw.slice(second + 1) };
}

/**
 * A digest of everything that shapes the answer, so "same request" is exact: two 53-bit
 * cyrb53 hashes with different seeds. Not cryptographic, and it need not be: it is only compared
 * under one Idempotency-Key, whose holder chose both requests. A Web Crypto digest here was the
 * largest single cost of an idempotent checkout.
 *
 * Stored in records kept 24 h, across deploys: its output for a given input must not change.
 */
export function requestFingerprint(parts: unknown): string {
  const text = JSON.stringify(parts);
  // Both hashes in one pass over the text: the same states as two cyrb53 runs, one loop.
  let a1 = 0xdeadbeef ^ SEED_A;
  let a2 = 0x41c6ce57 ^ SEED_A;
  let b1 = 0xdeadbeef ^ SEED_B;
  let b2 = 0x41c6ce57 ^ SEED_B;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    a1 = Math.imul(a1 ^ ch, 2654435761);
    a2 = Math.imul(a2 ^ ch, 1597334677);
    b1 = Math.imul(b1 ^ ch, 2654435761);
    b2 = Math.imul(b2 ^ ch, 1597334677);
  }
  return base36(cyrb53Final(a1, a2)) + base36(cyrb53Final(b1, b2));
}

const SEED_A = 0x9e3779b9;
const SEED_B = 0x85ebca6b;

/** cyrb53's last mix of its two 32-bit states into a 53-bit integer. */
function cyrb53Final(h1: number, h2: number): number {
  const m1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  const m2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(m1 ^ (m1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & m2) + (m1 >>> 0);
}

/**
 * The fingerprint of a checkout request: every field that shapes the answer, and the page origin
 * relative URLs resolve against.
 */
export function checkoutFingerprint(
  request: CreateSessionRequest,
  origin: string | undefined,
): string {
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
