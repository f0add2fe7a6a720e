import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type RunningSandbox, startSandbox } from '@buy-button/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/free-port.js';
import { type RunningRedisServer, startRedisServer } from '../scripts/redis-server.js';
import { type BffProcess, bffSettings, startBffProcess } from './bff-process.js';
import { startMerchantReceiver } from './merchant-receiver.js';

// Payment events must survive what a deployment goes through: a shop that is down, a BFF killed
// or stopped mid-retry, a Redis restart, a gateway callback that never comes. Real processes,
// a real Redis with persistence, the real sandbox.

const SHOP = 'http://shop.test';
const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
/** Sandbox orders expire this fast, so reconciliation has something to do within a test. */
const ORDER_TTL_SECONDS = 3;
const RECONCILE_MARGIN_MS = 500;

let redisDir: string;
let redis: RunningRedisServer;
let sandbox: RunningSandbox;
const processes: BffProcess[] = [];
const receivers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  redisDir = mkdtempSync(join(tmpdir(), 'bb-outbox-redis-'));
  redis = await startRedisServer({ persistDir: redisDir });
  sandbox = await startSandbox({
    port: 0,
    host: '127.0.0.1',
    orderTtlSeconds: ORDER_TTL_SECONDS,
  });
});

afterAll(async () => {
  await Promise.all(processes.map((bff) => bff.stop()));
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await sandbox?.close();
  await redis?.stop();
  rmSync(redisDir, { recursive: true, force: true });
});

/** Each test is its own merchant: its own Redis database, so no queue is shared between tests. */
let nextDb = 1;

async function merchant(
  answer: (attempt: number) => number,
  holdMs: number | ((attempt: number) => number) = 0,
) {
  const receiver = await startMerchantReceiver(WEBHOOK_SECRET, { answer, holdMs });
  receivers.push(receiver);
  return receiver;
}

