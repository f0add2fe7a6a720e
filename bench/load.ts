import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One bounded burst of `POST /sessions`: it stops at `count` requests or `maxDurationMs`. */
export interface LoadOptions {
  /** Base URLs; concurrent clients are spread over them in turn (several instances). */
  targets: string[];
  /** Requests to send at most. */
  count: number;
  /** Time to keep sending at most, in ms; requests in flight at the end are awaited. */
  maxDurationMs: number;
  /** Requests in flight at any time (clients, each with its own keep-alive connection). */
  concurrency: number;
  /** JSON body of every request. */
  body: Record<string, unknown>;
  /** Extra headers, e.g. `Origin`. */
  headers?: Record<string, string>;
  /** Send a fresh `Idempotency-Key` with every request, as the element does. */
  idempotencyKey?: boolean;
  /** One request's time limit, in ms; past it the request counts as a timeout. Default 10 000. */
  requestTimeoutMs?: number;
}

export interface LoadResult {
  sent: number;
  /** Answers by status; `0` = no answer (connection error), `-1` = timed out. */
  statuses: Record<string, number>;
  durationMs: number;
  /** Latency of every answered request, in ms, in completion order. */
  latenciesMs: number[];
  /** The slowest request, answered or not, in ms (proves nothing hung past its timeout). */
  maxMs: number;
}

export interface LoadSummary {
  requests: number;
  ok: number;
  failed: number;
  throughput: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs the load in this process. Use `startLoadGenerator` to keep it off the servers' cores. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { targets, count, concurrency } = options;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const body = JSON.stringify(options.body);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let maxMs = 0;
  const started = performance.now();
  const deadline = started + options.maxDurationMs;

  const client = async (index: number) => {
    const target = new URL('/sessions', targets[index % targets.length]);
    while (sent < count && performance.now() < deadline) {
      sent += 1;
      const t0 = performance.now();
      const status = await post(target, body, agent, timeoutMs, {
        'content-type': 'application/json',
        ...options.headers,
        ...(options.idempotencyKey === true ? { 'idempotency-key': randomUUID() } : {}),
      });
      const elapsed = performance.now() - t0;
      maxMs = Math.max(maxMs, elapsed);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status > 0) latencies.push(elapsed);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  const durationMs = performance.now() - started;
  agent.destroy();
  return { sent, statuses, durationMs, latenciesMs: latencies, maxMs };
}

/** Resolves the status code; 0 on a connection error, -1 on a timeout. The body is drained. */
function post(
  url: URL,
  body: string,
  agent: Agent,
  timeoutMs: number,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (status: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(status);
    };
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => {
      settle(-1);
      req.destroy();
    }, timeoutMs);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => settle(res.statusCode ?? 0));
      res.on('error', () => settle(0));
    });
    req.on('error', () => settle(0));
    req.end(body);
  });
}

/** Throughput and percentiles over one or several results (rounds) taken together. */
export function summarize(results: readonly LoadResult[]): LoadSummary {
  const latencies = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const requests = results.reduce((n, r) => n + r.sent, 0);
  const ok = results.reduce((n, r) => n + countOk(r.statuses), 0);
  const seconds = results.reduce((n, r) => n + r.durationMs, 0) / 1000;
  return {
    requests,
    ok,
    failed: requests - ok,
    throughput: seconds > 0 ? ok / seconds : 0,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

export function countOk(statuses: Record<string, number>): number {
  return Object.entries(statuses)
    .filter(([status]) => Number(status) >= 200 && Number(status) < 300)
    .reduce((n, [, times]) => n + times, 0);
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export interface LoadGenerator {
  run(options: LoadOptions): Promise<LoadResult>;
  stop(): Promise<void>;
}

type LoadMessage = { type: 'result'; result: LoadResult } | { type: 'error'; message: string };

/**
 * A load generator in a child process of its own: on a small machine it still shares the cores
 * with the servers, but not their event loops, so a slow server is not hidden by a busy client.
 */
export function startLoadGenerator(): LoadGenerator {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    run(options) {
      return new Promise((resolve, reject) => {
        const onExit = () => reject(new Error('the load generator exited'));
        child.once('exit', onExit);
        child.once('message', (raw) => {
          child.off('exit', onExit);
          const message = raw as LoadMessage;
          if (message.type === 'result') resolve(message.result);
          else reject(new Error(message.message));
        });
        child.send(options);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

// The child side: one run per message; it dies with its parent.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.send !== undefined) {
  process.once('disconnect', () => process.exit(0));
  process.on('message', (options: LoadOptions) => {
    runLoad(options).then(
      (result) => process.send?.({ type: 'result', result } satisfies LoadMessage),
      (error: unknown) =>
        process.send?.({
          type: 'error',
          message: error instanceof Error ? error.message : String(error),
        } satisfies LoadMessage),
    );
  });
}
