#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { ConfigError } from './config/config-error.js';
import { type BffConfig, loadConfig } from './config/load-config.js';
import { startBff } from './node.js';
import { jsonLogger } from './runtime/logger.js';
import { createRedisStore } from './store/redis-store.js';
import { storeErrorLogger } from './store/store-error-log.js';

/** The BFF as a process: configured from the environment (+ `BFF_CONFIG`), stopped by signals. */
async function main(): Promise<void> {
  let config: BffConfig;
  try {
    const file = process.env.BFF_CONFIG;
    let content: string | undefined;
    if (file !== undefined && file !== '') {
      try {
        content = readFileSync(file, 'utf8');
      } catch {
        throw new ConfigError([
          { setting: 'BFF_CONFIG', message: 'names a file that cannot be read' },
        ]);
      }
    }
    config = loadConfig(process.env, content);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`bff: ${err.message}`);
      console.error('bff: see packages/bff/README.md#configuration');
      process.exit(1);
    }
    throw err;
  }

  let running: Awaited<ReturnType<typeof startBff>>;
  try {
    // Several instances share state through Redis; one instance keeps it in memory.
    // Its connection errors are logged, at most one line per 10 s, without the URL's password.
    const store =
      config.redisUrl === undefined
        ? undefined
        : createRedisStore(config.redisUrl, {
            onError: storeErrorLogger({ log: jsonLogger, url: config.redisUrl }),
          });
    running = await startBff({ config, ...(store === undefined ? {} : { deps: { store } }) });
  } catch (err) {
    console.error(
      `bff: cannot listen on ${config.host}:${config.port}: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`bff: ${signal}, finishing in-flight requests`);
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(
          `bff: error while stopping: ${err instanceof Error ? err.message : String(err)}`,
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Printed last: whoever waits for this line may signal at once.
  console.log(`buy-button BFF listening on ${running.url}`);
}

main().catch((err: unknown) => {
  console.error(`bff: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
