import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ok, parseJsonBody } from './envelope.js';
import { NotFoundError } from './errors.js';
import type { FaultSettings } from './fault-injection.js';
import { type FinalOrderState, ORDER_STATE } from './order-state.js';
import type { SandboxStats } from './sandbox-stats.js';
import type { SessionStore } from './session-store.js';

/** Each helper moves an order exactly as the portal (pay, cancel) or the clock (expire) would. */
const HELPER_TARGET = {
  pay: ORDER_STATE.executed,
  cancel: ORDER_STATE.canceled,
  expire: ORDER_STATE.expired,
  fail: ORDER_STATE.error,
} as const satisfies Record<string, FinalOrderState>;

const isHelper = (value: string): value is keyof typeof HELPER_TARGET =>
  Object.hasOwn(HELPER_TARGET, value);

export const faultSettingsBody = z.strictObject(
  {
    latencyMs: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be an integer' })
      .min(0, { error: 'must be between 0 and 60000' })
      .max(60_000, { error: 'must be between 0 and 60000' })
      .optional(),
    faultRate: z
      .number({ error: 'must be a number' })
      .min(0, { error: 'must be between 0 and 1' })
      .max(1, { error: 'must be between 0 and 1' })
      .optional(),
    webhookDropRate: z
      .number({ error: 'must be a number' })
      .min(0, { error: 'must be between 0 and 1' })
      .max(1, { error: 'must be between 0 and 1' })
      .optional(),
    webhookDelayMs: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be an integer' })
      .min(0, { error: 'must be between 0 and 3600000' })
      .max(3_600_000, { error: 'must be between 0 and 3600000' })
      .optional(),
  },
  {
    error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown field' : 'must be an object'),
  },
);

export interface ControlRoutesOptions {
  store: SessionStore;
  stats: () => SandboxStats;
  faults: () => FaultSettings;
  setFaults: (patch: Partial<FaultSettings>) => FaultSettings;
}

/**
 * Test controls answer their figures at the top level (`{ logins, ... }`), and, like every
 * sandbox answer, also inside the envelope's `data`, so either way of reading them works.
 */
function flat<T extends object>(c: Context, value: T) {
  return c.json({ success: true, status: 200, data: value, ...value });
}

/** `/__sandbox`: the sandbox's own test controls; the real API has nothing like it. */
export function controlRoutes({ store, stats, faults, setFaults }: ControlRoutesOptions) {
  return new Hono()
    .get('/stats', (c) => flat(c, stats()))
    .get('/faults', (c) => flat(c, faults()))
    .post('/faults', async (c) => {
      const patch = await parseJsonBody(c, faultSettingsBody);
      const next: Partial<FaultSettings> = {};
      if (patch.latencyMs !== undefined) next.latencyMs = patch.latencyMs;
      if (patch.faultRate !== undefined) next.faultRate = patch.faultRate;
      if (patch.webhookDropRate !== undefined) next.webhookDropRate = patch.webhookDropRate;
      if (patch.webhookDelayMs !== undefined) next.webhookDelayMs = patch.webhookDelayMs;
      return flat(c, setFaults(next));
    })
    .post('/orders/:code/:helper', (c) => {
      const { code, helper } = c.req.param();
      if (!isHelper(helper)) throw new NotFoundError(`Unknown order helper: ${helper}`);
      return ok(c, store.settle(code, HELPER_TARGET[helper]));
    });
}
