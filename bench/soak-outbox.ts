import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../scripts/free-port.js';
import { startRedisServer } from '../scripts/redis-server.js';
import { startMerchantReceiver } from '../tests/merchant-receiver.js';
import {
  BFF_MAIN,
  bffEnv,
  CHECKOUT_BODY,
  delay,
  intFromEnv,
  processCpuMs,
  runSoak,
  SANDBOX_ENTRY,
  SHOP_ORIGIN,
  sandboxStats,
} from './bench-setup.js';
import { percentile } from './load.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/**
 * `pnpm exec tsx bench/soak-outbox.ts`: no paid order is lost. Two BFF instances share one Redis
 * (append-only file, fsync on every write) for their outbox, and forward payment events to a shop
 * that refuses every other attempt and verifies every signature (`standardwebhooks`). Bounded
 * (half a minute to a minute), loopback only. Prints one line per property and exits 1 if any
 * fails.
 *
 * 1. `SOAK_ORDERS` (default 1000) checkouts, `SOAK_CONCURRENCY` (16) in flight, alternating
 *    instances, after `SOAK_WARMUP` (2000) unmeasured ones: latency and the BFFs' CPU time per
 *    checkout with the outbox on.
 * 2. Every order paid through the sandbox (`POST /__sandbox/orders/<code>/pay`), which calls back
 *    the instance that created the session. After half the payments, one instance is killed
 *    (SIGKILL) and started again on the same port; the other keeps working.
 * 3. Up to 90 s for every paid order's `payment.paid` event to reach the shop at least once, and
 *    for the outbox to drain (so late duplicates are counted too).
 *
 * The instances run the BFF's own `main` from its build (`BFF_MAIN`, as `pnpm --filter
 * @buy-button/bff start` does): it takes its port from `BFF_PORT` and, with `REDIS_URL`, keeps the
 * outbox in Redis. Run `pnpm --filter @buy-button/bff build` first.
 */
const ORDERS = intFromEnv('SOAK_ORDERS', 1000);
const CONCURRENCY = intFromEnv('SOAK_CONCURRENCY', 16);
/** Checkouts first sent and not measured, so V8 has optimized the checkout path of both. */
const WARMUP = intFromEnv('SOAK_WARMUP', 2000);
/** Time for each of the checkout and payment phases at most; what is not started by then is not. */
const PHASE_MAX_MS = 20_000;
/** Time after the last payment for every paid event to reach the shop and the outbox to drain. */
const DELIVERY_WAIT_MS = 90_000;
const CLIENT_TIMEOUT_MS = 10_000;
const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

interface Check {
  property: string;
  pass: boolean;
  detail: string;
}

interface Order {
  orderRef: string;
  conversionCode: string;
}

async function main(): Promise<number> {
  if (!existsSync(BFF_MAIN)) {
    throw new Error(
      `${fileURLToPath(BFF_MAIN)} is missing: run "pnpm --filter @buy-button/bff build" first`,
    );
  }
  const checks: Check[] = [];
  const check = (property: string, pass: boolean, detail: string) => {
    checks.push({ property, pass, detail });
    console.error(`soak: ${pass ? 'pass' : 'FAIL'}  ${property}: ${detail}`);
  };
  const figures: [string, string][] = [];

  const redisDir = mkdtempSync(join(tmpdir(), 'bb-soak-outbox-'));
  const redis = await startRedisServer({ persistDir: redisDir });
  const shop = await startMerchantReceiver(WEBHOOK_SECRET, {
    answer: (attempt) => (attempt % 2 === 0 ? 503 : 204),
  });
  // When each webhook-id was first accepted by the shop.
  const firstDeliveredAt = new Map<string, number>();
  const watchShop = setInterval(() => {
    for (const { id } of shop.deliveries) {
      if (!firstDeliveredAt.has(id)) firstDeliveredAt.set(id, performance.now());
    }
  }, 10);
  let sandbox: ServerProcess | undefined;
  const bffs = new BffCluster();
  try {
    sandbox = await startServerProcess(SANDBOX_ENTRY);
    const sandboxUrl = sandbox.url;
    const receiptSecret = randomBytes(32).toString('base64url');
    const env = (port: number) =>
      bffEnv(
        sandboxUrl,
        {
          REDIS_URL: redis.url,
          HOST: '127.0.0.1',
          BFF_PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          WEBHOOK_FORWARD_URL: shop.url,
          WEBHOOK_SECRET,
          WEBHOOK_RETRY_BASE_MS: '200',
          WEBHOOK_RETRY_MAX_DELAY_MS: '2000',
          RATE_LIMIT: '0',
        },
        receiptSecret,
      );
    await bffs.start(env(await freePort()));
    await bffs.start(env(await freePort()));
    const targets = bffs.urls();

    // 1. Checkouts, after a warm-up that is not measured (nor paid).
    console.error(
      `soak: ${WARMUP} + ${ORDERS} checkouts, ${CONCURRENCY} in flight, over 2 instances`,
    );
    await inPool(WARMUP, async (i) => {
      await checkout(targets[i % targets.length] as string);
    });
    const orders: Order[] = [];
    const latencies: number[] = [];
    let checkoutFailures = 0;
    const checkoutCpu = bffs.cpuMs();
    const checkoutStart = performance.now();
    await inPool(ORDERS, async (i) => {
      const created = await checkout(targets[i % targets.length] as string);
      if (created === undefined) checkoutFailures += 1;
      else {
        orders.push(created.order);
        latencies.push(created.ms);
      }
    });
    const checkoutMs = performance.now() - checkoutStart;
    const cpuPerCheckoutUs = ((bffs.cpuMs() - checkoutCpu) * 1000) / orders.length;

    // 2. Payments; one instance killed and started again halfway.
    console.error(`soak: ${orders.length} payments, one instance killed halfway`);
    const paidAt = new Map<string, number>();
    let payFailures = 0;
    let restart: Promise<{ killedAt: number; listeningMs: number }> | undefined;
    const paymentCpu = bffs.cpuMs();
    await inPool(orders.length, async (i) => {
      const { conversionCode } = orders[i] as Order;
      const at = performance.now();
      if (!(await pay(sandboxUrl, conversionCode))) {
        payFailures += 1;
        return;
      }
      paidAt.set(`evt_${conversionCode}_paid`, at);
      if (paidAt.size === Math.floor(orders.length / 2)) {
        console.error(`soak: SIGKILL to one instance after ${paidAt.size} payments`);
        restart = bffs.killAndRestart(0);
        restart.catch(() => {}); // Awaited, and reported, once the payments are done.
      }
    });
    const lastPayAt = performance.now();
    const firstPayAt = Math.min(...paidAt.values());
    const restarted = await restart;

    // 3. Every paid event delivered; then the outbox drained.
    const lost = () => [...paidAt.keys()].filter((id) => !firstDeliveredAt.has(id));
    let allDeliveredMs: number | undefined;
    let pending: number | undefined;
    while (performance.now() - lastPayAt < DELIVERY_WAIT_MS) {
      if (allDeliveredMs === undefined && lost().length === 0) {
        allDeliveredMs = performance.now() - lastPayAt;
      }
      if (allDeliveredMs !== undefined) {
        pending = await outboxPending(targets);
        if (pending === 0) break;
      }
      await delay(allDeliveredMs === undefined ? 50 : 500);
    }
    const drainedMs = performance.now() - lastPayAt;
    const paymentCpuMs = bffs.cpuMs() - paymentCpu;
    const stats = await sandboxStats(sandboxUrl);

    const missing = lost();
    const delivered = shop.deliveries.filter((d) => d.type === 'payment.paid');
    const distinct = new Set(delivered.map((d) => d.id));
    // Any attempt under another id than its paid order's `evt_<code>_paid` would show here.
    const unexpected = [...new Set(shop.attempts)].filter((id) => !paidAt.has(id));
    const duplicates = delivered.length - distinct.size;
    const refused = shop.attempts.length - shop.deliveries.length;
    const waits = [...paidAt]
      .map(([id, at]) => (firstDeliveredAt.get(id) ?? Number.NaN) - at)
      .filter((ms) => !Number.isNaN(ms))
      .sort((a, b) => a - b);
    const lastFirstDelivery = Math.max(
      ...[...paidAt.keys()].map((id) => firstDeliveredAt.get(id) ?? 0),
    );
    const eventsPerSecond = (distinct.size * 1000) / (lastFirstDelivery - firstPayAt);

    check(
      'every order checked out and paid',
      orders.length === ORDERS && paidAt.size === ORDERS,
      `${orders.length} of ${ORDERS} checkouts in ${(checkoutMs / 1000).toFixed(1)} s ` +
        `(${checkoutFailures} failed), ${paidAt.size} paid (${payFailures} failed)`,
    );
    check(
      'the killed instance listens again on its port',
      restarted !== undefined && restarted.listeningMs < 10_000,
      restarted === undefined
        ? 'never killed'
        : `${restarted.listeningMs.toFixed(0)} ms from SIGKILL`,
    );
    check(
      'every gateway callback acknowledged',
      stats.webhooksFailed === 0 && stats.webhooksDelivered >= paidAt.size,
      `sandbox: ${stats.webhooksDelivered} delivered, ${stats.webhooksFailed} failed, ` +
        `${stats.webhookAttempts} attempts`,
    );
    check(
      'no paid event lost',
      missing.length === 0 && distinct.size === paidAt.size && unexpected.length === 0,
      `${distinct.size} distinct webhook-ids for ${paidAt.size} orders paid, ${missing.length} lost` +
        `${missing.length > 0 ? ` (${missing.slice(0, 3).join(', ')}...)` : ''}` +
        `, ${unexpected.length} attempts under another webhook-id; ` +
        (allDeliveredMs === undefined
          ? `not all within ${DELIVERY_WAIT_MS / 1000} s`
          : `all within ${(allDeliveredMs / 1000).toFixed(1)} s of the last payment`),
    );
    check(
      'the outbox drains',
      pending === 0,
      pending === undefined
        ? 'not read'
        : `${pending} events pending ${(drainedMs / 1000).toFixed(1)} s after the last payment`,
    );
    check(
      'duplicates counted (allowed: at least once)',
      true,
      `${duplicates} deliveries of a webhook-id already accepted`,
    );
    check(
      'refused attempts retried',
      refused > 0 && missing.length === 0,
      `${refused} of ${shop.attempts.length} attempts refused (503)`,
    );
    check(
      'every delivery signed',
      shop.rejected.length === 0,
      `${shop.rejected.length} signature failures in ${shop.attempts.length + shop.rejected.length} requests`,
    );
    const errors = bffs.logLines('error');
    check('no error in the BFF logs', errors.length === 0, errors.join('; ') || '0');
    console.error(`soak: BFF warnings: ${bffs.logLines('warn').join('; ') || 'none'}`);

    const cpuAvailable = !Number.isNaN(cpuPerCheckoutUs);
    const sorted = latencies.sort((a, b) => a - b);
    figures.push(
      ['orders paid', `${paidAt.size}`],
      ['paid events delivered (distinct webhook-ids)', `${distinct.size} (${missing.length} lost)`],
      ['duplicate deliveries (webhook-id accepted again)', `${duplicates}`],
      ['attempts refused by the flapping shop', `${refused} of ${shop.attempts.length}`],
      [
        'delivery throughput (first pay → last first delivery)',
        `${eventsPerSecond.toFixed(0)} events/s (${distinct.size} in ` +
          `${((lastFirstDelivery - firstPayAt) / 1000).toFixed(1)} s)`,
      ],
      [
        'pay → first delivery p50 / p99 / max',
        `${ms(percentile(waits, 0.5))} / ${ms(percentile(waits, 0.99))} / ${ms(waits.at(-1) ?? Number.NaN)}`,
      ],
      [
        'SIGKILL → restarted instance listening',
        restarted === undefined ? '-' : ms(restarted.listeningMs),
      ],
      [
        'sandbox callbacks delivered / failed',
        `${stats.webhooksDelivered} / ${stats.webhooksFailed} (${stats.webhookAttempts} attempts)`,
      ],
      ['signature failures at the shop', `${shop.rejected.length}`],
      [
        'checkout latency p50 / p99 (soak client)',
        `${ms(percentile(sorted, 0.5))} / ${ms(percentile(sorted, 0.99))} ` +
          `(${sorted.length} checkouts, ${((sorted.length * 1000) / checkoutMs).toFixed(0)}/s, ` +
          `after ${WARMUP} unmeasured)`,
      ],
      [
        'BFF CPU per checkout (both instances)',
        cpuAvailable ? `${cpuPerCheckoutUs.toFixed(0)} µs` : 'not available (no procfs)',
      ],
      [
        'BFF CPU per paid event (callback, deliveries)',
        cpuAvailable
          ? `${((paymentCpuMs * 1000) / paidAt.size).toFixed(0)} µs (restart's start-up, ` +
            `${bffs.restartStartupMs.toFixed(0)} ms, left out)`
          : 'not available (no procfs)',
      ],
    );
  } finally {
    clearInterval(watchShop);
    await bffs.stop();
    await sandbox?.stop().catch(() => {});
    await shop.close();
    await redis.stop().catch(() => {});
    rmSync(redisDir, { recursive: true, force: true });
  }

  const width = Math.max(...figures.map(([figure]) => figure.length));
  console.log(`\n| figure${' '.repeat(width - 6)} | value |`);
  console.log(`|${'-'.repeat(width + 2)}|-------|`);
  for (const [figure, value] of figures) console.log(`| ${figure.padEnd(width)} | ${value} |`);
  return checks.every((c) => c.pass) ? 0 : 1;
}

