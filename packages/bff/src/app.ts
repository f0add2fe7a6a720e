import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { BffEnv } from './app-env.js';
import { limitBodies } from './body-limit.js';
import { CheckoutService } from './checkout/checkout-service.js';
import { IdempotencyGuard } from './checkout/idempotency.js';
import { OrderNotes } from './checkout/order-notes.js';
import { createOrderRefGenerator, orderRefMatcher } from './checkout/order-ref.js';
import { ReceiptSigner } from './checkout/receipt-signer.js';
import { RedirectPolicy } from './checkout/redirect-policy.js';
import type { BffConfig, RateLimitSetting } from './config/load-config.js';
import { accessLog } from './middleware/access-log.js';
import { clientIpResolver } from './middleware/client-ip.js';
import { originGuard } from './middleware/origin-guard.js';
import { rateLimit, rateLimiter } from './middleware/rate-limit.js';
import { sessionCors } from './middleware/session-cors.js';
import type { OutboxQueues } from './outbox/job-queue.js';
import { MemoryJobQueue, type SetTimer } from './outbox/memory-job-queue.js';
import { ProblemError } from './problems/problem-error.js';
import { problemFromError, problemResponse } from './problems/problem-response.js';
import { ROUTES } from './routes/api-schemas.js';
import { opsRoutes } from './routes/ops-routes.js';
import { type ScriptBundleSource, scriptRoutes } from './routes/script-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import { fetchTransport, type HttpTransport } from './runtime/http-transport.js';
import { describeError, jsonLogger, type Logger } from './runtime/logger.js';
import { realSleep, type Sleep } from './runtime/timing.js';
import { MemoryStore } from './store/memory-store.js';
import type { SharedStore } from './store/shared-store.js';
import { createTokenProvider } from './upstream/token-provider.js';
import { UpstreamClient } from './upstream/upstream-client.js';
import { type OutboxStatus, PaymentEvents } from './webhooks/payment-events.js';
import { WebhookForwarder } from './webhooks/webhook-forwarder.js';

/** Reads and cancels of one session, per receipt: each costs an upstream call. */
const PER_RECEIPT_LIMIT: RateLimitSetting = { count: 60, windowSeconds: 60 };

/** Everything `createApp` takes from its runtime; each has a default. */
export interface BffDeps {
  /**
   * Outgoing HTTP (upstream API, login, merchant webhook). Default `fetchTransport(deps.fetch)`;
   * the Node entry passes keep-alive `node:http` agents (`createNodeHttpTransport`).
   */
  transport?: HttpTransport;
  /** The `fetch` the default transport calls; ignored with `transport`. Default the global one. */
  fetch?: typeof fetch;
  /** Shared state. Default a `MemoryStore` on the same clock. */
  store?: SharedStore;
  /**
   * The outbox: payment events and orders to check again. Default in-process queues on the same
   * clock (lost on restart); `createBullmqQueues(REDIS_URL)` keeps them in Redis. Required with
   * a `store` other than a `MemoryStore`: `createApp` throws a `TypeError` without it.
   */
  queues?: OutboxQueues;
  /** Timers of the default in-process queues. Default `setTimeout`. */
  setTimer?: SetTimer;
  /** Clock, epoch ms: receipts, token expiry, orderRefs, events. Default `Date.now`. */
  now?: () => number;
  /** Uniform [0, 1) for backoff jitter. Default `Math.random`. */
  random?: () => number;
  /** Random bytes for orderRefs. Default `crypto.getRandomValues`. */
  randomBytes?: (bytes: Uint8Array) => Uint8Array;
  /** Waits between retries. Tests pass one that resolves at once. Default `setTimeout`. */
  sleep?: Sleep;
  /** Structured log lines. Default JSON on stdout/stderr. */
  log?: Logger;
  /** The runtime's keep-alive hook for background work (Workers' `ctx.waitUntil`). */
  waitUntil?: (task: Promise<unknown>) => void;
  /** The connection's peer address (the Node entry reads the socket). */
  clientIp?: (c: Context) => string | undefined;
  /** The element's script-tag build for `/buy-button.js`. */
  scriptBundle?: ScriptBundleSource;
}

