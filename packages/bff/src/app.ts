import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requestId } from 'hono/request-id';
import type { BffEnv } from './app-env.js';
import { BODY_LIMIT_BYTES } from './body-limit.js';
import { CheckoutService } from './checkout/checkout-service.js';
import { IdempotencyGuard } from './checkout/idempotency.js';
import { createOrderRefGenerator, orderRefMatcher } from './checkout/order-ref.js';
import { type HmacSha256, ReceiptSigner } from './checkout/receipt-signer.js';
import { RedirectPolicy } from './checkout/redirect-policy.js';
import type { BffConfig } from './config/load-config.js';
import { accessLog } from './middleware/access-log.js';
import { clientIpResolver } from './middleware/client-ip.js';
import { corsAllowlist } from './middleware/cors-allowlist.js';
import { originGuard, pageOriginCheck } from './middleware/origin-guard.js';
import { rateLimit, rateLimiter } from './middleware/rate-limit.js';
import { requestSizeLimit } from './middleware/request-size-limit.js';
import { securityHeaders } from './middleware/security-headers.js';
import type { OutboxQueues } from './outbox/job-queue.js';
import { MemoryJobQueue, type SetTimer } from './outbox/memory-job-queue.js';
import { ProblemError } from './problems/problem-error.js';
import { problemFromError, problemResponse } from './problems/problem-response.js';
import { ROUTES } from './routes/api-schemas.js';
import {
  type CreateSessionHandler,
  createSessionHandler,
} from './routes/create-session-handler.js';
import { opsRoutes } from './routes/ops-routes.js';
import { type ScriptBundleSource, scriptRoutes } from './routes/script-routes.js';
import { jsonCreateRoute, sessionRoutes } from './routes/session-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import { createBackgroundTasks } from './runtime/background-tasks.js';
import type { BodyReader } from './runtime/body-reader.js';
import { fetchTransport, type HttpTransport } from './runtime/http-transport.js';
import { describeError, jsonLogger, type Logger } from './runtime/logger.js';
import { realSleep, type Sleep } from './runtime/timing.js';
import { MemoryStore } from './store/memory-store.js';
import type { SharedStore } from './store/shared-store.js';
import { createTokenProvider } from './upstream/token-provider.js';
import { UpstreamClient } from './upstream/upstream-client.js';
import { type OutboxStatus, PaymentEvents } from './webhooks/payment-events.js';
import { WebhookForwarder } from './webhooks/webhook-forwarder.js';

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
   * clock (lost on restart); `createBullmqQueues(REDIS_URL)` keeps them in Redis.
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
  /** HMAC for signing receipts. Default Web Crypto; the Node entry passes `node:crypto`'s. */
  hmacSha256?: HmacSha256;
  /** Reads request bodies; the Node entry reads the socket directly. Default `c.req.text()`. */
  readBody?: BodyReader;
  /** The element's script-tag build for `/buy-button.js`. */
  scriptBundle?: ScriptBundleSource;
}

