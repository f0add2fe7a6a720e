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
});
