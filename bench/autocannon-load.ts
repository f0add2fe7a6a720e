import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { type ChildWorker, serveInChild, startChildWorker } from './child-worker.js';

/**
 * `pnpm bench`'s load: autocannon (a closed loop of keep-alive connections, each sending its next
 * request as soon as the previous answer is in, over a raw socket with its own HTTP parser), run
 * in a child process of its own so it shares no event loop with a server. One burst per message,
 * bounded in time (and, with `amount`, in count).
 */
export interface BurstOptions {
  /** Base URLs; connections are spread over them in turn (several instances). */
  targets: readonly string[];
  /** Connections, each with one request in flight at a time. */
  connections: number;
  /** Run this long, in ms (a round). Ignored when `amount` is set. */
  durationMs?: number;
  /** Send this many requests, then stop (still cut at `maxDurationMs`). */
  amount?: number;
  /** Stop after this long whatever is left, in ms. */
  maxDurationMs: number;
  /** JSON body of every request. */
  body: Readonly<Record<string, unknown>>;
  /** Extra headers, e.g. `Origin`. */
  headers?: Readonly<Record<string, string>>;
  /** A fresh `Idempotency-Key` (a UUID) on every request, as the element sends. */
  idempotencyKey: boolean;
  /** Send back the latency of every 2xx answer, for percentiles over several bursts. */
  keepLatencies?: boolean;
}

export interface BurstResult {
  /** 2xx answers. */
  ok: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
  /** Requests that got no answer: connection errors and timeouts (autocannon's `errors`). */
  errors: number;
  timeouts: number;
  /** From the start of the burst to its last answer, in ms. */
  durationMs: number;
  /** Latency of every 2xx answer in ms (µs resolution), when `keepLatencies`. */
  latenciesMs: number[];
}

export type AutocannonProcess = ChildWorker<BurstOptions, BurstResult>;

/** Starts the load generator's child process; `run` one burst at a time. */
export function startAutocannonProcess(): AutocannonProcess {
  return startChildWorker<BurstOptions, BurstResult>(import.meta.url);
}

/** One burst, in this process. */
export function runBurst(options: BurstOptions): Promise<BurstResult> {
  return new Promise((resolve, reject) => {
    const statuses: Record<string, number> = {};
    const latenciesMs: number[] = [];
    let ok = 0;
    const started = performance.now();
    let lastAnswer = started;
    let cap: NodeJS.Timeout | undefined;
    const keyed: autocannon.Request[] = [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, 'idempotency-key': randomUUID() },
        }),
      },
    ];
    const instance = autocannon(
      {
        // autocannon takes several URLs (connection i goes to URL i mod n); its types say one.
        url: options.targets.map(
          (target) => new URL('/sessions', target).href,
        ) as unknown as string,
        method: 'POST',
        connections: options.connections,
        ...(options.amount === undefined
          ? { duration: (options.durationMs ?? options.maxDurationMs) / 1000 }
          : { amount: options.amount }),
        body: JSON.stringify(options.body),
        headers: { 'content-type': 'application/json', ...options.headers },
        ...(options.idempotencyKey ? { requests: keyed } : {}),
        timeout: 10,
        // How often autocannon samples its counters: also how soon it notices the end of a burst.
        sampleInt: 100,
      },
      (error, result) => {
        clearTimeout(cap);
        if (error !== null && error !== undefined) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        resolve({
          ok,
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
          durationMs: lastAnswer - started,
          latenciesMs,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      lastAnswer = performance.now();
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) {
        ok += 1;
        if (options.keepLatencies === true)
          latenciesMs.push(Math.round(responseTime * 1000) / 1000);
      }
    });
    cap = setTimeout(() => instance.stop(), options.maxDurationMs);
  });
}

serveInChild(import.meta.url, runBurst);
