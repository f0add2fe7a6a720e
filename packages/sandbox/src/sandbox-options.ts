import type { FixtureAccount, FixtureButton } from './fixtures.js';
import type { Scheduler } from './scheduler.js';
import type { FetchLike } from './webhook-dispatcher.js';

/** Options of `createSandbox`; every one has a default. */
export interface SandboxOptions {
  /** Clock, epoch ms. Tests freeze it; order expiry and token `exp` follow it. Default `Date.now`. */
  now?: () => number;
  /**
   * Uniform [0, 1) source for fault injection (the webhook drop dice included) and ids. Default
   * `Math.random`.
   */
  random?: () => number;
  /**
   * How webhooks are sent. Default the global `fetch`. An in-process app works as is:
   * `fetch: (input, init) => merchantApp.fetch(new Request(input, init))`.
   */
  fetch?: FetchLike;
  /** Timer for webhook retries, injected latency and webhook delay. Default `setTimeout`. */
  schedule?: Scheduler;
  /** HS256 key for tokens. Default: random per sandbox, so tokens of another instance are forged. */
  tokenSecret?: string;
  /** Token lifetime (`SANDBOX_TOKEN_TTL`). Default 3600. */
  tokenTtlSeconds?: number;
  /** How long an order stays pending (`SANDBOX_ORDER_TTL`). Default 300. */
  orderTtlSeconds?: number;
  /** Delay before every `/api` answer (`SANDBOX_LATENCY_MS`). Default 0. */
  latencyMs?: number;
  /** Fraction of `/api` requests answered 503 (`SANDBOX_FAULT_RATE`). Default 0. */
  faultRate?: number;
  /**
   * Fraction of webhook events never sent, not even retried, as lost gateway callbacks
   * (`SANDBOX_WEBHOOK_DROP_RATE`). Default 0.
   */
  webhookDropRate?: number;
  /**
   * Extra delay before the first attempt of every webhook event, in ms; retries keep their backoff
   * after it (`SANDBOX_WEBHOOK_DELAY_MS`). Default 0.
   */
  webhookDelayMs?: number;
  /** Webhook attempts per event, first included (`SANDBOX_WEBHOOK_MAX_ATTEMPTS`). Default 6. */
  webhookMaxAttempts?: number;
  /** Delay before the first retry, doubled each time (`SANDBOX_WEBHOOK_BASE_DELAY_MS`). Default 500. */
  webhookBaseDelayMs?: number;
  /** Per-attempt webhook time limit. Default 5000. */
  webhookTimeoutMs?: number;
  /**
   * Most orders (each with its session) kept at once (`SANDBOX_MAX_ORDERS`). A create over the cap
   * first evicts finished orders, those finished longest ago first; when every kept order is still
   * pending it answers 503 instead. Default 100000.
   */
  maxOrders?: number;
  /**
   * Largest request body accepted on `/api`, `/pay` and `/__sandbox`, in bytes; a larger one is a
   * 413 envelope (`SANDBOX_MAX_BODY_BYTES`). Default 65536 (64 KiB).
   */
  maxBodyBytes?: number;
  /**
   * Origin the portal is reached at, used in `paymentUrl` (`SANDBOX_PUBLIC_URL`). Default: the
   * origin each API request came to (`startSandbox` passes its listening URL).
   */
  publicUrl?: string;
  /** Accounts that may log in. Default: every account of `FIXTURES`. */
  accounts?: readonly FixtureAccount[];
  /** Buy buttons that exist. Default: every button of `FIXTURES`. */
  buttons?: readonly FixtureButton[];
  /** Diagnostic lines (webhook failures, unexpected errors). Default: silent. */
  log?: (message: string) => void;
}

export const SANDBOX_DEFAULTS = {
  tokenTtlSeconds: 3600,
  orderTtlSeconds: 300,
  latencyMs: 0,
  faultRate: 0,
  webhookDropRate: 0,
  webhookDelayMs: 0,
  webhookMaxAttempts: 6,
  webhookBaseDelayMs: 500,
  webhookTimeoutMs: 5000,
  maxOrders: 100_000,
  maxBodyBytes: 65_536,
} as const satisfies Partial<SandboxOptions>;

/** A setting outside its range, named so the message points at what to fix. */
export class SandboxConfigError extends Error {
  readonly code = 'ERR_SANDBOX_CONFIG';
  /** The option or environment variable at fault. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.name = 'SandboxConfigError';
    this.setting = setting;
  }
}

type NumericOption = keyof typeof SANDBOX_DEFAULTS;

/** Ranges shared by programmatic options and their environment variables. */
export const NUMERIC_OPTION_RULES = {
  tokenTtlSeconds: { env: 'SANDBOX_TOKEN_TTL', min: 1, max: 31_536_000, integer: true },
  orderTtlSeconds: { env: 'SANDBOX_ORDER_TTL', min: 1, max: 31_536_000, integer: true },
  latencyMs: { env: 'SANDBOX_LATENCY_MS', min: 0, max: 60_000, integer: true },
  faultRate: { env: 'SANDBOX_FAULT_RATE', min: 0, max: 1, integer: false },
  webhookDropRate: { env: 'SANDBOX_WEBHOOK_DROP_RATE', min: 0, max: 1, integer: false },
  webhookDelayMs: { env: 'SANDBOX_WEBHOOK_DELAY_MS', min: 0, max: 3_600_000, integer: true },
  webhookMaxAttempts: { env: 'SANDBOX_WEBHOOK_MAX_ATTEMPTS', min: 1, max: 100, integer: true },
  webhookBaseDelayMs: {
    env: 'SANDBOX_WEBHOOK_BASE_DELAY_MS',
    min: 0,
    max: 3_600_000,
    integer: true,
  },
  webhookTimeoutMs: { env: 'SANDBOX_WEBHOOK_TIMEOUT_MS', min: 1, max: 600_000, integer: true },
  maxOrders: { env: 'SANDBOX_MAX_ORDERS', min: 1, max: 10_000_000, integer: true },
  maxBodyBytes: { env: 'SANDBOX_MAX_BODY_BYTES', min: 1024, max: 16_777_216, integer: true },
} as const satisfies Record<
  NumericOption,
  { env: string; min: number; max: number; integer: boolean }
>;

/** The rule's complaint about `value`, or `undefined` when it fits. */
export function numericProblem(option: NumericOption, value: number): string | undefined {
  const { min, max, integer } = NUMERIC_OPTION_RULES[option];
  const kind = integer ? 'an integer' : 'a number';
  if (
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    return `must be ${kind} between ${min} and ${max}`;
  }
  return undefined;
}

/** Fills defaults and checks ranges; throws `SandboxConfigError` naming the option. */
export function resolveNumericOptions(options: SandboxOptions): Record<NumericOption, number> {
  const resolved = { ...SANDBOX_DEFAULTS } as Record<NumericOption, number>;
  for (const option of Object.keys(NUMERIC_OPTION_RULES) as NumericOption[]) {
    const value = options[option] ?? SANDBOX_DEFAULTS[option];
    const problem = numericProblem(option, value);
    if (problem !== undefined) throw new SandboxConfigError(option, `${option} ${problem}`);
    resolved[option] = value;
  }
  return resolved;
}
