import { Hono } from 'hono';
import type { BffEnv } from '../app-env.js';
import { ProblemError } from '../problems/problem-error.js';
import { reachStore, type SharedStore } from '../store/shared-store.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import type { OutboxStatus } from '../webhooks/payment-events.js';

export interface OpsRoutesOptions {
  upstream: UpstreamClient;
  /** The shared store; `/readyz` fails while it does not answer (Redis down). */
  store?: SharedStore | undefined;
  /** The outbox's figures, shown by `/readyz`. */
  outbox: () => Promise<OutboxStatus>;
  now: () => number;
}

/** `/readyz` reads the outbox's figures at most this often: load balancers poll it. */
const OUTBOX_FIGURES_TTL_MS = 5000;

/** `/healthz` (the process answers) and `/readyz` (it can take a checkout right now). */
export function opsRoutes({ upstream, store, outbox, now }: OpsRoutesOptions) {
  let figures: { at: number; value: Promise<OutboxStatus> } | undefined;
  const outboxFigures = () => {
    if (figures === undefined || now() - figures.at >= OUTBOX_FIGURES_TTL_MS) {
      const value = outbox();
      figures = { at: now(), value };
      // A failed read is not kept: the next probe asks again.
      value.catch(() => {
        if (figures?.value === value) figures = undefined;
      });
    }
    return figures.value;
  };
  return new Hono<BffEnv>()
    .get('/healthz', (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'ok' });
    })
    .get('/readyz', async (c) => {
      c.header('Cache-Control', 'no-store');
      const [storeCheck, upstreamCheck, outboxCheck] = await Promise.allSettled([
        store === undefined ? Promise.resolve() : reachStore(store),
        upstream.probe(),
        outboxFigures(),
      ]);
      if (storeCheck.status === 'rejected') {
        throw new ProblemError('notReady', {
          detail: 'The shared store (Redis) does not answer.',
          cause: storeCheck.reason,
        });
      }
      if (outboxCheck.status === 'rejected') {
        throw new ProblemError('notReady', {
          detail: 'The outbox (Redis) does not answer: payment events cannot be recorded.',
          cause: outboxCheck.reason,
        });
      }
      if (upstreamCheck.status === 'rejected') {
        throw new ProblemError('notReady', {
          detail: 'The payment service cannot be reached or refuses the credential.',
          cause: upstreamCheck.reason,
        });
      }
      return c.json({ status: 'ready', outbox: outboxCheck.value });
    });
}
