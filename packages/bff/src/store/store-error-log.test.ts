import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../runtime/logger.js';
import { StoreUnavailableError } from './redis-store.js';
import { STORE_ERROR_MESSAGE, storeErrorLogger } from './store-error-log.js';

const URL_WITH_PASSWORD = 'redis://bff:s3cret%2Fpass@cache.internal:6380/2';

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:6380'), { code: 'ECONNREFUSED' });
}

describe('storeErrorLogger', () => {
  it('logs the first error at once, then at most one line per interval with the count left out', () => {
    const logs: LogEntry[] = [];
    let now = 1_000_000;
    const onError = storeErrorLogger({
      log: (entry) => logs.push(entry),
      url: URL_WITH_PASSWORD,
      now: () => now,
    });
    onError(refused());
    for (let i = 0; i < 20; i += 1) {
      now += 400;
      onError(refused());
    }
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      level: 'error',
      msg: STORE_ERROR_MESSAGE,
      store: 'redis://cache.internal:6380/2',
      error: { message: 'connect ECONNREFUSED 10.0.0.7:6380', code: 'ECONNREFUSED' },
    });
    expect(logs[0]).not.toHaveProperty('suppressed');
    now += 2_000;
    onError(refused());
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatchObject({ msg: STORE_ERROR_MESSAGE, suppressed: 20 });
    onError(refused());
    expect(logs).toHaveLength(2);
  });

  it('keeps the password out of every line, even when an error message carries it', () => {
    const logs: LogEntry[] = [];
    const onError = storeErrorLogger({ log: (entry) => logs.push(entry), url: URL_WITH_PASSWORD });
    onError(
      new StoreUnavailableError('The shared store did not answer', {
        cause: new Error('WRONGPASS for bff:s3cret/pass (s3cret%2Fpass)'),
      }),
    );
    const line = JSON.stringify(logs);
    expect(logs).toHaveLength(1);
    expect(line).not.toMatch(/s3cret/);
    expect(line).toContain('STORE_UNAVAILABLE');
  });
});
