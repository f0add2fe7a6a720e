/**
 * `@buy-button/bff/fetch`: the runtime-neutral part only (no `node:*` import anywhere below it),
 * for Deno, Bun, Workers and other Fetch runtimes. Every name here is documented in the README's
 * Library API.
 *
 * @example
 * import { createApp, loadConfig } from '@buy-button/bff/fetch'
 * const app = createApp(loadConfig(env))
 * export default { fetch: app.fetch }
 */
export { type BffApp, type BffDeps, createApp } from './app.js';
export { ConfigError, type ConfigIssue } from './config/config-error.js';
export { type BffConfig, loadConfig } from './config/load-config.js';
export type {
  AddJobOptions,
  EventJob,
  JobHandler,
  JobOutcome,
  JobQueue,
  JobState,
  JobView,
  OrderCheckJob,
  OutboxQueues,
} from './outbox/job-queue.js';
export { MemoryJobQueue, type SetTimer } from './outbox/memory-job-queue.js';
export type { ScriptBundle, ScriptBundleSource } from './routes/script-routes.js';
export {
  fetchTransport,
  type HttpTransport,
  type TransportRequest,
  type TransportResponse,
} from './runtime/http-transport.js';
export type { LogEntry, Logger } from './runtime/logger.js';
export { MemoryStore } from './store/memory-store.js';
export type { SharedStore } from './store/shared-store.js';
export type { OutboxStatus, PaymentEvent } from './webhooks/payment-events.js';
