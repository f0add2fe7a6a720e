/**
 * The only state a BFF instance keeps. In-memory for one instance; Redis-backed when
 * several instances must act as one service (`REDIS_URL`). Every key has a TTL so memory
 * stays bounded. Keys are namespaced by the caller (e.g. `idem:<key>`, `hook:<code>:<state>`).
 */
export interface SharedStore {
  /** Stores `value` under `key` only if the key is absent. Resolves `true` when stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Reads a value, `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores (or overwrites) a value. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes a key; absent keys are fine. */
  delete(key: string): Promise<void>;
  /**
   * Adds one to a fixed-window counter that starts at the first hit and lasts `windowMs`.
   * Resolves the count after this hit and the milliseconds left in the window.
   */
  increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
  /**
   * Optional liveness probe: resolves when the store answers right now, rejects (for Redis with
   * `STORE_UNAVAILABLE`) when it does not. `/readyz` and the payment callback use it.
   */
  ping?(): Promise<void>;
}

/** Key read by `reachStore` on a store without `ping`; never written. */
export const PROBE_KEY = 'probe:reachable';

/**
 * Resolves when the store can be reached: its `ping` when it has one, else one read. Rejects with
 * the store's own error otherwise.
 */
export async function reachStore(store: SharedStore): Promise<void> {
  await (store.ping === undefined ? store.get(PROBE_KEY) : store.ping());
}
