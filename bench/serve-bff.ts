import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveInChildProcess } from './server-process.js';

/** The BFF's compiled build, what `pnpm --filter @buy-button/bff start` and the bin run. */
const DIST = new URL('../packages/bff/dist/', import.meta.url);

/**
 * The BFF as a benchmark child process, configured from its environment exactly like
 * `pnpm --filter @buy-button/bff start`, on a free port, from the same compiled `dist/` (so the
 * figures are those of what ships, not of a TypeScript loader). Logging is off: one JSON line per
 * request to a terminal would measure the terminal. With `REDIS_URL` its state and its outbox
 * live in Redis, so several of these processes act as one service.
 */
serveInChildProcess(async () => {
  if (!existsSync(new URL('index.js', DIST))) {
    throw new Error(
      `${fileURLToPath(DIST)} is not built: run "pnpm --filter @buy-button/bff build" first`,
    );
  }
  const bff: typeof import('../packages/bff/src/index.js') = await import(
    new URL('index.js', DIST).href
  );
  const config = bff.loadConfig(process.env);
  // With Redis, the store and the outbox both live there, as `main.ts` sets them up.
  const redis = config.redisUrl;
  const shared =
    redis === undefined
      ? {}
      : { store: bff.createRedisStore(redis), queues: bff.createBullmqQueues(redis) };
  return bff.startBff({
    config,
    host: '127.0.0.1',
    port: 0,
    deps: { log: () => {}, ...shared },
  });
});
