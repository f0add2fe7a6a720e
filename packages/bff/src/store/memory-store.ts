import { base36 } from '../runtime/base36.js';
import type { SharedStore } from './shared-store.js';

export interface MemoryStoreOptions {
  /** Clock, epoch ms; tests freeze it. Default `Date.now`. */
  now?: () => number;
  /** Keys kept at most; the least recently written go first. Default 100 000. */
  maxEntries?: number;
}

/**
 * Each entry is one string, `<expiresAt base 36>|<value>`: no object per key, which for an
 * idempotency record (one per checkout, kept 24 h) is a good part of its memory.
 */
const SEPARATOR = '|';

function pack(expiresAt: number, value: string): string {
  return [base36(expiresAt), value].join(SEPARATOR);
}

function expiresAtOf(packed: string): number {
  return Number.parseInt(packed.slice(0, packed.indexOf(SEPARATOR)), 36);
}

function storedValue(packed: string): string {
  return packed.slice(packed.indexOf(SEPARATOR) + 1);
}

/**
 * `SharedStore` for one instance. Expiry is checked on read and the oldest writes are dropped
 * past `maxEntries`, so memory stays bounded without a sweeper timer (which would tie the app to
 * a runtime). A `Map` iterates in insertion order and a rewrite moves the key to the end: that
 * order is the eviction order.
 */
export class MemoryStore implements SharedStore {
  readonly #entries = new Map<string, string>();
  readonly #now: () => number;
  readonly #maxEntries: number;
  #closed = false;
  /**
   * The keys oldest first, one walk kept while the store is full. A fresh `keys()` per eviction
   * would step again over every entry deleted since the Map last compacted its table: tens of
   * thousands once full, 50 µs per write. A live iterator also sees keys added after it, in order.
   */
  #oldest: MapIterator<string> | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key) !== undefined) return false;
    this.#insert(key, value, ttlMs);
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    const packed = this.#live(key);
    return packed === undefined ? undefined : storedValue(packed);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#check();
    // A rewrite moves the key to the end of the eviction order.
    this.#entries.delete(key);
    this.#insert(key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.#check();
    this.#entries.delete(key);
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const packed = this.#live(key);
    if (packed === undefined) {
      this.#insert(key, '1', windowMs);
      return { count: 1, resetInMs: windowMs };
    }
    // The window is fixed at the first hit: the count changes, the expiry does not.
    const expiresAt = expiresAtOf(packed);
    const count = Number(storedValue(packed)) + 1;
    this.#entries.set(key, pack(expiresAt, String(count)));
    return { count, resetInMs: expiresAt - this.#now() };
  }

  /** Always answers while open: the state is in this process. */
  async ping(): Promise<void> {
    this.#check();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#entries.clear();
  }

  /** Keys held, expired ones not yet dropped included (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  /** The packed entry under `key`, `undefined` when absent or expired (then dropped). */
  #live(key: string): string | undefined {
    this.#check();
    const packed = this.#entries.get(key);
    if (packed === undefined) return undefined;
    if (expiresAtOf(packed) <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return packed;
  }

  /** Adds `key`, known absent, as the newest entry, and drops the oldest past `maxEntries`. */
  #insert(key: string, value: string, ttlMs: number): void {
    this.#entries.set(key, pack(this.#now() + ttlMs, value));
    while (this.#entries.size > this.#maxEntries) {
      this.#oldest ??= this.#entries.keys();
      const oldest = this.#oldest.next();
      if (oldest.done === true) {
        this.#oldest = undefined;
        break;
      }
      this.#entries.delete(oldest.value);
    }
    // Below the bound nothing is evicted: let go of the walk and of the old tables it may hold.
    if (this.#entries.size < this.#maxEntries) this.#oldest = undefined;
  }

  #check(): void {
    if (this.#closed) throw new Error('MemoryStore is closed');
  }
}
