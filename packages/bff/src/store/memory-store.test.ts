import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';

describe('MemoryStore', () => {
  it('stores a key once with setIfAbsent', async () => {
    const store = new MemoryStore();
    expect(await store.setIfAbsent('k', 'a', 1000)).toBe(true);
    expect(await store.setIfAbsent('k', 'b', 1000)).toBe(false);
    expect(await store.get('k')).toBe('a');
  });

  it('forgets keys when their TTL is over', async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    await store.set('k', 'v', 100);
    now = 99;
    expect(await store.get('k')).toBe('v');
    now = 100;
    expect(await store.get('k')).toBeUndefined();
    expect(await store.setIfAbsent('k', 'w', 100)).toBe(true);
  });

  it('counts in a fixed window that starts at the first hit', async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    expect(await store.increment('c', 1000)).toEqual({ count: 1, resetInMs: 1000 });
    now = 400;
    expect(await store.increment('c', 1000)).toEqual({ count: 2, resetInMs: 600 });
    now = 1000;
    expect(await store.increment('c', 1000)).toEqual({ count: 1, resetInMs: 1000 });
  });

  it('stays within its size bound, dropping the oldest writes', async () => {
    const store = new MemoryStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await store.set(key, key, 10_000);
    expect(store.size).toBe(3);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('d')).toBe('d');
  });

  it('deletes, and refuses use after close', async () => {
    const store = new MemoryStore();
    await store.set('k', 'v', 1000);
    await store.delete('k');
    await store.delete('absent');
    expect(await store.get('k')).toBeUndefined();
    await store.close();
    await expect(store.get('k')).rejects.toThrow(/closed/);
  });

  it('answers a ping while open, and not after close', async () => {
    const store = new MemoryStore();
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
  });

  it('keeps exact expiries on an epoch clock', async () => {
    let now = 1_800_000_000_123;
    const store = new MemoryStore({ now: () => now });
    await store.set('k', 'v', 86_400_000);
    now += 86_399_999;
    expect(await store.get('k')).toBe('v');
    now += 1;
    expect(await store.get('k')).toBeUndefined();
    expect(await store.increment('c', 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
    now += 59_999;
    expect(await store.increment('c', 60_000)).toEqual({ count: 2, resetInMs: 1 });
  });

  it('keeps rate counters apart: a flood of client addresses never evicts a stored record', async () => {
    const store = new MemoryStore({ maxEntries: 10, maxCounters: 100 });
    await store.set('idem:checkout', 'answer', 60_000);
    for (let i = 0; i < 10_000; i += 1) await store.increment(`rate:sessions:10.0.${i}`, 60_000);
    expect(await store.get('idem:checkout')).toBe('answer');
    expect(store.counters).toBe(100);
  });

  it('behaves like a plain model through many writes, rewrites, deletes and evictions', async () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let now = 1_800_000_000_000;
    const maxEntries = 40;
    const store = new MemoryStore({ now: () => now, maxEntries });
    // Insertion-ordered model: the first key is the oldest write.
    const model = new Map<string, { value: string; expiresAt: number }>();
    const live = (key: string) => {
      const entry = model.get(key);
      if (entry !== undefined && entry.expiresAt <= now) model.delete(key);
      return model.get(key);
    };
    // Counters live apart from records, under the same names.
    const counters = new Map<string, { count: number; expiresAt: number }>();
    const liveCounter = (key: string) => {
      const counter = counters.get(key);
      if (counter !== undefined && counter.expiresAt <= now) counters.delete(key);
      return counters.get(key);
    };
    const write = (key: string, value: string, ttl: number) => {
      model.delete(key);
      model.set(key, { value, expiresAt: now + ttl });
      while (model.size > maxEntries) model.delete(model.keys().next().value as string);
    };
    for (let step = 0; step < 30_000; step += 1) {
      const key = `k${random(120)}`;
      const ttl = 1 + random(5000);
      now += random(20);
      switch (random(5)) {
        case 0:
          await store.set(key, `v${step}`, ttl);
          write(key, `v${step}`, ttl);
          break;
        case 1: {
          const stored = live(key) === undefined;
          expect(await store.setIfAbsent(key, `v${step}`, ttl)).toBe(stored);
          if (stored) write(key, `v${step}`, ttl);
          break;
        }
        case 2:
          await store.delete(key);
          model.delete(key);
          break;
        case 3:
          expect(await store.get(key)).toBe(live(key)?.value);
          break;
        default: {
          const counter = liveCounter(key);
          const counted = await store.increment(key, ttl);
          if (counter === undefined) {
            counters.set(key, { count: 1, expiresAt: now + ttl });
            expect(counted).toEqual({ count: 1, resetInMs: ttl });
          } else {
            counter.count += 1;
            expect(counted).toEqual({ count: counter.count, resetInMs: counter.expiresAt - now });
          }
        }
      }
    }
    for (const [key, entry] of model) {
      if (entry.expiresAt > now) expect(await store.get(key)).toBe(entry.value);
    }
    expect(store.size).toBeLessThanOrEqual(maxEntries);
  });
});
