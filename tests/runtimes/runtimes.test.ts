import { randomBytes } from 'node:crypto';
import { FIXTURES, type RunningSandbox, startSandbox } from '@buy-button/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMerchantReceiver } from '../merchant-receiver.js';
import type { RuntimeServer } from './runtime-server.js';
import { runtimes } from './runtimes.js';

// Smoke test of the README's claim that `createApp()` from `@buy-button/bff/fetch` runs unchanged
// on other runtimes: serve-bff.ts serves it with each runtime's own HTTP server, against the real
// sandbox, and one order goes from checkout to paid through the gateway's callback.

const SHOP = 'http://shop.test';

interface Created {
  sessionId: string;
  orderRef: string;
  conversionCode: string;
  receipt: string;
}

for (const runtime of runtimes()) {
  const { skip } = runtime;
  if (skip !== undefined) console.warn(`runtimes.test.ts: skipped, ${skip}`);
  if (skip === undefined && runtime.noForwarding !== undefined) {
    console.warn(
      `runtimes.test.ts: ${runtime.name}: forwarding not tested, ${runtime.noForwarding}`,
    );
  }
  const title =
    skip === undefined ? `${runtime.name} ${runtime.version}` : `${runtime.name} (${skip})`;

  describe.skipIf(skip !== undefined)(`the BFF's fetch entry on ${title}`, () => {
    let sandbox: RunningSandbox;
    let merchant: Awaited<ReturnType<typeof startMerchantReceiver>>;
    let server: RuntimeServer;
    let created: Created;

    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0 });
      const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
      merchant = await startMerchantReceiver(webhookSecret);
      // PUBLIC_URL is where the runtime listens: serve-bff.ts and workerd-server.ts set it.
      server = await runtime.start({
        UPSTREAM_API_URL: `${sandbox.url}/api`,
        PORTAL_URL: `${sandbox.url}/pay`,
        UPSTREAM_EMAIL: FIXTURES.accounts.service.email,
        UPSTREAM_PASSWORD: FIXTURES.accounts.service.password,
        ALLOWED_ORIGINS: SHOP,
        BUTTONS: JSON.stringify({
          btn_coffee: { name: 'Coffee beans', price: '4.50', currency: 'EUR' },
        }),
        RECEIPT_SECRET: randomBytes(32).toString('base64url'),
        WEBHOOK_FORWARD_URL: merchant.url,
        WEBHOOK_SECRET: webhookSecret,
      });
    });

    afterAll(async () => {
      await server?.stop();
      await merchant?.close();
      await sandbox?.close();
    });

    const readStatus = () =>
      fetch(`${server.url}/sessions/${created.sessionId}`, {
        headers: { authorization: `Bearer ${created.receipt}` },
      });

    it('is served by that runtime', () => {
      expect(server.output()).toContain(`${runtime.banner}${server.url}`);
    });

    it('creates a checkout session: 201 with a receipt', async () => {
      const res = await fetch(`${server.url}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: SHOP },
        body: JSON.stringify({ button: 'btn_coffee' }),
      });
      expect(res.status, server.output()).toBe(201);
      created = (await res.json()) as Created;
      expect(created).toMatchObject({
        sessionId: expect.any(String),
        orderRef: expect.stringMatching(/^bb-/),
        conversionCode: expect.any(String),
        receipt: expect.any(String),
      });
    });

    it('reads the session as pending with its receipt', async () => {
      const res = await readStatus();
      expect(res.status, server.output()).toBe(200);
      expect(await res.json()).toEqual({
        sessionId: created.sessionId,
        orderRef: created.orderRef,
        status: 'pending',
        amount: '4.50',
        currency: 'EUR',
        quantity: 1,
      });
    });

    it("accepts the gateway's payment callback", async () => {
      const paid = await fetch(`${sandbox.url}/__sandbox/orders/${created.conversionCode}/pay`, {
        method: 'POST',
      });
      expect(paid.status).toBe(200);
      // The sandbox has POSTed PUBLIC_URL/webhooks/payment, and the BFF answered 2xx.
      await sandbox.sandbox.whenIdle();
      expect(sandbox.sandbox.stats(), server.output()).toMatchObject({
        webhooksDelivered: 1,
        webhooksFailed: 0,
      });
    });

    const { noForwarding } = runtime;
    it.skipIf(noForwarding !== undefined)(
      noForwarding === undefined
        ? 'forwards a signed payment.paid to the shop'
        : `forwards a signed payment.paid to the shop (skipped: ${noForwarding})`,
      async () => {
        // No status read since the payment: this event comes from the callback alone.
        await expect
          .poll(() => merchant.deliveries.map(({ type, data }) => ({ type, data })), {
            timeout: 10_000,
          })
          .toEqual([
            {
              type: 'payment.paid',
              data: expect.objectContaining({ orderRef: created.orderRef, status: 'paid' }),
            },
          ]);
        expect(merchant.rejected).toEqual([]);
      },
    );

    it('reads the session as paid', async () => {
      const res = await readStatus();
      expect(res.status, server.output()).toBe(200);
      expect(await res.json()).toMatchObject({ orderRef: created.orderRef, status: 'paid' });
    });

    it('is ready: 200 on /readyz', async () => {
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status, server.output()).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ready' });
    });
  });
}
