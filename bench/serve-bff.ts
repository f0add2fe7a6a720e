import { loadConfig, type SharedStore, silentLogger, startBff } from '@buy-button/bff';
import { createRedisStore } from '../packages/bff/src/store/redis-store.js';
import { serveInChildProcess } from './server-process.js';

/**
 * The BFF as a benchmark child process, configured from its environment exactly like
 * `pnpm --filter @buy-button/bff start`, on a free port. Logging is off: one JSON line per request
 * to a terminal would measure the terminal. With `REDIS_URL` its state lives in Redis, so several
 * of these processes act as one service.
 */
serveInChildProcess(async () => {
  const config = loadConfig(process.env);
  let store: SharedStore | undefined;
  if (config.redisUrl !== undefined) store = createRedisStore(config.redisUrl);
  return startBff({
    config,
    host: '127.0.0.1',
    port: 0,
    deps: { log: silentLogger, ...(store === undefined ? {} : { store }) },
  });
});
