import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authRoutes } from './auth-routes.js';
import { controlRoutes } from './control-routes.js';
import { conversionStatusRoutes } from './conversion-status-routes.js';
import { errorResponse, failureBody } from './envelope.js';
import { PayloadTooLargeError } from './errors.js';
import { type FaultSettings, faultInjection } from './fault-injection.js';
import { FIXTURE_ACCOUNTS, FIXTURE_BUTTONS } from './fixtures.js';
import { createIdGenerator } from './id-generator.js';
import { ORDER_STATE, WEBHOOK_STATUS } from './order-state.js';
import { portalRoutes } from './portal-routes.js';
import type { SandboxEnv } from './sandbox-env.js';
import {
  numericProblem,
  resolveNumericOptions,
  SandboxConfigError,
  type SandboxOptions,
} from './sandbox-options.js';
import type { SandboxStats } from './sandbox-stats.js';
import { timerScheduler } from './scheduler.js';
import { sessionRoutes } from './session-routes.js';
import { SessionStore } from './session-store.js';
import { createTokenService } from './token-service.js';
import { createWebhookDispatcher } from './webhook-dispatcher.js';

export interface Sandbox {
  /** The whole sandbox as a Hono app: `/api`, `/pay`, `/__sandbox`, `/healthz`. */
  app: Hono;
  /** Counters, as `GET /__sandbox/stats` answers them. */
  stats(): SandboxStats;
  /** Expires every pending order past its time (with webhooks); returns how many. */
  sweep(): number;
  /** Resolves when no webhook delivery is pending, retries included. */
  whenIdle(): Promise<void>;
  /** Current fault settings. */
  faults(): FaultSettings;
  /** Changes fault settings (as `POST /__sandbox/faults` does); returns the new ones. */
  setFaults(patch: Partial<FaultSettings>): FaultSettings;
  /** Abandons pending webhook retries. The app keeps answering. */
  close(): void;
}

/**
 * Builds a sandbox: no socket, no timer, nothing global. Serve `sandbox.app.fetch` anywhere, or use
 * `startSandbox` on Node.
 *
 * @example
 * const sandbox = createSandbox({ now: () => frozen, fetch: (input, init) => bff.fetch(new Request(input, init)) });
 * const res = await sandbox.app.request('/api/auth/login', { method: 'POST', body: JSON.stringify(creds) });
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const numbers = resolveNumericOptions(options);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const schedule = options.schedule ?? timerScheduler;
  const log = options.log ?? (() => {});
  const publicUrl = options.publicUrl;
  if (publicUrl !== undefined && !URL.canParse(publicUrl)) {
    throw new SandboxConfigError('publicUrl', 'publicUrl must be an absolute URL');
  }
  const secret =
    options.tokenSecret === undefined
      ? crypto.getRandomValues(new Uint8Array(32))
      : new TextEncoder().encode(options.tokenSecret);

  let faults: FaultSettings = {
    latencyMs: numbers.latencyMs,
    faultRate: numbers.faultRate,
    webhookDropRate: numbers.webhookDropRate,
    webhookDelayMs: numbers.webhookDelayMs,
  };
  const counts = { logins: 0, loginFailures: 0, apiRequests: 0, faultsInjected: 0 };

  const webhooks = createWebhookDispatcher({
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    schedule,
    random,
    faults: () => ({ dropRate: faults.webhookDropRate, delayMs: faults.webhookDelayMs }),
    maxAttempts: numbers.webhookMaxAttempts,
    baseDelayMs: numbers.webhookBaseDelayMs,
    timeoutMs: numbers.webhookTimeoutMs,
    log,
  });
  const store = new SessionStore({
    buttons: options.buttons ?? FIXTURE_BUTTONS,
    ids: createIdGenerator(now, random),
    now,
    orderTtlMs: numbers.orderTtlSeconds * 1000,
    maxOrders: numbers.maxOrders,
    onStateChange(order) {
      if (order.callbackUrl === null || order.state === ORDER_STATE.pending) return;
      webhooks.dispatch(order.callbackUrl, {
        code: order.code,
        status: WEBHOOK_STATUS[order.state],
        state: order.state,
        orderRef: order.orderRef,
        sessionId: order.sessionId,
        amount: order.amount,
        currency: order.currency,
      });
    },
  });
  const tokens = createTokenService({ secret, ttlSeconds: numbers.tokenTtlSeconds, now });

  const stats = (): SandboxStats => {
    const hooks = webhooks.counters();
    return {
      ...counts,
      ...store.counters(),
      webhooksDelivered: hooks.delivered,
      webhooksFailed: hooks.failed,
      webhooksDropped: hooks.dropped,
      webhookAttempts: hooks.attempts,
      webhooksPending: hooks.pending,
    };
  };
  const setFaults = (patch: Partial<FaultSettings>): FaultSettings => {
    for (const [key, value] of Object.entries(patch) as [keyof FaultSettings, number][]) {
      const problem = numericProblem(key, value);
      if (problem !== undefined) throw new SandboxConfigError(key, `${key} ${problem}`);
    }
    faults = { ...faults, ...patch };
    return { ...faults };
  };

  // A larger body is refused before anything reads it, as a 413 envelope through the one error
  // mapper: by its Content-Length when it declares one (Node's parser never delivers more), or by
  // Hono's bodyLimit while it streams in. Hono's middleware is not run on every request because
  // it reads `c.req.raw.body` first, which on Node builds a full Request and a web stream.
  const tooLarge = () => {
    throw new PayloadTooLargeError(numbers.maxBodyBytes);
  };
  const streamedLimit = bodyLimit({ maxSize: numbers.maxBodyBytes, onError: tooLarge });
  const limitBody: MiddlewareHandler = async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > numbers.maxBodyBytes ? tooLarge() : next();
    }
    return streamedLimit(c, next);
  };

  const api = new Hono<SandboxEnv>()
    .use(async (_c, next) => {
      counts.apiRequests += 1;
      await next();
    })
    .use(limitBody)
    .use(
      faultInjection({
        settings: () => faults,
        random,
        schedule,
        onFault: () => {
          counts.faultsInjected += 1;
        },
      }),
    )
    .route(
      '/auth',
      authRoutes({
        accounts: options.accounts ?? FIXTURE_ACCOUNTS,
        tokens,
        onLogin: (outcome) => {
          if (outcome === 'success') counts.logins += 1;
          else counts.loginFailures += 1;
        },
      }),
    )
    .route('/buy-button/sessions', sessionRoutes({ store, tokens, publicUrl }))
    .route('/confirm_conversion', conversionStatusRoutes({ store, tokens }));

  const app = new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .use('/pay/*', limitBody)
    .use('/__sandbox/*', limitBody)
    .route('/api', api)
    .route('/pay', portalRoutes({ store }))
    .route('/__sandbox', controlRoutes({ store, stats, faults: () => ({ ...faults }), setFaults }));
  app.notFound((c) => {
    const { pathname } = new URL(c.req.url);
    if (/^\/(api|__sandbox)(\/|$)/.test(pathname)) {
      return c.json(failureBody(404, `Not found: ${c.req.method} ${pathname}`), 404);
    }
    return c.text('Not found', 404);
  });
  app.onError((err, c) => errorResponse(c, err, log));

  return {
    app,
    stats,
    sweep: () => store.sweep(),
    whenIdle: () => webhooks.whenIdle(),
    faults: () => ({ ...faults }),
    setFaults,
    close: () => webhooks.close(),
  };
}
