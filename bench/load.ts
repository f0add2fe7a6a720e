import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { type ChildWorker, serveInChild, startChildWorker } from './child-worker.js';

/**
 * The soaks' load generator (`bench/soak.ts`, and `percentile` for `bench/soak-outbox.ts`): a
 * closed loop of clients on `node:http` that can send each `Idempotency-Key` twice, the second
 * time to another instance, as a shopper's retry would, and keep what each request got (status,
 * sessionId) to check for duplicate sessions. autocannon, which `pnpm bench` uses, ties each
 * connection to one target, so it cannot send a key's retry to the other instance: the soaks keep
 * this generator.
 *
 * One bounded burst of `POST /sessions`: it stops at `count` requests or `maxDurationMs`.
 */
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
  /**
   * Sends each `Idempotency-Key` this many times in a row, each time to the next target, as a
   * shopper's retry would (default 1). Needs `idempotencyKey`.
   */
  sendsPerKey?: number;
  /** Return what each request got (key, status, sessionId) for checks on duplicates. */
  record?: boolean;
}

/** What one request got, when `record` is on. */
export interface RequestRecord {
  key: string;
  target: number;
  status: number;
  sessionId?: string;
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
  /** Error answers (4xx, 5xx) that were not `application/problem+json`. */
  notProblem: number;
  /** Requests that got no answer, by error code (`ECONNRESET`, ...). */
  errors: Record<string, number>;
  records: RequestRecord[];
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

  const urls = targets.map((target) => new URL('/sessions', target));
  const sendsPerKey = options.sendsPerKey ?? 1;
  const records: RequestRecord[] = [];
  let notProblem = 0;
  const errors: Record<string, number> = {};

  const client = async (index: number) => {
    let turn = index;
    while (sent < count && performance.now() < deadline) {
      const key = randomUUID();
      for (let send = 0; send < sendsPerKey && sent < count; send += 1) {
        sent += 1;
        const target = turn % urls.length;
        turn += 1;
        const t0 = performance.now();
        const answer = await post(urls[target] as URL, body, agent, timeoutMs, options.record, {
          'content-type': 'application/json',
          ...options.headers,
          ...(options.idempotencyKey === true ? { 'idempotency-key': key } : {}),
        });
        const elapsed = performance.now() - t0;
        maxMs = Math.max(maxMs, elapsed);
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.status > 0) latencies.push(elapsed);
        if (answer.status >= 400 && !answer.problem) notProblem += 1;
        if (answer.error !== undefined) errors[answer.error] = (errors[answer.error] ?? 0) + 1;
        if (options.record === true) {
          const record: RequestRecord = { key, target, status: answer.status };
          const sessionId = sessionIdOf(answer.body);
          if (sessionId !== undefined) record.sessionId = sessionId;
          records.push(record);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  const durationMs = performance.now() - started;
  agent.destroy();
  return { sent, statuses, durationMs, latenciesMs: latencies, maxMs, notProblem, errors, records };
}

function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message;
}

function sessionIdOf(body: string | undefined): string | undefined {
  if (body === undefined || body === '') return undefined;
  try {
    const parsed = JSON.parse(body) as { sessionId?: unknown };
    return typeof parsed.sessionId === 'string' ? parsed.sessionId : undefined;
  } catch {
    return undefined;
  }
}

interface Answer {
  /** HTTP status; 0 on a connection error, -1 on a timeout. */
  status: number;
  problem: boolean;
  body?: string;
  error?: string;
}

/** Sends one request and drains the answer (keeping its body only when asked). */
function post(
  url: URL,
  body: string,
  agent: Agent,
  timeoutMs: number,
  keepBody: boolean | undefined,
  headers: Record<string, string>,
): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => {
      settle({ status: -1, problem: false });
      req.destroy();
    }, timeoutMs);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const problem = (res.headers['content-type'] ?? '').startsWith('application/problem+json');
      let text = '';
      if (keepBody === true) res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      else res.resume();
      res.on('end', () => settle({ status, problem, body: text }));
      res.on('error', (error) => settle({ status: 0, problem: false, error: codeOf(error) }));
    });
    req.on('error', (error) => settle({ status: 0, problem: false, error: codeOf(error) }));
    req.end(body);
  });
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

export type LoadGenerator = ChildWorker<LoadOptions, LoadResult>;

/**
 * A load generator in a child process of its own: on a small machine it still shares the cores
 * with the servers, but not their event loops, so a slow server is not hidden by a busy client.
 */
export function startLoadGenerator(): LoadGenerator {
  return startChildWorker<LoadOptions, LoadResult>(import.meta.url);
}

serveInChild(import.meta.url, runLoad);
