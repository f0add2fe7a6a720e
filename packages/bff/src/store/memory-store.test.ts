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
});
