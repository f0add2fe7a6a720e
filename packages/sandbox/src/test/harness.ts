import { createSandbox, type Sandbox } from '../create-sandbox.js';
import type { FailureEnvelope, SuccessEnvelope } from '../envelope.js';
import type { SandboxOptions } from '../sandbox-options.js';
import type { Scheduler } from '../scheduler.js';
import type { SessionView } from '../session-store.js';
import type { FetchLike, WebhookPayload } from '../webhook-dispatcher.js';

export const START = Date.parse('2026-03-02T10:00:00.000Z');
export const TEST_SECRET = 'test-secret-of-at-least-32-bytes!!';
export const PUBLIC_URL = 'https://sandbox.example';
export const CALLBACK_URL = 'https://merchant.example/webhooks/payment';

export const LOGINS = {
  service: { email: 'service@sandbox.test', password: 'sandbox-service' },
  manager: { email: 'manager@sandbox.test', password: 'sandbox-manager' },
  superManager: { email: 'supermanager@sandbox.test', password: 'sandbox-supermanager' },
  superAdmin: { email: 'admin@sandbox.test', password: 'sandbox-admin' },
  simpleUser: { email: 'user@sandbox.test', password: 'sandbox-user' },
  cashier: { email: 'cashier@sandbox.test', password: 'sandbox-cashier' },
  association: { email: 'association@sandbox.test', password: 'sandbox-association' },
} as const;

export type LoginName = keyof typeof LOGINS;

export interface RecordedWebhook {
  url: string;
  payload: WebhookPayload;
}

export type Envelope<T = unknown> = SuccessEnvelope<T> | FailureEnvelope;

export interface HarnessOptions extends SandboxOptions {
  /** Status the webhook receiver answers for attempt n (1-based). Default 200. */
  webhookStatus?: (attempt: number) => number;
}

/**
 * A sandbox on a frozen clock with an in-process webhook receiver and a scheduler that runs
 * timers at once (recording the delays asked for), so nothing in a test waits on real time.
 */
export function createHarness(options: HarnessOptions = {}) {
  const { webhookStatus = () => 200, ...sandboxOptions } = options;
  let clock = START;
  const webhooks: RecordedWebhook[] = [];
  const delays: number[] = [];
  const schedule: Scheduler = (task, delayMs) => {
    delays.push(delayMs);
    queueMicrotask(task);
    return () => {};
  };
  const fetchWebhook: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    webhooks.push({ url: request.url, payload: (await request.json()) as WebhookPayload });
    return new Response(null, { status: webhookStatus(webhooks.length) });
  };
  const sandbox: Sandbox = createSandbox({
    now: () => clock,
    random: () => 0.5,
    tokenSecret: TEST_SECRET,
    publicUrl: PUBLIC_URL,
    fetch: fetchWebhook,
    schedule,
    ...sandboxOptions,
  });

  async function call<T = unknown>(
    method: string,
    path: string,
    init: { token?: string; body?: unknown; rawBody?: string } = {},
  ): Promise<{ status: number; body: Envelope<T>; headers: Headers }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const res = await sandbox.app.request(path, { method, headers, body });
    return { status: res.status, body: (await res.json()) as Envelope<T>, headers: res.headers };
  }

  async function login(name: LoginName = 'service'): Promise<string> {
    const res = await call<{ token: string }>('POST', '/api/auth/login', { body: LOGINS[name] });
    if (!res.body.success) throw new Error(`login ${name} failed: ${res.body.message}`);
    return res.body.data.token;
  }

  let orderRefs = 0;
  /** Creates a session as the Service account; defaults to a coffee with a callback. */
  async function createSession(body: Record<string, unknown> = {}): Promise<SessionView> {
    orderRefs += 1;
    const res = await call<SessionView>('POST', '/api/buy-button/sessions', {
      token: await login('service'),
      body: {
        button: 'btn_coffee',
        orderRef: `order-${orderRefs}`,
        callbackUrl: CALLBACK_URL,
        ...body,
      },
    });
    if (!res.body.success) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  return {
    sandbox,
    webhooks,
    delays,
    call,
    login,
    createSession,
    advance(ms: number) {
      clock += ms;
    },
    now: () => clock,
  };
}

export type Harness = ReturnType<typeof createHarness>;

/** Narrows an envelope to its failure, failing the test if it succeeded. */
export function failure(body: Envelope): FailureEnvelope {
  if (body.success) throw new Error(`expected a failure envelope, got ${JSON.stringify(body)}`);
  return body;
}

/** Narrows an envelope to its success, failing the test if it failed. */
export function success<T>(body: Envelope<T>): T {
  if (!body.success) throw new Error(`expected a success envelope, got ${JSON.stringify(body)}`);
  return body.data;
}
