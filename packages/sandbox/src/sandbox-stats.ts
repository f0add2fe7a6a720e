import type { OrderState } from './order-state.js';

/** Counters of `GET /__sandbox/stats` and `sandbox.stats()`, since the sandbox was created. */
export interface SandboxStats {
  /** Successful logins (tokens issued). */
  logins: number;
  /** Refused logins (401). */
  loginFailures: number;
  /** Sessions created (resumes not counted). */
  sessionsCreated: number;
  /** `POST /sessions` calls that resumed a session through its `conversionCode`. */
  sessionsResumed: number;
  sessionsDeleted: number;
  /** Orders currently in each state (kept ones: evicted orders are no longer counted here). */
  ordersByState: Record<OrderState, number>;
  /** Finished orders (with their sessions) evicted to stay within `maxOrders`. */
  ordersEvicted: number;
  /** Requests that reached `/api`, faulted ones included. */
  apiRequests: number;
  /** API requests answered 503 by fault injection. */
  faultsInjected: number;
  /** Webhook events acknowledged with a 2xx. */
  webhooksDelivered: number;
  /** Webhook events given up after the last attempt. */
  webhooksFailed: number;
  /** Webhook events never sent because of the injected `webhookDropRate` (no attempt made). */
  webhooksDropped: number;
  /** Webhook HTTP attempts, retries included. */
  webhookAttempts: number;
  /** Webhook events still being delivered. */
  webhooksPending: number;
}
