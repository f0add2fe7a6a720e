import { createSandbox, FIXTURES, type SandboxOptions } from '@buy-button/sandbox';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';
import { type BffDeps, createApp } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import type { EventJob, OrderCheckJob, OutboxQueues } from '../outbox/job-queue.js';
import { MemoryJobQueue } from '../outbox/memory-job-queue.js';
import type { LogEntry } from '../runtime/logger.js';
import { MemoryStore } from '../store/memory-store.js';
import { manualTime } from './manual-time.js';

export const SANDBOX_URL = 'http://sandbox.test';
export const BFF_URL = 'http://bff.test';
export const SHOP = 'https://shop.test';
export const MERCHANT_HOOK = 'https://shop.test/webhooks/lyzi';
export const WEBHOOK_SECRET = `whsec_${btoa('0123456789abcdef0123456789abcdef')}`;
export const RECEIPT_SECRET = 'r'.repeat(40);
/** Near real time: merchants' Standard Webhooks verification checks timestamps on the real clock. */
export const START = Math.floor(Date.now() / 1000) * 1000;

const service = FIXTURES.accounts.service;

/** Settings of a BFF wired to the in-process sandbox and a fake shop. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    UPSTREAM_API_URL: `${SANDBOX_URL}/api`,
    PORTAL_URL: `${SANDBOX_URL}/pay`,
    UPSTREAM_EMAIL: service.email,
    UPSTREAM_PASSWORD: service.password,
    PUBLIC_URL: BFF_URL,
    ALLOWED_ORIGINS: SHOP,
    BUTTONS: JSON.stringify({
      btn_coffee: { name: 'Coffee beans', price: '4.50', currency: 'EUR', maxQuantity: 10 },
      btn_donation: { name: 'Donation', currency: 'EUR', min: '1.00', max: '500.00' },
    }),
    RECEIPT_SECRET,
    WEBHOOK_FORWARD_URL: MERCHANT_HOOK,
    WEBHOOK_SECRET,
    ORDER_REF_PREFIX: 'test-',
    RATE_LIMIT: '0',
    ...overrides,
  };
}

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  sandbox?: SandboxOptions;
  deps?: BffDeps;
  /** What the fake shop answers to webhooks. Default 204. */
  merchantStatus?: () => number;
  /** Wraps the outbox's queues (e.g. to play an outage of their store). */
  wrapQueues?: (queues: OutboxQueues) => OutboxQueues;
}

/**
 * A BFF and a real sandbox talking to each other in-process, on one frozen clock, with a fake
 * shop receiving the BFF's webhooks. No socket, no real timer: upstream retries wait for
 * nothing, and the outbox's delayed work runs when a test moves the clock (`advance`).
 */
export function createHarness(options: HarnessOptions = {}) {
  const time = manualTime(START);
  const { clock, setTimer } = time;
  const now = () => clock.now;
  const logs: LogEntry[] = [];
  const received: ReceivedWebhook[] = [];
  const calls: { method: string; url: string; body?: string | undefined }[] = [];

  const merchant = async (request: Request): Promise<Response> => {
    received.push({
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    });
    return new Response(null, { status: options.merchantStatus?.() ?? 204 });
  };

  const sandbox = createSandbox({
    now,
    publicUrl: SANDBOX_URL,
    schedule: (task) => {
      queueMicrotask(task);
      return () => {};
    },
    fetch: (input, init) => bff.fetch(new Request(input, init)),
    ...options.sandbox,
  });

  const route: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    calls.push({ method: request.method, url: request.url, body });
    const { origin } = new URL(request.url);
    if (origin === SANDBOX_URL) return sandbox.app.fetch(request);
    if (origin === SHOP) return merchant(request);
    throw new TypeError(`fetch failed: no route to ${origin}`);
  };

  const queues = {
    events: new MemoryJobQueue<EventJob>({ now, setTimer }),
    orderChecks: new MemoryJobQueue<OrderCheckJob>({ now, setTimer }),
  };

  const store = new MemoryStore({ now });
  const config = loadConfig(testEnv(options.env));
  const bff = createApp(config, {
    fetch: route,
    now,
    store,
    queues: options.wrapQueues?.(queues) ?? queues,
    sleep: async () => {},
    log: (entry) => logs.push(entry),
    ...options.deps,
  });

  /** Waits until webhooks in both directions, and the outbox work due now, have been handled. */
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i += 1) {
      await sandbox.whenIdle();
      await bff.whenIdle();
      await queues.events.whenIdle();
      await queues.orderChecks.whenIdle();
    }
  };

  /** Moves the clock on by `ms`, running each outbox timer due on the way at its own time. */
  const advance = (ms: number): Promise<void> => time.runUntil(clock.now + ms, settle);

  return { bff, sandbox, config, clock, logs, received, calls, store, queues, settle, advance };
}

export type Harness = ReturnType<typeof createHarness>;

/** `POST /sessions` as the shop's page would send it. */
export function checkout(
  harness: Harness,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return harness.bff.request('/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP, ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * Verifies a forwarded webhook as a merchant would, returning its event. Tests move the BFF's
 * clock hours ahead; the receiver's clock is set to the moment the attempt was signed, so the
 * library's freshness check holds as it would for a shop receiving it then.
 */
export function verifyWebhook(hook: ReceivedWebhook, secret = WEBHOOK_SECRET): unknown {
  const sentAt = Number(hook.headers['webhook-timestamp']) * 1000;
  vi.useFakeTimers({ toFake: ['Date'], now: Number.isFinite(sentAt) ? sentAt : Date.now() });
  try {
    return new Webhook(secret).verify(hook.body, {
      'webhook-id': hook.headers['webhook-id'] ?? '',
      'webhook-timestamp': hook.headers['webhook-timestamp'] ?? '',
      'webhook-signature': hook.headers['webhook-signature'] ?? '',
    });
  } finally {
    vi.useRealTimers();
  }
}
