import { describe, expect, it } from 'vitest';
import { createSandbox } from './create-sandbox.js';
import { SandboxConfigError } from './sandbox-options.js';
import { sandboxOptionsFromEnv } from './sandbox-options-from-env.js';

describe('sandboxOptionsFromEnv', () => {
  it('defaults to 127.0.0.1:8788 and leaves other settings to createSandbox', () => {
    expect(sandboxOptionsFromEnv({})).toEqual({ port: 8788, host: '127.0.0.1' });
  });

  it('reads every variable', () => {
    expect(
      sandboxOptionsFromEnv({
        SANDBOX_PORT: '0',
        HOST: '0.0.0.0',
        SANDBOX_TOKEN_TTL: '60',
        SANDBOX_ORDER_TTL: '30',
        SANDBOX_LATENCY_MS: '15',
        SANDBOX_FAULT_RATE: '0.25',
        SANDBOX_WEBHOOK_DROP_RATE: '0.1',
        SANDBOX_WEBHOOK_DELAY_MS: '2500',
        SANDBOX_WEBHOOK_MAX_ATTEMPTS: '3',
        SANDBOX_WEBHOOK_BASE_DELAY_MS: '10',
        SANDBOX_WEBHOOK_TIMEOUT_MS: '2000',
        SANDBOX_MAX_ORDERS: '5000',
        SANDBOX_MAX_BODY_BYTES: '32768',
        SANDBOX_PUBLIC_URL: 'https://sandbox.example',
        SANDBOX_TOKEN_SECRET: 'shh',
      }),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      tokenTtlSeconds: 60,
      orderTtlSeconds: 30,
      latencyMs: 15,
      faultRate: 0.25,
      webhookDropRate: 0.1,
      webhookDelayMs: 2500,
      webhookMaxAttempts: 3,
      webhookBaseDelayMs: 10,
      webhookTimeoutMs: 2000,
      maxOrders: 5000,
      maxBodyBytes: 32_768,
      publicUrl: 'https://sandbox.example',
      tokenSecret: 'shh',
    });
  });

  it('treats empty variables as unset', () => {
    expect(
      sandboxOptionsFromEnv({
        SANDBOX_FAULT_RATE: '',
        SANDBOX_PORT: ' ',
        SANDBOX_WEBHOOK_DROP_RATE: '',
        SANDBOX_WEBHOOK_DELAY_MS: '  ',
      }),
    ).toEqual({
      port: 8788,
      host: '127.0.0.1',
    });
  });

  it.each([
    ['SANDBOX_WEBHOOK_DROP_RATE', '0', { webhookDropRate: 0 }],
    ['SANDBOX_WEBHOOK_DROP_RATE', '1', { webhookDropRate: 1 }],
    ['SANDBOX_WEBHOOK_DROP_RATE', ' 0.5 ', { webhookDropRate: 0.5 }],
    ['SANDBOX_WEBHOOK_DROP_RATE', '.25', { webhookDropRate: 0.25 }],
    ['SANDBOX_WEBHOOK_DELAY_MS', '0', { webhookDelayMs: 0 }],
    ['SANDBOX_WEBHOOK_DELAY_MS', '1500', { webhookDelayMs: 1500 }],
    ['SANDBOX_WEBHOOK_DELAY_MS', '3600000', { webhookDelayMs: 3_600_000 }],
    ['SANDBOX_MAX_ORDERS', '1', { maxOrders: 1 }],
    ['SANDBOX_MAX_ORDERS', ' 250000 ', { maxOrders: 250_000 }],
    ['SANDBOX_MAX_ORDERS', '10000000', { maxOrders: 10_000_000 }],
    ['SANDBOX_MAX_BODY_BYTES', '1024', { maxBodyBytes: 1024 }],
    ['SANDBOX_MAX_BODY_BYTES', '16777216', { maxBodyBytes: 16_777_216 }],
  ])('accepts %s=%j', (name, value, expected) => {
    expect(sandboxOptionsFromEnv({ [name]: value })).toEqual({
      port: 8788,
      host: '127.0.0.1',
      ...expected,
    });
  });

  it('hands the webhook faults to createSandbox', () => {
    const options = sandboxOptionsFromEnv({
      SANDBOX_WEBHOOK_DROP_RATE: '0.3',
      SANDBOX_WEBHOOK_DELAY_MS: '750',
    });
    expect(createSandbox(options).faults()).toEqual({
      latencyMs: 0,
      faultRate: 0,
      webhookDropRate: 0.3,
      webhookDelayMs: 750,
    });
  });

  it('hands SANDBOX_MAX_ORDERS to createSandbox', async () => {
    const sandbox = createSandbox({
      ...sandboxOptionsFromEnv({ SANDBOX_MAX_ORDERS: '1' }),
      tokenSecret: 'test-secret-of-at-least-32-bytes!!',
    });
    const login = await sandbox.app.request('/api/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: 'service@sandbox.test', password: 'sandbox-service' }),
    });
    const { data } = (await login.json()) as { data: { token: string } };
    const create = (orderRef: string) =>
      sandbox.app.request('/api/buy-button/sessions', {
        method: 'POST',
        headers: { authorization: `Bearer ${data.token}` },
        body: JSON.stringify({ button: 'btn_coffee', orderRef }),
      });
    expect((await create('order-one')).status).toBe(200);
    expect((await create('order-two')).status).toBe(503);
  });

  it.each([
    ['SANDBOX_PORT', 'http', 'SANDBOX_PORT must be an integer between 0 and 65535'],
    ['SANDBOX_PORT', '70000', 'SANDBOX_PORT must be an integer between 0 and 65535'],
    ['SANDBOX_FAULT_RATE', '1.5', 'SANDBOX_FAULT_RATE must be a number between 0 and 1'],
    ['SANDBOX_FAULT_RATE', 'often', 'SANDBOX_FAULT_RATE must be a number between 0 and 1'],
    ['SANDBOX_LATENCY_MS', '-5', 'SANDBOX_LATENCY_MS must be an integer between 0 and 60000'],
    ['SANDBOX_TOKEN_TTL', '0', 'SANDBOX_TOKEN_TTL must be an integer between 1 and 31536000'],
    ['SANDBOX_ORDER_TTL', '2.5', 'SANDBOX_ORDER_TTL must be an integer between 1 and 31536000'],
    [
      'SANDBOX_WEBHOOK_MAX_ATTEMPTS',
      '0',
      'SANDBOX_WEBHOOK_MAX_ATTEMPTS must be an integer between 1 and 100',
    ],
    [
      'SANDBOX_WEBHOOK_DROP_RATE',
      '1.5',
      'SANDBOX_WEBHOOK_DROP_RATE must be a number between 0 and 1',
    ],
    [
      'SANDBOX_WEBHOOK_DROP_RATE',
      '-0.1',
      'SANDBOX_WEBHOOK_DROP_RATE must be a number between 0 and 1',
    ],
    [
      'SANDBOX_WEBHOOK_DROP_RATE',
      'sometimes',
      'SANDBOX_WEBHOOK_DROP_RATE must be a number between 0 and 1',
    ],
    [
      'SANDBOX_WEBHOOK_DROP_RATE',
      '10%',
      'SANDBOX_WEBHOOK_DROP_RATE must be a number between 0 and 1',
    ],
    [
      'SANDBOX_WEBHOOK_DELAY_MS',
      '-1',
      'SANDBOX_WEBHOOK_DELAY_MS must be an integer between 0 and 3600000',
    ],
    [
      'SANDBOX_WEBHOOK_DELAY_MS',
      '2.5',
      'SANDBOX_WEBHOOK_DELAY_MS must be an integer between 0 and 3600000',
    ],
    [
      'SANDBOX_WEBHOOK_DELAY_MS',
      '3600001',
      'SANDBOX_WEBHOOK_DELAY_MS must be an integer between 0 and 3600000',
    ],
    [
      'SANDBOX_WEBHOOK_DELAY_MS',
      '5s',
      'SANDBOX_WEBHOOK_DELAY_MS must be an integer between 0 and 3600000',
    ],
    ['SANDBOX_MAX_ORDERS', '0', 'SANDBOX_MAX_ORDERS must be an integer between 1 and 10000000'],
    ['SANDBOX_MAX_ORDERS', '-5', 'SANDBOX_MAX_ORDERS must be an integer between 1 and 10000000'],
    ['SANDBOX_MAX_ORDERS', '2.5', 'SANDBOX_MAX_ORDERS must be an integer between 1 and 10000000'],
    [
      'SANDBOX_MAX_ORDERS',
      '10000001',
      'SANDBOX_MAX_ORDERS must be an integer between 1 and 10000000',
    ],
    ['SANDBOX_MAX_ORDERS', 'lots', 'SANDBOX_MAX_ORDERS must be an integer between 1 and 10000000'],
    [
      'SANDBOX_MAX_BODY_BYTES',
      '1023',
      'SANDBOX_MAX_BODY_BYTES must be an integer between 1024 and 16777216',
    ],
    [
      'SANDBOX_MAX_BODY_BYTES',
      '64k',
      'SANDBOX_MAX_BODY_BYTES must be an integer between 1024 and 16777216',
    ],
    ['SANDBOX_PUBLIC_URL', 'sandbox.local', 'SANDBOX_PUBLIC_URL must be an absolute http(s) URL'],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    let caught: unknown;
    try {
      sandboxOptionsFromEnv({ [name]: value });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SandboxConfigError);
    expect(caught).toMatchObject({ code: 'ERR_SANDBOX_CONFIG', setting: name, message });
  });
});

describe('createSandbox options', () => {
  it.each([
    [{ faultRate: -0.1 }, 'faultRate must be a number between 0 and 1'],
    [{ orderTtlSeconds: 0 }, 'orderTtlSeconds must be an integer between 1 and 31536000'],
    [{ webhookDropRate: 1.5 }, 'webhookDropRate must be a number between 0 and 1'],
    [{ webhookDropRate: Number.NaN }, 'webhookDropRate must be a number between 0 and 1'],
    [{ webhookDelayMs: -1 }, 'webhookDelayMs must be an integer between 0 and 3600000'],
    [{ webhookDelayMs: 0.5 }, 'webhookDelayMs must be an integer between 0 and 3600000'],
    [{ maxOrders: 0 }, 'maxOrders must be an integer between 1 and 10000000'],
    [{ maxOrders: 1.5 }, 'maxOrders must be an integer between 1 and 10000000'],
    [{ maxBodyBytes: 100 }, 'maxBodyBytes must be an integer between 1024 and 16777216'],
    [{ publicUrl: 'nope' }, 'publicUrl must be an absolute URL'],
  ])('rejects %j', (options, message) => {
    expect(() => createSandbox(options)).toThrow(message);
  });
});
