import type { SharedStore } from './shared-store.js';

export interface MemoryStoreOptions {
  /** Clock, epoch ms; tests freeze it. Default `Date.now`. */
  now?: () => number;
  /** Records (idempotency, token) kept at most; the least recently written go first. Default 100 000. */
  maxEntries?: number;
  /** Counters (rate limits) kept at most, apart from the records. Default 100 000. */
  maxCounters?: number;
}

interface Timed<T> {
  value: T;
  expiresAt: number;
}

/**
 * `SharedStore` for one instance. Expiry is checked on read and the oldest writes are dropped
 * past the bound, so memory stays bounded without a sweeper timer (which would tie the app to a
 * runtime). Counters live apart from records: a flood of client addresses, each with its rate
 * counter, can fill only its own map, never push out a stored checkout.
 */
export class MemoryStore implements SharedStore {
  readonly #records: BoundedMap<string>;
  readonly #counters: BoundedMap<number>;
  readonly #now: () => number;
  #closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#records = new BoundedMap(options.maxEntries ?? 100_000);
    this.#counters = new BoundedMap(options.maxCounters ?? 100_000);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#live(this.#records, key) !== undefined) return false;
    this.#records.write(key, { value, expiresAt: this.#now() + ttlMs });
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#live(this.#records, key)?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#check();
    this.#records.write(key, { value, expiresAt: this.#now() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.#check();
    this.#records.delete(key);
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const counter = this.#live(this.#counters, key);
    if (counter === undefined) {
      this.#counters.write(key, { value: 1, expiresAt: this.#now() + windowMs });
      return { count: 1, resetInMs: windowMs };
    }
    // The window is fixed at the first hit: the count changes, the expiry does not.
    counter.value += 1;
    return { count: counter.value, resetInMs: counter.expiresAt - this.#now() };
  }

  /** Always answers while open: the state is in this process. */
  async ping(): Promise<void> {
    this.#check();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#records.clear();
    this.#counters.clear();
  }

  /** Records held, expired ones not yet dropped included (for tests and metrics). */
  get size(): number {
    return this.#records.size;
  }

  /** Counters held, likewise. */
  get counters(): number {
    return this.#counters.size;
  }

  #live<T>(map: BoundedMap<T>, key: string): Timed<T> | undefined {
    this.#check();
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  #check(): void {
    if (this.#closed) throw new Error('MemoryStore is closed');
  }
}

/**
 * A `Map` that drops its oldest writes past `max`. A `Map` iterates in insertion order and a
 * rewrite moves the key to the end: that order is the eviction order. While full, one walk of the
 * keys is kept: a fresh `keys()` per eviction would step again over every entry deleted since the
 * table last compacted, tens of thousands once full.
 */
class BoundedMap<T> extends Map<string, Timed<T>> {
  readonly #max: number;
  #oldest: MapIterator<string> | undefined;

  constructor(max: number) {
    super();
    this.#max = max;
  }

  write(key: string, entry: Timed<T>): void {
    this.delete(key);
    this.set(key, entry);
    while (this.size > this.#max) {
      this.#oldest ??= this.keys();
      const oldest = this.#oldest.next();
      if (oldest.done === true) {
        this.#oldest = undefined;
        break;
      }
      this.delete(oldest.value);
    }
    if (this.size < this.#max) this.#oldest = undefined;
  }
}