/** The BFF: a Hono app plus a way to wait for the work it does after answering. */
export type BffApp = OpenAPIHono<BffEnv> & {
  /** Resolves once background work (webhook handling and forwarding, token refresh) is done. */
  whenIdle(): Promise<void>;
  /** The store the app keeps its state in. */
  readonly store: SharedStore;
  /** The outbox's queues. */
  readonly queues: OutboxQueues;
  /** Pending and failed events, for `/readyz` and the logs. */
  outboxStatus(): Promise<OutboxStatus>;
  /** Stops delivering (a running attempt finishes first) and releases the queues. */
  close(): Promise<void>;
  /**
   * The element's JSON checkout (`POST /sessions` when `isJsonCreate`), callable without Hono:
   * the Node entry serves it straight from `node:http`.
   */
  readonly createSession: CreateSessionHandler;
  /** `TRUST_PROXY` hops, for a server that reads the client IP itself. */
  readonly trustProxyHops: number;
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
  const sleep = deps.sleep ?? realSleep;
  const log = deps.log ?? jsonLogger;
  const transport = deps.transport ?? fetchTransport(deps.fetch);
  const store = deps.store ?? new MemoryStore({ now });
  const timers = deps.setTimer === undefined ? {} : { setTimer: deps.setTimer };
  const queues = deps.queues ?? {
    events: new MemoryJobQueue({ now, ...timers }),
    orderChecks: new MemoryJobQueue({ now, ...timers }),
  };
  const background = createBackgroundTasks(deps.waitUntil);
  const isOrderRef = orderRefMatcher(config.orderRefPrefix);

  const tokens = createTokenProvider({
    credential: config.upstream.credential,
    apiUrl: config.upstream.apiUrl,
    transport,
    store,
    now,
    sleep,
    timeoutMs: config.upstream.timeoutMs,
    log,
    background: (task) => background.add(task),
  });
  const upstream = new UpstreamClient({
    apiUrl: config.upstream.apiUrl,
    transport,
    tokens,
    timeoutMs: config.upstream.timeoutMs,
    retries: config.upstream.retries,
    sleep,
    random,
    log,
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
  const events = new PaymentEvents({
    queues,
    upstream,
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
    receipts: new ReceiptSigner({
      ...config.receipt,
      now,
      ...(deps.hmacSha256 === undefined ? {} : { hmacSha256: deps.hmacSha256 }),
    }),
    redirects: new RedirectPolicy({ allowedOrigins: config.allowedRedirectOrigins }),
    nextOrderRef: createOrderRefGenerator({
      prefix: config.orderRefPrefix,
      now,
      ...(deps.randomBytes === undefined ? {} : { randomBytes: deps.randomBytes }),
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
  const checkOrigin = pageOriginCheck({
    allowedOrigins: config.allowedOrigins,
    // Server-to-server JSON calls carry no Origin; a form post always comes from a browser page.
    allowAnonymous: (contentType) => !/form/i.test(contentType),
  });
  const limiter =
    config.rateLimit === undefined ? undefined : rateLimiter({ store, limit: config.rateLimit });
  const guard = originGuard(checkOrigin);
  const createGuards = limiter === undefined ? [guard] : [guard, rateLimit(limiter, clientIp)];

  const idempotency = new IdempotencyGuard(store, checkout.sessionCodec);
  const exposeHeaders = ['X-Request-Id', 'Retry-After'];
  const createSession = createSessionHandler({
    checkout,
    idempotency,
    checkOrigin,
    rateLimit: limiter,
    log,
    allowedOrigins: config.allowedOrigins,
    exposeHeaders,
    maxSize: BODY_LIMIT_BYTES,
  });

  const app = new OpenAPIHono<BffEnv>();
  // The element's checkout, ahead of the layers below: the handler applies the same ones itself,
  // in one step, and every other request goes on to them.
  app.post('/sessions', jsonCreateRoute(createSession, clientIp, deps.readBody));
  app.use(requestId());
  app.use(accessLog({ log }));
  app.use(securityHeaders());
  app.use(
    '/sessions/*',
    corsAllowlist({
      origins: config.allowedOrigins,
      allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Idempotency-Key', 'Authorization'],
      exposeHeaders,
      maxAge: 600,
    }),
  );
  app.use(requestSizeLimit({ maxSize: BODY_LIMIT_BYTES }));

  app.route(
    '/',
    sessionRoutes({
      checkout,
      idempotency,
      readBody: deps.readBody,
      createGuards,
      cancelGuards: [guard],
    }),
  );
  app.route('/', webhookRoutes({ events, readBody: deps.readBody }));
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
    },
  });

  app.notFound((c) => problemResponse(c, new ProblemError('notFound')));
  app.onError((err, c) => problemFromError(err, c, log));

  if (deps.queues === undefined) {
    log({
      level: 'warn',
      msg: 'payment events are queued in this process: set REDIS_URL so queued events survive a restart',
    });
  }

  return Object.assign(app, {
    whenIdle: () => background.whenIdle(),
    store,
    queues,
    outboxStatus: () => events.status(),
    async close() {
      if (deps.queues === undefined) {
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
    createSession,
    trustProxyHops: config.trustProxyHops,
  });
}
