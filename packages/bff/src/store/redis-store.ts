import { Redis, type Result } from 'ioredis';
import type { SharedStore } from './shared-store.js';

export interface RedisStoreOptions {
  /**
   * Prepended to every key, so several merchants (or environments) can share one Redis without
   * seeing each other's idempotency records, counters or tokens. Default `bb:`.
   */
  keyPrefix?: string;
  /** How long to wait for a TCP connection and the handshake, in ms. Default 1000. */
  connectTimeoutMs?: number;
  /** How long one command may wait for its reply before it fails, in ms. Default 1000. */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts while Redis is away, in ms. Default 1000. */
  maxReconnectDelayMs?: number;
  /**
   * Told about connection errors (refused, reset, timed out). They repeat on every reconnection
   * attempt while Redis is away, so log them at a level that can take it. Default: ignored.
   */
  onError?: (error: Error) => void;
}

/** `SharedStore` backed by Redis, plus a liveness probe for `/readyz`. */
export interface RedisStore extends SharedStore {
  /** Resolves when Redis answers a PING; rejects with `StoreUnavailableError` otherwise. */
  ping(): Promise<void>;
}

export const STORE_UNAVAILABLE = 'STORE_UNAVAILABLE';

/**
 * The shared store cannot be reached (down, refusing connections, too slow, or closed). The
 * original client error is the `cause`. Callers map it to a 503 problem, or fall back where that
 * is safe; they never wait longer than the store's timeouts for it.
 */
export class StoreUnavailableError extends Error {
  readonly code = STORE_UNAVAILABLE;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** `INCREMENT_SCRIPT` on one key: `[count, millisecondsLeft]`. */
    incrementWindow(key: string, windowMs: number): Result<[number, number], Context>;
  }
}

/**
 * One fixed-window counter hit, atomically: the first hit of a window sets its expiry, later
 * hits only count. A key found without an expiry (written by something else) gets one, so a
 * counter can never block a client forever. Returns `{count, millisecondsLeft}`. Defined as an
 * ioredis command, which sends it by its hash and loads it once per connection (and again after
 * a Redis restart).
 */
const INCREMENT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;

/**
 * Opens a `SharedStore` on the Redis at `url` (`redis://[user:password@]host:port[/db]`, or
 * `rediss://` for TLS). Nothing connects until the first operation.
 *
 * Built to fail fast rather than queue: while Redis is away every operation rejects with
 * `StoreUnavailableError` within `connectTimeoutMs` + `commandTimeoutMs` at worst, and at once
 * when Redis is known to be down. The client keeps reconnecting in the background, so service
 * resumes by itself when Redis is back.
 *
 * ```ts
 * const store = createRedisStore(process.env.REDIS_URL, { keyPrefix: 'shop-a:' });
 * if (await store.setIfAbsent('idem:abc', 'pending', 86_400_000)) {
 *   // first request with this key
 * }
 * ```
 */
export function createRedisStore(url: string, options: RedisStoreOptions = {}): RedisStore {
  const { client, run, close } = failFastRedis(url, options);
  client.defineCommand('incrementWindow', { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
  return {
    setIfAbsent: (key, value, ttlMs) =>
      run(async (client) => (await client.set(key, value, 'PX', wholeMs(ttlMs), 'NX')) === 'OK'),

    get: (key) => run(async (client) => (await client.get(key)) ?? undefined),

    set: (key, value, ttlMs) =>
      run(async (client) => {
        await client.set(key, value, 'PX', wholeMs(ttlMs));
      }),

    delete: (key) =>
      run(async (client) => {
        await client.del(key);
      }),

    increment: (key, windowMs) =>
      run(async (client) => {
        const [count, resetInMs] = await client.incrementWindow(key, wholeMs(windowMs));
        return { count, resetInMs };
      }),

    ping: () =>
      run(async (client) => {
        await client.ping();
      }),

    close,
  };
}

/**
 * The connection behind `createRedisStore`, shared with the Redis outbox's producer side: lazy,
 * no offline queue (a command is never held for a later connection: a checkout waiting on a dead
 * Redis would hang the shopper, so it fails now and the caller answers 503), reconnecting in the
 * background.
 */
export function failFastRedis(url: string, options: RedisStoreOptions = {}) {
  // Defaults for options left out or given as `undefined`.
  const {
    keyPrefix = 'bb:',
    connectTimeoutMs = 1000,
    commandTimeoutMs = 1000,
    maxReconnectDelayMs = 1000,
  } = options;
  const redis = new Redis(url, {
    keyPrefix,
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, maxReconnectDelayMs),
  });
  let lastError: Error | undefined;
  // Without a listener ioredis prints every connection error to the console.
  redis.on('error', (error: Error) => {
    lastError = error;
    options.onError?.(error);
  });
  let closed = false;
  // Operations arriving during one connection attempt share one wait instead of a listener each.
  let attempt: Promise<boolean> | undefined;

  async function connected(): Promise<Redis> {
    if (closed) throw new StoreUnavailableError('The shared store is closed');
    if (redis.status === 'ready') return redis;
    if (redis.status === 'wait') redis.connect().catch(() => {});
    // A connection attempt is under way: worth waiting for, briefly.
    if (redis.status === 'connecting' || redis.status === 'connect') {
      attempt ??= readyWithin(redis, connectTimeoutMs).finally(() => {
        attempt = undefined;
      });
      if (await attempt) return redis;
    }
    throw new StoreUnavailableError(`The shared store is unreachable (${redis.status})`, {
      cause: lastError,
    });
  }

  return {
    /** The client; commands on it directly do not wait for a connection. */
    client: redis,
    /**
     * Runs `operation` once the client is connected, waiting at most `connectTimeoutMs` for that;
     * connection trouble rejects with `StoreUnavailableError`.
     */
    async run<T>(operation: (client: Redis) => Promise<T>): Promise<T> {
      const client = await connected();
      try {
        return await operation(client);
      } catch (error) {
        throw asStoreError(error);
      }
    },
    /** Lets replies in flight arrive, then disconnects. Safe to call twice. */
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (redis.status === 'ready') {
        // QUIT lets replies in flight arrive; a dead connection is simply dropped.
        await redis.quit().catch(() => redis.disconnect());
      } else {
        redis.disconnect();
      }
    },
  };
}

/** Resolves `true` on `ready`, `false` when the attempt ends otherwise or takes too long. */
function readyWithin(redis: Redis, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('close', onClose);
      resolve(ready);
    };
    const onReady = () => settle(true);
    const onClose = () => settle(false);
    const timer = setTimeout(() => settle(false), timeoutMs);
    redis.once('ready', onReady);
    redis.once('close', onClose);
  });
}

/**
 * Connection trouble (timeouts, resets, a closed client) becomes `StoreUnavailableError`. A reply
 * error from Redis itself (`ReplyError`: wrong type, script error) is a bug, not an outage, and
 * stays as it is so it is not hidden behind a 503 that suggests retrying.
 */
function asStoreError(error: unknown): Error {
  if (error instanceof StoreUnavailableError) return error;
  if (error instanceof Error && error.name === 'ReplyError') return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`The shared store did not answer: ${reason}`, { cause: error });
}

/** Redis expiries are whole milliseconds and at least 1 (0 or less is an error for `PX`). */
function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