/** Runs `task(0 .. count-1)`, `CONCURRENCY` at a time; starts none after `PHASE_MAX_MS`. */
async function inPool(count: number, task: (index: number) => Promise<void>): Promise<void> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() - started < PHASE_MAX_MS) {
      next += 1;
      await task(next - 1);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** One checkout with a fresh Idempotency-Key: the order and latency of a 201, or `undefined`. */
async function checkout(target: string): Promise<{ order: Order; ms: number } | undefined> {
  const sentAt = performance.now();
  try {
    const response = await fetch(`${target}/sessions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: SHOP_ORIGIN,
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(CHECKOUT_BODY),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const order = (await response.json()) as Order;
    return response.status === 201 ? { order, ms: performance.now() - sentAt } : undefined;
  } catch {
    return undefined;
  }
}

/** The sandbox's test helper: the order becomes paid and the sandbox calls the BFF back. */
async function pay(sandboxUrl: string, code: string): Promise<boolean> {
  try {
    const response = await fetch(`${sandboxUrl}/__sandbox/orders/${code}/pay`, {
      method: 'POST',
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Events pending in the shared outbox (`/readyz`, cached 5 s by the BFF), from any instance. */
async function outboxPending(targets: readonly string[]): Promise<number | undefined> {
  for (const target of targets) {
    try {
      const response = await fetch(`${target}/readyz`, { signal: AbortSignal.timeout(5000) });
      const body = (await response.json()) as { outbox?: { pending: number } };
      if (body.outbox !== undefined) return body.outbox.pending;
    } catch {
      // The next instance.
    }
  }
  return undefined;
}

interface BffProcess {
  url: string;
  pid: number;
  env: Record<string, string>;
  /** CPU time it had used once listening (its start-up), in ms. */
  startupCpuMs: number;
  /** Sends `signal` and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The BFF instances, each a `node BFF_MAIN` process. Tallies their warning and error log lines,
 * and their CPU time: that of a killed instance is kept, and each start-up is left out.
 */
class BffCluster {
  readonly #instances: BffProcess[] = [];
  readonly #logs = new Map<string, number>();
  /** CPU used after start-up by instances since killed, in ms. */
  #killedCpuMs = 0;
  restartStartupMs = 0;

  async start(env: Record<string, string>): Promise<BffProcess> {
    const instance = await startBffProcess(env, (line) => {
      this.#logs.set(line, (this.#logs.get(line) ?? 0) + 1);
    });
    this.#instances.push(instance);
    return instance;
  }

  urls(): string[] {
    return this.#instances.map((instance) => instance.url);
  }

  /** CPU time the instances used after their start-up, in ms; `NaN` without procfs. */
  cpuMs(): number {
    return this.#instances.reduce(
      (sum, instance) => sum + (processCpuMs(instance.pid) ?? Number.NaN) - instance.startupCpuMs,
      this.#killedCpuMs,
    );
  }

  /** SIGKILL to instance `index`, then the same again on the same port (its env). */
  async killAndRestart(index: number): Promise<{ killedAt: number; listeningMs: number }> {
    const victim = this.#instances[index] as BffProcess;
    this.#killedCpuMs += (processCpuMs(victim.pid) ?? Number.NaN) - victim.startupCpuMs;
    const killedAt = performance.now();
    await victim.kill('SIGKILL');
    this.#instances.splice(index, 1);
    const again = await this.start(victim.env);
    const listeningMs = performance.now() - killedAt;
    this.restartStartupMs = again.startupCpuMs;
    console.error(`soak: listening again after ${listeningMs.toFixed(0)} ms`);
    return { killedAt, listeningMs };
  }

  /** `"<level>: <msg> ×<count>"` for each distinct line logged at `level`. */
  logLines(level: 'warn' | 'error'): string[] {
    return [...this.#logs]
      .filter(([line]) => line.startsWith(`${level}: `))
      .map(([line, count]) => `${line} ×${count}`);
  }

  async stop(): Promise<void> {
    for (const instance of this.#instances) {
      const timer = setTimeout(() => instance.kill('SIGKILL'), 5000);
      await instance.kill('SIGTERM');
      clearTimeout(timer);
    }
  }
}

/**
 * Runs `node BFF_MAIN` configured by `env` and resolves once it prints where it listens. Every
 * log line other than `info` goes to `onLine` as `"<level>: <msg>"`.
 */
async function startBffProcess(
  env: Record<string, string>,
  onLine: (line: string) => void,
): Promise<BffProcess> {
  const child = spawn(process.execPath, [fileURLToPath(BFF_MAIN)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('BFF not listening within 30 s')), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`BFF exited (${code}) before listening`));
    });
    const read = (text: string) => {
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        return resolve(url);
      }
      let entry: { level?: string; msg?: string };
      try {
        entry = JSON.parse(text) as typeof entry;
      } catch {
        entry = { level: 'text', msg: text };
      }
      if (entry.level !== 'info') onLine(`${entry.level}: ${entry.msg}`);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') read(line);
      });
    }
  });
  try {
    const url = await listening;
    return {
      url,
      pid: child.pid ?? 0,
      env,
      startupCpuMs: processCpuMs(child.pid ?? 0) ?? Number.NaN,
      async kill(signal) {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

const ms = (value: number) => `${value.toFixed(value < 100 ? 2 : 0)} ms`;

runSoak(main);