function bffStarter(db: number, webhookUrl: string, env: Record<string, string> = {}) {
  return async () => {
    const port = await freePort();
    const bff = await startBffProcess({
      ...bffEnv(webhookUrl, `${redis.url}/${db}`),
      ...env,
      BFF_PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    processes.push(bff);
    return bff;
  };
}

async function checkout(bff: BffProcess) {
  const response = await fetch(`${bff.url}/sessions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: SHOP,
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({ button: 'btn_coffee' }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { orderRef: string; conversionCode: string };
}

const sandboxStats = async () =>
  (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as Record<string, number>;

async function pay(code: string) {
  const paid = await fetch(`${sandbox.url}/__sandbox/orders/${code}/pay`, { method: 'POST' });
  expect(paid.ok).toBe(true);
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('payment events are never lost', () => {
  it('a BFF killed (SIGKILL) right after acknowledging the callback: the event is delivered after it restarts', async () => {
    const shop = await merchant(() => 503);
    const start = bffStarter(nextDb++, shop.url);
    const bff = await start();
    const created = await checkout(bff);
    const acknowledged = (await sandboxStats()).webhooksDelivered ?? 0;
    await pay(created.conversionCode);
    await until(
      async () => ((await sandboxStats()).webhooksDelivered ?? 0) > acknowledged,
      10_000,
      'the callback acknowledged',
    );
    await bff.kill('SIGKILL');
    expect(shop.deliveries).toEqual([]);

    shop.answer(() => 204);
    await start();
    await until(
      () => shop.deliveries.some((d) => d.data.orderRef === created.orderRef),
      30_000,
      'the paid event delivered by the restarted BFF',
    );
    expect(shop.deliveries.find((d) => d.data.orderRef === created.orderRef)).toMatchObject({
      id: `evt_${created.conversionCode}_paid`,
      type: 'payment.paid',
    });
    expect(shop.rejected).toEqual([]);
  }, 60_000);

  it('a BFF stopped (SIGTERM) while it retries: the other instance delivers the event', async () => {
    const shop = await merchant(() => 503);
    const start = bffStarter(nextDb++, shop.url);
    const [a] = await Promise.all([start(), start()]);
    if (a === undefined) throw new Error('no BFF');
    const created = await checkout(a);
    await pay(created.conversionCode);
    await until(() => shop.attempts.length >= 2, 10_000, 'two refused attempts');
    await a.kill('SIGTERM');
    expect(a.output()).toContain('SIGTERM');

    shop.answer(() => 204);
    await until(
      () => shop.deliveries.some((d) => d.data.orderRef === created.orderRef),
      30_000,
      'the paid event delivered by the other BFF',
    );
  }, 60_000);

  it('two instances, a shop refusing every other attempt: each event delivered, never by both at once', async () => {
    const shop = await merchant((attempt) => (attempt % 2 === 0 ? 503 : 204), 30);
    const start = bffStarter(nextDb++, shop.url);
    const pair = await Promise.all([start(), start()]);
    const orders: { orderRef: string; conversionCode: string }[] = [];
    for (let i = 0; i < 16; i += 1) orders.push(await checkout(pair[i % 2] as BffProcess));
    await Promise.all(orders.map((order) => pay(order.conversionCode)));
    await until(
      () => orders.every((o) => shop.deliveries.some((d) => d.data.orderRef === o.orderRef)),
      30_000,
      'every paid event delivered',
    );
    expect(shop.overlaps).toEqual([]);
    expect(new Set(shop.deliveries.map((d) => d.id)).size).toBe(orders.length);
  }, 60_000);

  it('a shop answering 2xx after WEBHOOK_TIMEOUT_MS: the attempt counts as failed and is made again, with the same webhook-id', async () => {
    // The first attempt is held past the BFF's 1 s limit, then accepted anyway.
    const shop = await merchant(
      () => 204,
      (attempt) => (attempt === 0 ? 1500 : 0),
    );
    const bff = await bffStarter(nextDb++, shop.url)();
    const created = await checkout(bff);
    await pay(created.conversionCode);
    const id = `evt_${created.conversionCode}_paid`;
    await until(() => shop.deliveries.length === 2, 15_000, 'the event received twice');
    expect(shop.deliveries.map((d) => d.id)).toEqual([id, id]);
    expect(bff.output()).toMatch(/"msg":"payment event not delivered, will retry".*timed out/);
    expect(bff.output()).toContain('"msg":"payment event delivered"');
  }, 30_000);

  it('Redis restarted (with persistence) while an event waits: it is delivered once Redis is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-outbox-restart-'));
    let own = await startRedisServer({ persistDir: dir });
    try {
      const shop = await merchant(() => 503);
      const port = await freePort();
      const bff = await startBffProcess({
        ...bffEnv(shop.url, `${own.url}/0`),
        BFF_PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
      });
      processes.push(bff);
      const created = await checkout(bff);
      await pay(created.conversionCode);
      await until(() => shop.attempts.length >= 1, 10_000, 'a refused attempt');
      await own.stop();
      own = await startRedisServer({ persistDir: dir, port: own.port });
      shop.answer(() => 204);
      await until(
        () => shop.deliveries.some((d) => d.data.orderRef === created.orderRef),
        30_000,
        'the paid event delivered after the Redis restart',
      );
    } finally {
      await own.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a gateway callback that never comes: reconciliation delivers the payment within expiry + margin', async () => {
    const shop = await merchant(() => 204);
    const start = bffStarter(nextDb++, shop.url);
    const bff = await start();
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ webhookDropRate: 1 }),
    });
    try {
      const dropped = (await sandboxStats()).webhooksDropped ?? 0;
      const created = await checkout(bff);
      const createdAt = Date.now();
      await pay(created.conversionCode);
      expect((await sandboxStats()).webhooksDropped).toBe(dropped + 1);
      await until(
        () => shop.deliveries.some((d) => d.data.orderRef === created.orderRef),
        ORDER_TTL_SECONDS * 1000 + RECONCILE_MARGIN_MS + 5000,
        'the paid event delivered by reconciliation',
      );
      expect(Date.now() - createdAt).toBeGreaterThanOrEqual(ORDER_TTL_SECONDS * 1000);
      expect(bff.output()).toContain('reconciliation: order is final, event recorded');
    } finally {
      await fetch(`${sandbox.url}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ webhookDropRate: 0 }),
      });
    }
  }, 60_000);
});

