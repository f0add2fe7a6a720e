/**
 * `@buy-button/bff`: the backend-for-frontend of `<buy-button>`. Importing this module starts
 * nothing: build a config with `loadConfig`, then `createApp` (any Fetch runtime) or `startBff`
 * (Node).
 */
export { type BffApp, type BffDeps, createApp } from './app.js';
export type { BffEnv } from './app-env.js';
export { BODY_LIMIT_BYTES } from './body-limit.js';
export { formatAmount, parseAmount } from './checkout/amount.js';
export { createOrderRefGenerator, orderRefMatcher } from './checkout/order-ref.js';
export { paymentStatusOf } from './checkout/payment-status.js';
export {
  type HmacSha256,
  RECEIPT_ERROR_CODE,
  ReceiptError,
  type ReceiptErrorCode,
  ReceiptSigner,
  webCryptoHmacSha256,
} from './checkout/receipt-signer.js';
export type {
  ButtonCatalog,
  CatalogButton,
  FixedPriceButton,
  OpenPriceButton,
} from './config/button-catalog.js';
export { ConfigError, type ConfigIssue } from './config/config-error.js';
export {
  type BffConfig,
  CONFIG_DEFAULTS,
  loadConfig,
  type RateLimitSetting,
  SETTING_NAMES,
  type UpstreamCredential,
} from './config/load-config.js';
export { type RunningBff, type StartBffOptions, startBff } from './node.js';
export {
  createNodeHttpTransport,
  type NodeHttpTransportOptions,
} from './node-http-transport.js';
export { ProblemError } from './problems/problem-error.js';
export { PROBLEM, PROBLEM_BASE, type ProblemKind, problemType } from './problems/problem-types.js';
export type { ScriptBundle, ScriptBundleSource } from './routes/script-routes.js';
export type { BodyReader } from './runtime/body-reader.js';
export {
  fetchTransport,
  type HttpTransport,
  type TransportRequest,
  type TransportResponse,
} from './runtime/http-transport.js';
export { jsonLogger, type LogEntry, type Logger, silentLogger } from './runtime/logger.js';
export type { Sleep } from './runtime/timing.js';
export { MemoryStore, type MemoryStoreOptions } from './store/memory-store.js';
export {
  createRedisStore,
  type RedisStore,
  type RedisStoreOptions,
  STORE_UNAVAILABLE,
  StoreUnavailableError,
} from './store/redis-store.js';
export type { SharedStore } from './store/shared-store.js';
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
export type { PaymentEvent } from './webhooks/payment-webhook.js';
