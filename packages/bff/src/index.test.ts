import { describe, expect, expectTypeOf, it } from 'vitest';
import * as fetchEntry from './fetch.js';
import {
  createRedisStore,
  type RedisStore,
  type RedisStoreOptions,
  type SharedStore,
  STORE_UNAVAILABLE,
  StoreUnavailableError,
  storeErrorLogger,
} from './index.js';

describe('@buy-button/bff entry', () => {
  it('exports the Redis store, its error and its error code', async () => {
    expect(STORE_UNAVAILABLE).toBe('STORE_UNAVAILABLE');
    const error = new StoreUnavailableError('down');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(STORE_UNAVAILABLE);
    const options: RedisStoreOptions = {
      connectTimeoutMs: 200,
      onError: storeErrorLogger({ log: () => {}, url: 'redis://127.0.0.1:1' }),
    };
    const store: RedisStore = createRedisStore('redis://127.0.0.1:1', options);
    expectTypeOf(store).toMatchTypeOf<SharedStore>();
    await store.close();
  });

  it('keeps the Node-only Redis store out of the runtime-neutral fetch entry', () => {
    expect(Object.keys(fetchEntry)).not.toContain('createRedisStore');
    expect(Object.keys(fetchEntry)).not.toContain('StoreUnavailableError');
  });
});
