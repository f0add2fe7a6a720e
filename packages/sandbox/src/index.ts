/**
 * `@buy-button/sandbox`: a local emulator of the Lyzi buy-button sessions API and its hosted
 * payment portal. Importing this module starts nothing; call `createSandbox` or `startSandbox`.
 */
export { createSandbox, type Sandbox } from './create-sandbox.js';
export type { FailureEnvelope, SuccessEnvelope } from './envelope.js';
export {
  type FieldError,
  ForbiddenError,
  InjectedFaultError,
  MalformedJsonError,
  NotFoundError,
  OrderNotPendingError,
  OrderRefInUseError,
  PayloadTooLargeError,
  SANDBOX_ERROR_CODE,
  SandboxError,
  type SandboxErrorCode,
  SandboxFullError,
  UnauthorizedError,
  ValidationError,
} from './errors.js';
export type { FaultSettings } from './fault-injection.js';
export { FIXTURES, type FixtureAccount, type FixtureButton, formatFixtures } from './fixtures.js';
export {
  type FinalOrderState,
  ORDER_STATE,
  type OrderState,
  WEBHOOK_STATUS,
  type WebhookStatus,
} from './order-state.js';
export { ACCESS, MANAGER_LOGIN_ROLES, ROLE, type Role } from './roles.js';
export { SANDBOX_DEFAULTS, SandboxConfigError, type SandboxOptions } from './sandbox-options.js';
export {
  DEFAULT_SANDBOX_HOST,
  DEFAULT_SANDBOX_PORT,
  sandboxOptionsFromEnv,
} from './sandbox-options-from-env.js';
export type { SandboxStats } from './sandbox-stats.js';
export type { Scheduler } from './scheduler.js';
export type { CreateSessionInput, OrderStatusView, SessionView } from './session-store.js';
export { type RunningSandbox, type StartSandboxOptions, startSandbox } from './start-sandbox.js';
export type { FetchLike, WebhookPayload } from './webhook-dispatcher.js';