const BFF_MAIN = fileURLToPath(new URL('../packages/bff/src/main.ts', import.meta.url));

/** `buy-button-bff events …` as an operator runs it, with only `REDIS_URL` set. */
async function eventsCli(redisUrl: string, ...args: string[]) {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', BFF_MAIN, 'events', ...args],
      { env: { PATH: process.env.PATH ?? '', REDIS_URL: redisUrl } },
    );
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('operating the outbox from the command line', () => {
  it('lists an event that failed after WEBHOOK_RETRY_WINDOW, shows its attempts, and redelivers it', async () => {
    const shop = await merchant(() => 503);
    const db = nextDb++;
    const redisUrl = `${redis.url}/${db}`;
    const bff = await bffStarter(db, shop.url, { WEBHOOK_RETRY_WINDOW: '1s' })();
    const created = await checkout(bff);
    await pay(created.conversionCode);
    const id = `evt_${created.conversionCode}_paid`;
    await until(
      async () => (await eventsCli(redisUrl, 'list', '--failed')).stdout.includes(id),
      15_000,
      'the event listed as failed',
    );
    expect(bff.output()).toContain('not delivered within WEBHOOK_RETRY_WINDOW');

    const shown = await eventsCli(redisUrl, 'show', id);
    expect(shown.code).toBe(0);
    const detail = JSON.parse(shown.stdout) as {
      state: string;
      attempts: number;
      history: string[];
      event: { type: string; data: { orderRef: string } };
    };
    expect(detail).toMatchObject({
      state: 'failed',
      event: { type: 'payment.paid', data: { orderRef: created.orderRef } },
    });
    expect(detail.history).toHaveLength(detail.attempts);
    expect(detail.history[0]).toMatch(/attempt 1: the shop answered 503/);

    shop.answer(() => 204);
    const sent = await eventsCli(redisUrl, 'redeliver', id);
    expect(sent).toMatchObject({ code: 0 });
    await until(
      () => shop.deliveries.some((d) => d.id === id),
      10_000,
      'the redelivered event received',
    );
    expect((await eventsCli(redisUrl, 'list', '--failed')).stdout.trim()).toBe('no events');
  }, 60_000);

  it('names what is wrong with a call, with exit code 2', async () => {
    expect(await eventsCli(`${redis.url}/0`, 'resend')).toMatchObject({
      code: 2,
      stdout: expect.stringContaining('Usage: buy-button-bff events'),
    });
    expect(await eventsCli('http://not-redis', 'list')).toMatchObject({
      code: 2,
      stdout: expect.stringContaining('REDIS_URL must be a redis:// or rediss:// URL'),
    });
    expect(await eventsCli(`${redis.url}/0`, 'show', 'evt_nothing_paid')).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('no event evt_nothing_paid'),
    });
  }, 30_000);
});

/** A BFF of this test's sandbox and shop, on `redisUrl`, with a quick retry schedule. */
function bffEnv(webhookUrl: string, redisUrl: string) {
  return {
    ...bffSettings(sandbox.url, SHOP),
    WEBHOOK_FORWARD_URL: webhookUrl,
    WEBHOOK_SECRET,
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_RETRY_MAX_DELAY_MS: '1000',
    RECONCILE_MARGIN_MS: String(RECONCILE_MARGIN_MS),
    REDIS_URL: redisUrl,
    RATE_LIMIT: '0',
  };
}
