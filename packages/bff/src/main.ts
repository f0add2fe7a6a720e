#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { EVENTS_USAGE, eventsCommand } from './cli/events-cli.js';
import { ConfigError } from './config/config-error.js';
import { type BffConfig, loadConfig } from './config/load-config.js';
import { type RunningBff, startBff } from './node.js';
import { createBullmqQueues } from './outbox/bullmq-job-queue.js';
import { jsonLogger } from './runtime/logger.js';
import { createRedisStore } from './store/redis-store.js';
import { storeErrorLogger } from './store/store-error-log.js';

/** The `BFF_CONFIG` file's text, when one is named. */
function configFile(): string | undefined {
  const file = process.env.BFF_CONFIG;
  if (file === undefined || file === '') return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError([{ setting: 'BFF_CONFIG', message: 'names a file that cannot be read' }]);
  }
}

const USAGE = `Usage: buy-button-bff                    start the BFF, configured by its environment and BFF_CONFIG
       buy-button-bff events <command>   inspect and re-send payment events (REDIS_URL)
       buy-button-bff --version | --help

Settings: the Configuration section of @buy-button/bff's README.`;

/** The BFF as a process: configured from the environment (+ `BFF_CONFIG`), stopped by signals. */
async function main(): Promise<void> {
  const [command] = process.argv.slice(2);
  if (command === 'events') process.exit(await events(process.argv.slice(3)));
  if (command === '--help' || command === '-h') {
    console.log(USAGE);
    process.exit(0);
  }
  if (command === '--version' || command === '-v') {
    const manifest = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    console.log((JSON.parse(manifest) as { version: string }).version);
    process.exit(0);
  }
  if (command !== undefined) {
    console.error(`bff: "${command}" is not a command\n\n${USAGE}`);
    process.exit(2);
  }
  let config: BffConfig;
  try {
    config = loadConfig(process.env, configFile());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`bff: ${err.message}`);
      console.error('bff: see packages/bff/README.md#configuration');
      process.exit(1);
    }
    throw err;
  }

  let running: RunningBff;
  try {
    // Several instances share state through Redis; one instance keeps it in memory.
    // Its connection errors are logged, at most one line per 10 s, without the URL's password.
    // The outbox's queues live there too, so queued events survive restarts.
    const redis = config.redisUrl;
    const onError =
      redis === undefined ? undefined : storeErrorLogger({ log: jsonLogger, url: redis });
    const deps =
      redis === undefined
        ? {}
        : {
            store: createRedisStore(redis, { onError }),
            queues: createBullmqQueues(redis, { onError }),
          };
    running = await startBff({ config, deps });
  } catch (err) {
    console.error(`bff: cannot listen on ${config.host}:${config.port}: ${reason(err)}`);
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
        console.error(`bff: error while stopping: ${reason(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Printed last: whoever waits for this line may signal at once.
  console.log(`buy-button BFF listening on ${running.url}`);
}

/** `buy-button-bff events …`: operates the outbox of the BFFs sharing `REDIS_URL`. */
async function events(args: string[]): Promise<number> {
  if (args[0] === '--help' || args[0] === '-h') {
    console.log(EVENTS_USAGE);
    return 0;
  }
  let file: { REDIS_URL?: unknown } | undefined;
  try {
    const text = configFile();
    file = text === undefined ? undefined : JSON.parse(text);
  } catch {
    console.error('bff: BFF_CONFIG names a file that cannot be read as JSON');
    return 2;
  }
  const url = process.env.REDIS_URL || file?.REDIS_URL;
  if (typeof url !== 'string' || !/^rediss?:\/\//.test(url)) {
    console.error(
      'bff: REDIS_URL must be a redis:// or rediss:// URL: the outbox is read from Redis',
    );
    console.error(`\n${EVENTS_USAGE}`);
    return 2;
  }
  const queues = createBullmqQueues(url);
  try {
    return await eventsCommand(args, queues.events, { out: console.log, err: console.error });
  } catch (err) {
    console.error(`bff: events: ${reason(err)}`);
    return 1;
  } finally {
    await Promise.all([queues.events.close(), queues.orderChecks.close()]);
  }
}

/** What a thrown value says. */
function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

main().catch((err: unknown) => {
  console.error(`bff: failed to start: ${reason(err)}`);
  process.exit(1);
});
