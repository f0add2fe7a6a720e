import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningRedisServer, startRedisServer } from '../../../../scripts/redis-server.js';
import { MemoryStore } from './memory-store.js';
import { createRedisStore, STORE_UNAVAILABLE, StoreUnavailableError } from './redis-store.js';
import type { SharedStore } from './shared-store.js';

// A real redis-server: the store's atomicity and expiry are Redis's, so a mock would prove nothing.
let server: RunningRedisServer;
const opened: SharedStore[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await server?.stop();
});

/** A store on the shared test server, under a prefix of its own so tests do not collide. */
function redisStore(prefix = `test-${randomUUID()}:`) {
  const store = createRedisStore(server.url, {
    keyPrefix: prefix,
    connectTimeoutMs: 500,
    commandTimeoutMs: 500,
  });
  opened.push(store);
  return store;
}

// The contract every SharedStore keeps, whichever backend holds the state.
describe.each([
  { name: 'RedisStore', open: (): SharedStore => redisStore() },
  {
    name: 'MemoryStore',
    open: (): SharedStore => {
      const store = new MemoryStore();
      opened.push(store);
      return store;
    },
  },
])('$name (SharedStore contract)', ({ open }) => {
  it('reads back what was set, and undefined for an absent key', async () => {
    const store = open();
    await store.set('idem:a', '{"sessionId":"s1"}', 60_000);
    expect(await store.get('idem:a')).toBe('{"sessionId":"s1"}');
    expect(await store.get('idem:missing')).toBeUndefined();
  });

  it('overwrites on set', async () => {
    const store = open();
    await store.set('k', 'one', 60_000);
    await store.set('k', 'two', 60_000);
    expect(await store.get('k')).toBe('two');
  });

  it('stores with setIfAbsent only when the key is absent', async () => {
    const store = open();
    expect(await store.setIfAbsent('lock', 'first', 60_000)).toBe(true);
    expect(await store.setIfAbsent('lock', 'second', 60_000)).toBe(false);
    expect(await store.get('lock')).toBe('first');
  });

  it('lets exactly one of 50 concurrent setIfAbsent calls win', async () => {
    const store = open();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.setIfAbsent('hook:code:paid', `caller-${i}`, 60_000),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.get('hook:code:paid')).toBe(`caller-${winner}`);
  });

  it('deletes a key, and deleting an absent key is fine', async () => {
    const store = open();
    await store.set('k', 'v', 60_000);
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    await expect(store.delete('never-there')).resolves.toBeUndefined();
    expect(await store.setIfAbsent('k', 'again', 60_000)).toBe(true);
  });

  it.each([
    { method: 'set', write: (s: SharedStore) => s.set('ttl', 'v', 50) },
    { method: 'setIfAbsent', write: (s: SharedStore) => s.setIfAbsent('ttl', 'v', 50) },
  ])('forgets a value written with $method once its TTL has passed', async ({ write }) => {
    const store = open();
    await write(store);
    expect(await store.get('ttl')).toBe('v');
    await vi.waitFor(async () => expect(await store.get('ttl')).toBeUndefined(), {
      timeout: 2000,
      interval: 20,
    });
    // An expired lock can be taken again: a crashed holder does not block the others forever.
    expect(await store.setIfAbsent('ttl', 'next', 60_000)).toBe(true);
  });

  it('counts hits in a fixed window that starts at the first hit', async () => {
    const store = open();
    const first = await store.increment('rate:1.2.3.4', 60_000);
    expect(first.count).toBe(1);
    expect(first.resetInMs).toBeGreaterThan(59_000);
    expect(first.resetInMs).toBeLessThanOrEqual(60_000);
    const second = await store.increment('rate:1.2.3.4', 60_000);
    expect(second.count).toBe(2);
    // The window is not pushed back by later hits.
    expect(second.resetInMs).toBeLessThanOrEqual(first.resetInMs);
    expect((await store.increment('rate:5.6.7.8', 60_000)).count).toBe(1);
  });

  it('starts a new window once the old one has expired', async () => {
    const store = open();
    await store.increment('rate:w', 60);
    expect((await store.increment('rate:w', 60)).count).toBe(2);
    // A hit does not extend a window: once it has expired, the next hit counts 1 again.
    await vi.waitFor(
      async () => {
        expect((await store.increment('rate:w', 60)).count).toBe(1);
      },
      { timeout: 2000, interval: 20 },
    );
  });

  it('gives every one of 50 concurrent hits its own count', async () => {
    const store = open();
    const hits = await Promise.all(
      Array.from({ length: 50 }, () => store.increment('rate:burst', 60_000)),
    );
    const counts = hits.map((hit) => hit.count).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

describe('RedisStore', () => {
  it('keeps stores with different key prefixes apart on one Redis', async () => {
    const shopA = redisStore(`shop-a-${randomUUID()}:`);
    const shopB = redisStore(`shop-b-${randomUUID()}:`);
    await shopA.set('token:upstream', 'a-token', 60_000);
    expect(await shopB.get('token:upstream')).toBeUndefined();
    expect(await shopB.setIfAbsent('token:upstream', 'b-token', 60_000)).toBe(true);
    expect(await shopA.get('token:upstream')).toBe('a-token');
    // The counter script must respect the prefix too.
    await shopA.increment('rate:ip', 60_000);
    await shopA.increment('rate:ip', 60_000);
    expect((await shopB.increment('rate:ip', 60_000)).count).toBe(1);
  });

  it('shares state between two stores with the same prefix, as two BFF instances do', async () => {
    const prefix = `merchant-${randomUUID()}:`;
    const instance1 = redisStore(prefix);
    const instance2 = redisStore(prefix);
    expect(await instance1.setIfAbsent('idem:key-1', 'pending', 60_000)).toBe(true);
    expect(await instance2.setIfAbsent('idem:key-1', 'pending', 60_000)).toBe(false);
    await instance1.increment('rate:ip', 60_000);
    expect((await instance2.increment('rate:ip', 60_000)).count).toBe(2);
  });

  it('answers ping while Redis is up', async () => {
    await expect(redisStore().ping()).resolves.toBeUndefined();
  });

  it('rejects every operation once closed', async () => {
    const store = createRedisStore(server.url, { keyPrefix: `closed-${randomUUID()}:` });
    await store.set('k', 'v', 60_000);
    await store.close();
    await store.close();
    await expect(store.get('k')).rejects.toMatchObject({ code: STORE_UNAVAILABLE });
  });

  it('does not connect before the first operation', async () => {
    const unreachable = createRedisStore('redis://127.0.0.1:1', { connectTimeoutMs: 200 });
    // Creating and closing a store for a dead address neither throws nor waits.
    await unreachable.close();
  });

  it('fails fast with STORE_UNAVAILABLE when nothing listens at the address', async () => {
    const store = createRedisStore('redis://127.0.0.1:1', {
      connectTimeoutMs: 300,
      commandTimeoutMs: 300,
    });
    opened.push(store);
    const started = Date.now();
    const error = await store.get('k').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ code: STORE_UNAVAILABLE });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('RedisStore when Redis goes away', () => {
  let own: RunningRedisServer | undefined;

  afterEach(async () => {
    if (own !== undefined) process.kill(own.pid, 'SIGCONT');
    await own?.stop();
    own = undefined;
  });

  const operations = [
    { name: 'get', run: (s: SharedStore) => s.get('k') },
    { name: 'set', run: (s: SharedStore) => s.set('k', 'v', 60_000) },
    { name: 'setIfAbsent', run: (s: SharedStore) => s.setIfAbsent('k', 'v', 60_000) },
    { name: 'delete', run: (s: SharedStore) => s.delete('k') },
    { name: 'increment', run: (s: SharedStore) => s.increment('k', 60_000) },
  ];

  it('rejects every operation with STORE_UNAVAILABLE at once after the server stops, and recovers when it is back', async () => {
    own = await startRedisServer();
    const store = createRedisStore(own.url, { connectTimeoutMs: 500, commandTimeoutMs: 500 });
    opened.push(store);
    await store.set('k', 'before', 60_000);

    await own.stop();
    const started = Date.now();
    const outcomes = await Promise.allSettled(operations.map((op) => op.run(store)));
    expect(Date.now() - started).toBeLessThan(1000);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toMatchObject({ code: STORE_UNAVAILABLE });
      }
    }

    // The client reconnects by itself: the same store works again once Redis is back.
    own = await startRedisServer({ port: own.port });
    await vi.waitFor(async () => expect(await store.setIfAbsent('k', 'after', 60_000)).toBe(true), {
      timeout: 5000,
      interval: 50,
    });
    expect(await store.get('k')).toBe('after');
  });

  it('rejects with STORE_UNAVAILABLE within the command timeout when Redis stops answering', async () => {
    own = await startRedisServer();
    const store = createRedisStore(own.url, { connectTimeoutMs: 300, commandTimeoutMs: 300 });
    opened.push(store);
    await store.ping();

    // A frozen server keeps the TCP connection open but never replies: the nastiest outage.
    process.kill(own.pid, 'SIGSTOP');
    const started = Date.now();
    const outcomes = await Promise.allSettled(operations.map((op) => op.run(store)));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1500);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: STORE_UNAVAILABLE } });
    }

    // Resumed, Redis runs the commands it had been sent (the counter script included), so the
    // store is read under a key none of them touched.
    process.kill(own.pid, 'SIGCONT');
    await vi.waitFor(async () => expect(await store.get('untouched')).toBeUndefined(), {
      timeout: 5000,
      interval: 50,
    });
  });
});
