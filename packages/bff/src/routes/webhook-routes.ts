import { type Context, Hono } from 'hono';
import type { BffEnv } from '../app-env.js';
import { BODY_LIMIT_BYTES } from '../body-limit.js';
import { ProblemError } from '../problems/problem-error.js';
import type { BackgroundTasks } from '../runtime/background-tasks.js';
import { type BodyReader, readBodyText } from '../runtime/body-reader.js';
import type { PaymentWebhookHandler } from '../webhooks/payment-webhook.js';
import { webhookBody } from './api-schemas.js';

export interface WebhookRoutesOptions {
  handler: PaymentWebhookHandler;
  background: BackgroundTasks;
  readBody?: BodyReader | undefined;
}

/**
 * `POST /webhooks/payment`: answers 202 at once and re-reads the order in the background, so a
 * slow upstream read never makes the upstream's callback time out and retry. The same code
 * arriving again while it is being handled is not read twice. While the shared store does not
 * answer, the callback is refused with a 503 instead, so the upstream sends it again later.
 */
export function webhookRoutes({ handler, background, readBody }: WebhookRoutesOptions) {
  const handling = new Set<string>();
  return new Hono<BffEnv>().post('/webhooks/payment', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await readBodyText(c, readBody, BODY_LIMIT_BYTES)) as unknown;
    } catch (cause) {
      throw new ProblemError('invalidWebhook', { detail: 'The body is not JSON.', cause });
    }
    const parsed = webhookBody.safeParse(body);
    if (!parsed.success) throw new ProblemError('invalidWebhook');
    const { code } = parsed.data;
    try {
      await handler.storeReachable();
    } catch (cause) {
      throw new ProblemError('storeUnavailable', {
        detail: 'The callback cannot be recorded right now; send it again.',
        cause,
        headers: { 'Retry-After': '1' },
      });
    }
    if (!handling.has(code)) {
      handling.add(code);
      const task = handler.handle(code).finally(() => handling.delete(code));
      background.add(task);
      keepAlive(c, task);
    }
    return c.json({ status: 'accepted' }, 202);
  });
}

/** On Workers the request's own `waitUntil` keeps the isolate alive for the background work. */
function keepAlive(c: Context, task: Promise<unknown>): void {
  let waitUntil: ((task: Promise<unknown>) => void) | undefined;
  try {
    const ctx = c.executionCtx;
    waitUntil = ctx.waitUntil.bind(ctx);
  } catch {
    // No execution context on this runtime (Node, Deno, Bun): `whenIdle` tracks the task.
  }
  waitUntil?.(task.catch(() => undefined));
}
