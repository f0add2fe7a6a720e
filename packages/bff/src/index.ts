/**
 * `@buy-button/bff`: the backend-for-frontend of `<buy-button>`. Importing this module starts
 * nothing: build a config with `loadConfig`, then `createApp` (any Fetch runtime) or `startBff`
 * (Node). Everything the runtime-neutral `@buy-button/bff/fetch` entry exports, plus the Node
 * server and the Redis-backed store and outbox. Every name here is documented in the README's
 * Library API.
 */
export * from './fetch.js';
export { type RunningBff, type StartBffOptions, startBff } from './node.js';
export { createNodeHttpTransport } from './node-http-transport.js';
export { type BullmqQueuesOptions, createBullmqQueues } from './outbox/bullmq-job-queue.js';
export {
  createRedisStore,
  type RedisStore,
  type RedisStoreOptions,
  STORE_UNAVAILABLE,
  StoreUnavailableError,
} from './store/redis-store.js';
export { storeErrorLogger } from './store/store-error-log.js';
