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
  return [expiresAt.toString(36), value].join(SEPARATOR);
}

function unpack(packed: string): { expiresAt: number; value: string } {
  const cut = packed.indexOf(SEPARATOR);
  return { expiresAt: Number.parseInt(packed.slice(0, cut), 36), value: packed.slice(cut + 1) };
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

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key) !== undefined) return false;
    this.#write(key, value, ttlMs);
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#live(key)?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#write(key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.#check();
    this.#entries.delete(key);
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const entry = this.#live(key);
    if (entry === undefined) {
      this.#write(key, '1', windowMs);
      return { count: 1, resetInMs: windowMs };
    }
    // The window is fixed at the first hit: the count changes, the expiry does not.
    const count = Number(entry.value) + 1;
    this.#entries.set(key, pack(entry.expiresAt, String(count)));
    return { count, resetInMs: entry.expiresAt - this.#now() };
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

  #live(key: string): { expiresAt: number; value: string } | undefined {
    this.#check();
    const packed = this.#entries.get(key);
    if (packed === undefined) return undefined;
    const entry = unpack(packed);
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #write(key: string, value: string, ttlMs: number): void {
    this.#check();
    this.#entries.delete(key);
    this.#entries.set(key, pack(this.#now() + ttlMs, value));
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  #check(): void {
    if (this.#closed) throw new Error('MemoryStore is closed');
  }
}
