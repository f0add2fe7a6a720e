import { describe, expect, it } from 'vitest';
import { startSandbox } from './start-sandbox.js';

describe('startSandbox', () => {
  it('listens on a free port when asked for port 0, answers over HTTP, and closes', async () => {
    const running = await startSandbox({ port: 0, sweepIntervalMs: 60_000 });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(running.url).not.toMatch(/:0$/);
      const res = await fetch(`${running.url}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      await running.close();
    }
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });

  it('uses its listening URL in paymentUrl', async () => {
    const running = await startSandbox({ port: 0, sweepIntervalMs: 60_000 });
    try {
      const login = await fetch(`${running.url}/api/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ email: 'service@sandbox.test', password: 'sandbox-service' }),
      });
      const { data } = (await login.json()) as { data: { token: string } };
      const created = await fetch(`${running.url}/api/buy-button/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${data.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ button: 'btn_coffee', orderRef: 'order-live' }),
      });
      const session = (await created.json()) as {
        data: { paymentUrl: string; conversionCode: string };
      };
      expect(session.data.paymentUrl).toBe(
        `${running.url}/pay?code=${session.data.conversionCode}`,
      );
    } finally {
      await running.close();
    }
  });

  it('answers a 100 KiB body over HTTP with a 413 envelope and keeps serving', async () => {
    const running = await startSandbox({ port: 0, sweepIntervalMs: 60_000 });
    try {
      const res = await fetch(`${running.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'service@sandbox.test', padding: 'x'.repeat(100 * 1024) }),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({
        success: false,
        status: 413,
        message: 'Request body too large: the limit is 65536 bytes',
      });
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