/** The BFF: a Hono app plus a way to wait for the work it does after answering. */
export type BffApp = OpenAPIHono<BffEnv> & {
  /** Resolves once background work (a token refresh ahead of expiry) is done. */
  whenIdle(): Promise<void>;
  /** The store the app keeps its state in. */
  readonly store: SharedStore;
  /** The outbox's queues. */
  readonly queues: OutboxQueues;
  /** Pending and failed events, for `/readyz` and the logs. */
  outboxStatus(): Promise<OutboxStatus>;
  /** Stops delivering (a running attempt finishes first) and releases the queues. */
  close(): Promise<void>;
};

/**
 * Builds the BFF as a plain Fetch handler: only the Fetch API and Web Crypto, nothing listening,
 * nothing read from the environment. Serve `app.fetch` on any runtime, or `startBff` on Node.
 *
 * @example
 * const app = createApp(loadConfig(env), { log: () => {} })
 * export default { fetch: app.fetch }
 */
export function createApp(config: BffConfig, deps: BffDeps = {}): BffApp {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const log = deps.log ?? jsonLogger;
  const transport = deps.transport ?? fetchTransport(deps.fetch);
  const inProcessQueues = deps.queues === undefined;
  if (inProcessQueues) {
    if (deps.store !== undefined && !(deps.store instanceof MemoryStore)) {
      // State shared between instances with an outbox in one process: a restart loses its events.
      throw new TypeError(
        'createApp: deps.store keeps state outside this process, so deps.queues must too: pass ' +
          'createBullmqQueues(url) beside createRedisStore(url) (or in-process MemoryJobQueues, ' +
          'whose events a restart loses)',
      );
    }
    log({
      level: 'warn',
      msg: 'payment events are queued in this process: set REDIS_URL so queued events survive a restart',
    });
  }
  const store = deps.store ?? new MemoryStore({ now });
  const queues = deps.queues ?? {
    events: new MemoryJobQueue({ now, setTimer: deps.setTimer }),
    orderChecks: new MemoryJobQueue({ now, setTimer: deps.setTimer }),
  };
  const isOrderRef = orderRefMatcher(config.orderRefPrefix);
  // Work that outlives the response (a token refresh ahead of expiry): handed to the runtime's
  // `waitUntil` when there is one (Workers), and tracked so `whenIdle()` lets tests and graceful
  // shutdown wait for it instead of sleeping.
  const background = new Set<Promise<unknown>>();

  const upstreamOptions = {
    apiUrl: config.upstream.apiUrl,
    transport,
    timeoutMs: config.upstream.timeoutMs,
    now,
    sleep: deps.sleep ?? realSleep,
    log,
  };
  const tokens = createTokenProvider({
    ...upstreamOptions,
    credential: config.upstream.credential,
    store,
    background: (task) => {
      const tracked = task.catch(() => {});
      background.add(tracked);
      void tracked.finally(() => background.delete(tracked));
      deps.waitUntil?.(tracked);
    },
  });
  const upstream = new UpstreamClient({
    ...upstreamOptions,
    tokens,
    retries: config.upstream.retries,
    checkoutDeadlineMs: config.upstream.checkoutTimeoutMs,
    random,
  });
  const forwarder =
    config.webhook.forwardUrl === undefined
      ? undefined
      : new WebhookForwarder({
          url: config.webhook.forwardUrl,
          secrets: config.webhook.secrets,
          transport,
          timeoutMs: config.webhook.timeoutMs,
          now,
        });
  const notes = new OrderNotes(store);
  const events = new PaymentEvents({
    queues,
    upstream,
    notes,
    forwarder,
    isOrderRef,
    schedule: {
      baseMs: config.webhook.retryBaseMs,
      maxDelayMs: config.webhook.retryMaxDelayMs,
      windowMs: config.webhook.retryWindowMs,
      reconcileMarginMs: config.reconcileMarginMs,
    },
    now,
    random,
    log,
  });
  events.start();
  const checkout = new CheckoutService({
    catalog: config.buttons,
    upstream,
    receipts: new ReceiptSigner({ ...config.receipt, now }),
    notes,
    redirects: new RedirectPolicy({ allowedOrigins: config.allowedRedirectOrigins }),
    nextOrderRef: createOrderRefGenerator({
      prefix: config.orderRefPrefix,
      now,
      randomBytes: deps.randomBytes,
    }),
    isOrderRef,
    portalUrl: config.upstream.portalUrl,
    callbackUrl: `${config.publicUrl}/webhooks/payment`,
    defaultReturnUrl: config.defaultReturnUrl,
    defaultCancelUrl: config.defaultCancelUrl,
    // The session exists upstream by now: refusing the shopper would not undo it, and its
    // callback still comes. The failure is logged for the operator.
    onCreated: (orderRef, expiresAt) =>
      events.watch(orderRef, expiresAt).catch((err: unknown) => {
        log({
          level: 'error',
          msg: 'order not watched for reconciliation; only its callback will tell its outcome',
          orderRef,
          error: describeError(err),
        });
      }),
    // A shopper's read never fails for the outbox: the callback and reconciliation remain.
    onOrderRead: (order, via) =>
      events.observe(order, via).then(
        () => undefined,
        (err: unknown) => {
          log({ level: 'warn', msg: `${via}: event not recorded`, error: describeError(err) });
        },
      ),
  });

  const clientIp = clientIpResolver({
    trustProxyHops: config.trustProxyHops,
    fromConnection: deps.clientIp,
  });
  const guard = originGuard({
    allowedOrigins: config.allowedOrigins,
    // Server-to-server JSON calls carry no Origin; a form post always comes from a browser page.
    allowAnonymous: (contentType) => !/form/i.test(contentType),
  });
  /** The guards of a per-client rate limit, none without one. */
  const perClient = (setting: RateLimitSetting | undefined, keyPrefix: string) =>
    setting === undefined
      ? []
      : [rateLimit(rateLimiter({ store, limit: setting, keyPrefix }), clientIp)];

  const app = new OpenAPIHono<BffEnv>();
  app.use(requestId());
  app.use(accessLog({ log }));
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      // Set per route: the script is loaded cross-origin, the API is read through CORS.
      crossOriginResourcePolicy: false,
    }),
  );
  const allowedOrigins = new Set(config.allowedOrigins);
  app.use(
    '/sessions/*',
    // A page of another origin may read the answer to its checkout, and nothing else: that
    // answer is always the origin check's 403 (see originGuard), so the element can say
    // "payments are not set up for this page" instead of reporting a network failure.
    sessionCors((origin, c) => {
      if (allowedOrigins.has(origin)) return origin;
      const checkout =
        c.req.path === '/sessions' &&
        (c.req.method === 'POST' ||
          (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') === 'POST'));
      return checkout ? origin : null;
    }),
  );
  app.use(limitBodies());

  app.route(
    '/',
    sessionRoutes({
      checkout,
      idempotency: new IdempotencyGuard(store, {
        checkoutTimeoutMs: config.upstream.checkoutTimeoutMs,
      }),
      createGuards: [guard, ...perClient(config.rateLimit, 'rate:sessions:')],
      cancelGuards: [guard],
      perReceipt: rateLimiter({ store, limit: PER_RECEIPT_LIMIT, keyPrefix: 'rate:receipt:' }),
    }),
  );
  app.route(
    '/',
    webhookRoutes({ events, guards: perClient(config.callbackRateLimit, 'rate:callbacks:') }),
  );
  app.route('/', opsRoutes({ upstream, store, outbox: () => events.status(), now }));
  app.route('/', scriptRoutes({ source: deps.scriptBundle, log }));

  for (const route of Object.values(ROUTES)) app.openAPIRegistry.registerPath(route);
  app.openAPIRegistry.registerComponent('securitySchemes', 'receipt', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The receipt returned by POST /sessions.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'buy-button BFF',
      version: '0.1.0',
      description: 'Checkout sessions for <buy-button>; errors are RFC 9457 problem details.',
      license: { name: 'MIT', url: 'https://spdx.org/licenses/MIT.html' },
    },
    servers: [{ url: config.publicUrl, description: 'This BFF (PUBLIC_URL)' }],
  });

  app.notFound((c) => problemResponse(c, new ProblemError('notFound')));
  app.onError((err, c) => problemFromError(err, c, log));

  return Object.assign(app, {
    async whenIdle() {
      while (background.size > 0) await Promise.all(background);
    },
    store,
    queues,
    outboxStatus: () => events.status(),
    async close() {
      if (inProcessQueues) {
        const { pending } = await queues.events.counts();
        if (pending > 0) {
          const lost = await queues.events.list('pending', 100);
          log({
            level: 'error',
            msg: 'stopping with payment events not yet delivered; without REDIS_URL they are lost',
            pending,
            webhookIds: lost.map((job) => job.data.webhookId),
          });
        }
      }
      await Promise.all([queues.events.close(), queues.orderChecks.close()]);
    },
  });
}
