import { createMiddleware } from 'hono/factory';
import { InjectedFaultError } from './errors.js';
import type { Scheduler } from './scheduler.js';

/**
 * Runtime-adjustable faults: `latencyMs` and `faultRate` apply to every `/api` request, the
 * `webhook*` ones to every webhook event dispatched while they are in force.
 */
export interface FaultSettings {
  /** Delay added before each API answer, in ms. */
  latencyMs: number;
  /** Fraction (0..1) of API requests answered with a 503 envelope. */
  faultRate: number;
  /** Fraction (0..1) of webhook events never sent (not retried either), as lost callbacks. */
  webhookDropRate: number;
  /** Extra delay before each webhook event's first attempt, in ms. */
  webhookDelayMs: number;
}

export interface FaultInjectionOptions {
  settings: () => FaultSettings;
  random: () => number;
  schedule: Scheduler;
  onFault: () => void;
}

/**
 * Latency first, then the dice: a faulted request still costs its latency, as a slow failing
 * upstream does. The injected `random` makes the dice deterministic in tests.
 */
export function faultInjection({ settings, random, schedule, onFault }: FaultInjectionOptions) {
  return createMiddleware(async (_c, next) => {
    const { latencyMs, faultRate } = settings();
    if (latencyMs > 0) await new Promise<void>((resolve) => schedule(resolve, latencyMs));
    if (faultRate > 0 && random() < faultRate) {
      onFault();
      throw new InjectedFaultError();
    }
    await next();
  });
}
