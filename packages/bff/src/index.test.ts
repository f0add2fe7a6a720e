import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as fetchEntry from './fetch.js';
import * as nodeEntry from './index.js';
import { testEnv } from './test/harness.js';

/** The README's table of exported names: name → entry ("both" or "@buy-button/bff"). */
function documentedNames(): Map<string, string> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Library API'));
  const names = new Map<string, string>();
  for (const row of section.split('\n').filter((line) => line.startsWith('| `'))) {
    const [, cell = '', entry = ''] = row.split('|').map((part) => part.trim());
    for (const match of cell.matchAll(/`(\w+)`/g)) names.set(match[1] as string, entry);
  }
  return names;
}

describe('the public surface', () => {
  it('exports from @buy-button/bff exactly the names its README documents', () => {
    const documented = documentedNames();
    for (const name of Object.keys(nodeEntry)) expect(documented.has(name), name).toBe(true);
    // Values only: types leave nothing at runtime, and tsc checks those imports.
    const values = [...documented.keys()].filter((name) => /^[a-z]|^[A-Z_]+$/.test(name));
    for (const name of values) expect(Object.keys(nodeEntry), name).toContain(name);
  });

  it('keeps the Node-only names out of the runtime-neutral fetch entry', () => {
    const documented = documentedNames();
    for (const name of Object.keys(fetchEntry)) expect(documented.get(name), name).toBe('both');
    expect(Object.keys(fetchEntry)).not.toContain('createRedisStore');
    expect(Object.keys(fetchEntry)).not.toContain('createBullmqQueues');
  });

  it('exports the Redis store error with its stable code', () => {
    const error = new nodeEntry.StoreUnavailableError('down');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(nodeEntry.STORE_UNAVAILABLE);
  });
});

describe('an outbox where the state is', () => {
  const config = nodeEntry.loadConfig(testEnv());
  const inProcess = () => ({
    events: new nodeEntry.MemoryJobQueue<nodeEntry.EventJob>(),
    orderChecks: new nodeEntry.MemoryJobQueue<nodeEntry.OrderCheckJob>(),
  });

  it('refuses a Redis store with the outbox left in the process, where a restart loses events', async () => {
    const store = nodeEntry.createRedisStore('redis://127.0.0.1:1');
    try {
      expect(() => nodeEntry.createApp(config, { store, log: () => {} })).toThrow(
        /deps\.queues must too: pass createBullmqQueues/,
      );
      // Given knowingly, in-process queues are accepted.
      const app = nodeEntry.createApp(config, { store, queues: inProcess(), log: () => {} });
      await app.close();
    } finally {
      await store.close();
    }
  });

  it('keeps the default in-process outbox beside an in-process store', async () => {
    const app = nodeEntry.createApp(config, { store: new nodeEntry.MemoryStore(), log: () => {} });
    await app.close();
  });
});
