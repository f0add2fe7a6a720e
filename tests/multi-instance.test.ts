import { randomBytes, randomUUID } from 'node:crypto';
import { type RunningSandbox, startSandbox } from '@buy-button/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/free-port.js';
import { type RunningRedisServer, startRedisServer } from '../scripts/redis-server.js';
import { type BffProcess, bffSettings, startBffProcess } from './bff-process.js';
import { startMerchantReceiver } from './merchant-receiver.js';

const SHOP = 'http://shop.test';
const RATE_LIMIT = 4;

let redis: RunningRedisServer;
let sandbox: RunningSandbox;
let merchant: Awaited<ReturnType<typeof startMerchantReceiver>>;
let a: BffProcess;
let b: BffProcess;

beforeAll(async () => {
  redis = await startRedisServer();
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
  merchant = await startMerchantReceiver(webhookSecret);
  const shared = {
    ...bffSettings(sandbox.url, SHOP),
    WEBHOOK_FORWARD_URL: merchant.url,
    WEBHOOK_SECRET: webhookSecret,
    REDIS_URL: redis.url,
    RATE_LIMIT: `${RATE_LIMIT}/60s`,
    // Each test is its own shopper, told apart by the address a load balancer forwards.
    TRUST_PROXY: '1',
  };
  const [portA, portB] = await Promise.all([freePort(), freePort()]);
  const start = (port: number) =>
    startBffProcess({ ...shared, BFF_PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  [a, b] = await Promise.all([start(portA), start(portB)]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await merchant?.close();
  await sandbox?.close();
  await redis?.stop();
});

function checkout(bff: BffProcess, shopper: string, idempotencyKey = randomUUID()) {
  return fetch(`${bff.url}/sessions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: SHOP,
      'idempotency-key': idempotencyKey,
      'x-forwarded-for': shopper,
    },
    body: JSON.stringify({ button: 'btn_coffee' }),
  });
}

const sandboxStats = async () =>
  (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as Record<string, number>;

describe('two BFF instances on one Redis act as one service', () => {
  it('the same Idempotency-Key on both instances creates one upstream session', async () => {
    const before = (await sandboxStats()).sessionsCreated ?? 0;
    const key = randomUUID();
    const first = await checkout(a, '203.0.113.1', key);
    const second = await checkout(b, '203.0.113.1', key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    const [one, two] = [await first.json(), await second.json()];
    expect(two.sessionId).toBe(one.sessionId);
    expect(two.orderRef).toBe(one.orderRef);
    expect((await sandboxStats()).sessionsCreated).toBe(before + 1);
  });

  it('a receipt issued by one instance is honoured by the other, and refused for another session', async () => {
    const created = await (await checkout(a, '203.0.113.2')).json();
    const other = await (await checkout(a, '203.0.113.2')).json();
    const read = (id: string, receipt: string) =>
      fetch(`${b.url}/sessions/${id}`, { headers: { authorization: `Bearer ${receipt}` } });
    const status = await read(created.sessionId, created.receipt);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({
      sessionId: created.sessionId,
      orderRef: created.orderRef,
      status: 'pending',
      amount: '4.50',
      currency: 'EUR',
    });
    expect((await read(other.sessionId, created.receipt)).status).toBe(403);
  });

  it('a payment callback delivered to both instances reaches the merchant once', async () => {
    const created = await (await checkout(a, '203.0.113.3')).json();
    const paid = await fetch(`${sandbox.url}/__sandbox/orders/${created.conversionCode}/pay`, {
      method: 'POST',
    });
    expect(paid.ok).toBe(true);
    // The sandbox calls instance A back; the same callback also reaches B, twice.
    const callback = (bff: BffProcess) =>
      fetch(`${bff.url}/webhooks/payment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: created.conversionCode, status: 'PAID' }),
      });
    await Promise.all([callback(b), callback(b), callback(a)]);
    await sandbox.sandbox.whenIdle();

    const forOrder = () => merchant.deliveries.filter((d) => d.data.orderRef === created.orderRef);
    await expect.poll(() => forOrder().length).toBe(1);
    // Absence of a second delivery: it must still be one after every instance had its chance.
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(forOrder()).toHaveLength(1);
    }
    expect(forOrder()[0]).toMatchObject({ type: 'payment.paid', data: { status: 'paid' } });
    expect(merchant.rejected).toEqual([]);
  });

  it('the rate limit is counted across instances', async () => {
    const shopper = '203.0.113.4';
    const answers: number[] = [];
    for (let i = 0; i < RATE_LIMIT; i++) {
      answers.push((await checkout(i % 2 === 0 ? a : b, shopper)).status);
    }
    expect(answers).toEqual(Array(RATE_LIMIT).fill(201));
    const over = await checkout(b, shopper);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await checkout(a, shopper)).status).toBe(429);
  });

  it('the cluster logged in upstream once', async () => {
    expect((await sandboxStats()).logins).toBe(1);
  });
});
