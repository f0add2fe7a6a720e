import { freePort } from '../scripts/free-port.js';
import { startRedisServer } from '../scripts/redis-server.js';
import {
  BFF_ENTRY,
  bffEnv,
  CHECKOUT_BODY,
  delay,
  intFromEnv,
  runSoak,
  SANDBOX_ENTRY,
  SHOP_ORIGIN,
  sandboxStats,
  setSandboxFaults,
} from './bench-setup.js';
import { countOk, type LoadOptions, type LoadResult, startLoadGenerator } from './load.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/**
 * `pnpm exec tsx bench/soak.ts`: two BFF instances sharing one Redis, under load from another
 * process, while the sandbox misbehaves. Bounded (about a minute), loopback only. Prints one line
 * per property and exits 1 if any fails.
 *
 * 1. `SOAK_SECONDS` (default 30) of checkouts with the sandbox at 20% faults and 200 ms latency,
 *    each Idempotency-Key sent twice (the second time to the other instance, as a retry would):
 *    every answer is a 201 or a 5xx problem, none outlives the client's timeout, no key yields two
 *    upstream sessions, no unhandled rejection.
 * 2. Faults cleared: checkouts succeed again within 1 s.
 * 3. Sandbox restarted mid-load (its signing key changes, so every cached token is refused):
 *    exactly one new login for the whole cluster.
 * 4. Redis stopped mid-load, then started again: checkouts answer 201 or a 5xx problem, never
 *    hang, and succeed again once Redis is back.
 */
const SOAK_MS = intFromEnv('SOAK_SECONDS', 30) * 1000;
const CONCURRENCY = intFromEnv('SOAK_CONCURRENCY', 32);
/** Per-attempt upstream limit given to the BFF; a checkout's own bound follows from it. */
const UPSTREAM_TIMEOUT_MS = 2000;
/** The client's limit: above the BFF's worst case (3 attempts × 2 s + backoff). */
const CLIENT_TIMEOUT_MS = 10_000;

interface Check {
  property: string;
  pass: boolean;
  detail: string;
}

async function main(): Promise<number> {
  const checks: Check[] = [];
  const check = (property: string, pass: boolean, detail: string) => {
    checks.push({ property, pass, detail });
    console.error(`soak: ${pass ? 'pass' : 'FAIL'}  ${property}: ${detail}`);
  };
  const load = startLoadGenerator();
  const redis = await startRedisServer();
  const sandboxPort = await freePort();
  const startSandboxProcess = () =>
    startServerProcess(SANDBOX_ENTRY, { env: { BENCH_PORT: String(sandboxPort) } });
  let sandbox: ServerProcess | undefined;
  const instances: ServerProcess[] = [];
  try {
    sandbox = await startSandboxProcess();
    const env = bffEnv(sandbox.url, {
      REDIS_URL: redis.url,
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
    });
    instances.push(await startServerProcess(BFF_ENTRY, { env }));
    instances.push(await startServerProcess(BFF_ENTRY, { env }));
    const targets = instances.map((instance) => instance.url);
    const burst = (maxDurationMs: number, concurrency = CONCURRENCY): LoadOptions => ({
      targets,
      count: 1_000_000,
      maxDurationMs,
      concurrency,
      body: CHECKOUT_BODY,
      headers: { origin: SHOP_ORIGIN },
      idempotencyKey: true,
      sendsPerKey: 2,
      record: true,
      requestTimeoutMs: CLIENT_TIMEOUT_MS,
    });

    // 1. Faults and latency.
    console.error(`soak: ${SOAK_MS / 1000} s at 20% faults, 200 ms latency`);
    await setSandboxFaults(sandbox.url, { latencyMs: 200, faultRate: 0.2 });
    const before = await sandboxStats(sandbox.url);
    const faulty = await load.run(burst(SOAK_MS));
    const after = await sandboxStats(sandbox.url);
    check(
      'every checkout answers 201 or a 5xx problem',
      onlyCreatedOrServerProblems(faulty),
      `${faulty.sent} requests: ${formatStatuses(faulty)}`,
    );
    check(
      'no checkout outlives its timeout',
      (faulty.statuses[-1] ?? 0) === 0 && faulty.maxMs < CLIENT_TIMEOUT_MS,
      `slowest ${(faulty.maxMs / 1000).toFixed(2)} s, client limit ${CLIENT_TIMEOUT_MS / 1000} s`,
    );
    const sessions = sessionsPerKey(faulty);
    const created = after.sessionsCreated - before.sessionsCreated;
    check(
      'one upstream session per Idempotency-Key',
      sessions.keysWithTwoSessions === 0 && created <= sessions.keys,
      `${sessions.keys} keys (${sessions.keysWithSession} answered 201), ` +
        `${created} sessions created upstream, ${sessions.keysWithTwoSessions} keys with two`,
    );
    const rejections = await unhandledRejections(instances);
    check(
      'no unhandled rejection',
      rejections === 0,
      `${rejections} in the BFF processes, ${after.faultsInjected - before.faultsInjected} faults injected`,
    );

    // 2. Recovery once faults clear.
    await setSandboxFaults(sandbox.url, { latencyMs: 0, faultRate: 0 });
    const recoveryMs = await timeToHealthy(targets, 5);
    check(
      'normal service within 1 s after faults clear',
      recoveryMs !== undefined && recoveryMs <= 1000,
      recoveryMs === undefined ? 'no streak of 5 successes in 10 s' : `${recoveryMs.toFixed(0)} ms`,
    );

    // 3. Sandbox restart: a new signing key, so every instance's cached token is refused.
    console.error('soak: sandbox restart under load');
    const restartLoad = load.run(burst(8000, 16));
    await delay(2000);
    await sandbox.stop();
    sandbox = await startSandboxProcess();
    const restarted = await restartLoad;
    await timeToHealthy(targets, 5);
    const logins = (await sandboxStats(sandbox.url)).logins;
    check(
      'sandbox restarted mid-run: one re-login for the cluster',
      logins === 1,
      `${logins} logins on the new sandbox; ${formatStatuses(restarted)}`,
    );
    check(
      'during the restart every checkout answers 201 or a 5xx problem',
      onlyCreatedOrServerProblems(restarted),
      `${restarted.sent} requests: ${formatStatuses(restarted)}`,
    );

    // 4. Redis away for a while, then back on the same port.
    console.error('soak: Redis stopped under load');
    const redisLoad = load.run(burst(6000, 8));
    await delay(1500);
    await redis.stop();
    await delay(2000);
    const redisAgain = await startRedisServer({ port: redis.port });
    const duringOutage = await redisLoad;
    const backMs = await timeToHealthy(targets, 5);
    await redisAgain.stop();
    check(
      'Redis away: checkouts answer 201 or a 503 problem, none hangs',
      onlyCreatedOrServerProblems(duringOutage, (s) => s === 503) &&
        duringOutage.maxMs < CLIENT_TIMEOUT_MS,
      `${formatStatuses(duringOutage)}, slowest ${duringOutage.maxMs.toFixed(0)} ms`,
    );
    check(
      'Redis back: service resumes by itself',
      backMs !== undefined && backMs <= 5000,
      backMs === undefined ? 'no streak of 5 successes in 10 s' : `${backMs.toFixed(0)} ms`,
    );
    const finalRejections = await unhandledRejections(instances);
    check('no unhandled rejection at the end', finalRejections === 0, `${finalRejections}`);
  } finally {
    for (const instance of instances) await instance.stop().catch(() => {});
    await sandbox?.stop().catch(() => {});
    await redis.stop().catch(() => {});
    await load.stop();
  }

  const width = Math.max(...checks.map((c) => c.property.length));
  console.log(`\n| property${' '.repeat(width - 8)} | result | detail |`);
  console.log(`|${'-'.repeat(width + 2)}|--------|--------|`);
  for (const c of checks) {
    console.log(`| ${c.property.padEnd(width)} | ${c.pass ? 'pass  ' : 'FAIL  '} | ${c.detail} |`);
  }
  return checks.every((c) => c.pass) ? 0 : 1;
}

