import { Hono } from 'hono';
import type { BffEnv } from '../app-env.js';
import { ProblemError } from '../problems/problem-error.js';
import { reachStore, type SharedStore } from '../store/shared-store.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import type { OutboxStatus } from '../webhooks/payment-events.js';

export interface OpsRoutesOptions {
  upstream: UpstreamClient;
  /** The shared store; `/readyz` fails while it does not answer (Redis down). */
  store: SharedStore;
  /** The outbox's figures, shown by `/readyz`. */
  outbox: () => Promise<OutboxStatus>;
  now: () => number;
}

/**
 * `/readyz` asks the upstream and reads the outbox's figures at most this often, whatever the
 * answer: load balancers poll it, and anyone may, so it must not turn into upstream calls.
 */
const READY_CHECK_TTL_MS = 5000;

/** `/healthz` (the process answers) and `/readyz` (it can take a checkout right now). */
export function opsRoutes({ upstream, store, outbox, now }: OpsRoutesOptions) {
  let probed: { at: number; checks: [Promise<void>, Promise<OutboxStatus>] } | undefined;
  const probes = () => {
    if (probed === undefined || now() - probed.at >= READY_CHECK_TTL_MS) {
      probed = { at: now(), checks: [upstream.probe(), outbox()] };
    }
    return probed.checks;
  };
  return new Hono<BffEnv>()
    .get('/healthz', (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'ok' });
    })
    .get('/readyz', async (c) => {
      c.header('Cache-Control', 'no-store');
      const [storeCheck, upstreamCheck, outboxCheck] = await Promise.allSettled([
        reachStore(store),
        ...probes(),
      ]);
      passed(storeCheck, 'The shared store (Redis) does not answer.');
      passed(outboxCheck, 'The outbox (Redis) does not answer: payment events cannot be recorded.');
      passed(upstreamCheck, 'The payment service cannot be reached or refuses the credential.');
      return c.json({ status: 'ready', outbox: outboxCheck.value });
    });
}

/** Throws the `notReady` problem, with `detail`, if `check` failed. */
function passed<T>(
  check: PromiseSettledResult<T>,
  detail: string,
): asserts check is PromiseFulfilledResult<T> {
  if (check.status === 'rejected') {
    throw new ProblemError('notReady', { detail, cause: check.reason });
  }
}
