/**
 * `@buy-button/bff`: the backend-for-frontend of `<buy-button>`. Importing this module starts
 * nothing: build a config with `loadConfig`, then `createApp` (any Fetch runtime) or `startBff`
 * (Node). Everything the runtime-neutral `@buy-button/bff/fetch` entry exports, plus the Node
 * server, the Redis store and the building blocks.
 */

export type { BffEnv } from './app-env.js';
export { formatAmount, parseAmount } from './checkout/amount.js';
export { createOrderRefGenerator, orderRefMatcher } from './checkout/order-ref.js';
export { paymentStatusOf } from './checkout/payment-status.js';
export {
  RECEIPT_ERROR_CODE,
  ReceiptError,
  type ReceiptErrorCode,
  ReceiptSigner,
} from './checkout/receipt-signer.js';
export type {
  ButtonCatalog,
  CatalogButton,
  FixedPriceButton,
  OpenPriceButton,
} from './config/button-catalog.js';
export {
  CONFIG_DEFAULTS,
  type RateLimitSetting,
  SETTING_NAMES,
  type UpstreamCredential,
} from './config/load-config.js';
export * from './fetch.js';
export { type RunningBff, type StartBffOptions, startBff } from './node.js';
export {
  createNodeHttpTransport,
  type NodeHttpTransportOptions,
} from './node-http-transport.js';
export {
  type BullmqQueuesOptions,
  createBullmqQueues,
} from './outbox/bullmq-job-queue.js';
export { ProblemError } from './problems/problem-error.js';
export { PROBLEM, PROBLEM_BASE, type ProblemKind, problemType } from './problems/problem-types.js';
export type { BodyReader } from './runtime/body-reader.js';
export { jsonLogger, silentLogger } from './runtime/logger.js';
export type { Sleep } from './runtime/timing.js';
export type { MemoryStoreOptions } from './store/memory-store.js';
export {
  createRedisStore,
  type RedisStore,
  type RedisStoreOptions,
  STORE_UNAVAILABLE,
  StoreUnavailableError,
} from './store/redis-store.js';
export {
  STORE_ERROR_MESSAGE,
  type StoreErrorLogOptions,
  storeErrorLogger,
} from './store/store-error-log.js';
export { TOKEN_LOCK_KEY, TOKEN_STORE_KEY, type TokenProvider } from './upstream/token-provider.js';
export {
  UPSTREAM_ERROR_CODE,
  UpstreamError,
  type UpstreamErrorCode,
} from './upstream/upstream-error.js';