function onlyCreatedOrServerProblems(
  result: LoadResult,
  allowed = (s: number) => s >= 500,
): boolean {
  const statuses = Object.keys(result.statuses).map(Number);
  return (
    result.notProblem === 0 &&
    statuses.every((s) => s === 201 || (s >= 500 && s < 600 && allowed(s)))
  );
}

function sessionsPerKey(result: LoadResult) {
  const byKey = new Map<string, Set<string>>();
  for (const record of result.records) {
    const ids = byKey.get(record.key) ?? new Set<string>();
    if (record.sessionId !== undefined) ids.add(record.sessionId);
    byKey.set(record.key, ids);
  }
  const counts = [...byKey.values()].map((ids) => ids.size);
  return {
    keys: byKey.size,
    keysWithSession: counts.filter((n) => n >= 1).length,
    keysWithTwoSessions: counts.filter((n) => n > 1).length,
  };
}

async function unhandledRejections(instances: readonly ServerProcess[]): Promise<number> {
  let total = 0;
  for (const instance of instances) total += (await instance.memory()).unhandledRejections;
  return total;
}

/**
 * Sends one checkout at a time (alternating instances) until `streak` succeed in a row; resolves
 * the time from the call to the start of that streak, or `undefined` after 10 s.
 */
async function timeToHealthy(
  targets: readonly string[],
  streak: number,
): Promise<number | undefined> {
  const started = performance.now();
  let streakStart: number | undefined;
  let successes = 0;
  for (let i = 0; performance.now() - started < 10_000; i += 1) {
    const sentAt = performance.now();
    const ok = await checkout(targets[i % targets.length] as string);
    if (!ok) {
      successes = 0;
      streakStart = undefined;
      continue;
    }
    streakStart ??= sentAt;
    successes += 1;
    if (successes >= streak) return streakStart - started;
  }
  return undefined;
}

async function checkout(target: string): Promise<boolean> {
  try {
    const response = await fetch(`${target}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SHOP_ORIGIN },
      body: JSON.stringify(CHECKOUT_BODY),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.status === 201;
  } catch {
    return false;
  }
}

function formatStatuses(result: LoadResult): string {
  const ok = countOk(result.statuses);
  const others = Object.entries(result.statuses)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, n]) => `${status}×${n}`)
    .join(', ');
  const errors = Object.entries(result.errors)
    .map(([code, n]) => `${code}×${n}`)
    .join(', ');
  return `${ok} created${others === '' ? '' : `, ${others}`}${errors === '' ? '' : ` (no answer: ${errors})`}`;
}

runSoak(main);
