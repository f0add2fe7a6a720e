import { describe, expect, it } from 'vitest';
import { testEnv } from '../test/harness.js';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('builds a typed config with defaults from a minimal environment', () => {
    const config = loadConfig(testEnv({ RATE_LIMIT: '' }));
    expect(config.upstream.credential).toEqual({
      kind: 'login',
      email: 'service@sandbox.test',
      password: 'sandbox-service',
    });
    expect(config.rateLimit).toEqual({ count: 30, windowSeconds: 60 });
    expect(config.port).toBe(8787);
    expect(config.host).toBe('127.0.0.1');
    expect(config.allowedRedirectOrigins).toEqual(['https://shop.test']);
    expect(config.receipt.ttlSeconds).toBe(3600);
    expect(config.buttons.get('btn_coffee')).toMatchObject({ kind: 'fixed', priceMinor: 450 });
    expect(config.buttons.get('btn_donation')).toMatchObject({
      kind: 'open',
      min: '1.00',
      max: '500.00',
    });
  });

  it('names every missing required setting at once', () => {
    const err = configError(() => loadConfig({}));
    const settings = err.issues.map((issue) => issue.setting);
    expect(settings).toEqual(
      expect.arrayContaining([
        'UPSTREAM_API_URL',
        'PORTAL_URL',
        'PUBLIC_URL',
        'ALLOWED_ORIGINS',
        'RECEIPT_SECRET',
      ]),
    );
    expect(err.message).toContain('UPSTREAM_API_URL');
    expect(err.code).toBe('ERR_BFF_CONFIG');
  });

  it('requires a credential: a token, or email and password together', () => {
    const base = testEnv({ UPSTREAM_EMAIL: '', UPSTREAM_PASSWORD: '' });
    expect(configError(() => loadConfig(base)).setting).toBe('UPSTREAM_TOKEN');
    expect(configError(() => loadConfig({ ...base, UPSTREAM_EMAIL: 'a@b.test' })).setting).toBe(
      'UPSTREAM_PASSWORD',
    );
    expect(loadConfig({ ...base, UPSTREAM_TOKEN: 'jwt' }).upstream.credential).toEqual({
      kind: 'token',
      token: 'jwt',
    });
  });

  it.each([
    ['UPSTREAM_API_URL', 'ftp://api.example'],
    ['PORTAL_URL', 'not a url'],
    ['ALLOWED_ORIGINS', 'https://shop.test/path'],
    ['ALLOWED_REDIRECT_ORIGINS', 'javascript:alert(1)'],
    ['BUTTONS', '{not json'],
    ['BUTTONS', '{}'],
    ['BUTTONS', '{"btn x":{"name":"X","price":"1.00","currency":"EUR"}}'],
    ['BUTTONS', '{"b":{"name":"X","price":"1.005","currency":"EUR"}}'],
    ['BUTTONS', '{"b":{"name":"X","price":"1.00","currency":"eur"}}'],
    ['BUTTONS', '{"b":{"name":"X","currency":"EUR","min":"9.00","max":"1.00"}}'],
    ['BUTTONS', '{"b":{"name":"X","currency":"EUR","price":"1.00","min":"1.00"}}'],
    ['RECEIPT_SECRET', 'too-short'],
    ['RECEIPT_PREVIOUS_SECRET', 'too-short'],
    ['WEBHOOK_SECRET', 'not-a-whsec'],
    ['WEBHOOK_SECRET', 'whsec_c2hvcnQ='],
    ['RATE_LIMIT', '30 per minute'],
    ['RATE_LIMIT', '0/60s'],
    ['REDIS_URL', 'http://cache:6379'],
    ['ORDER_REF_PREFIX', 'has space'],
    ['BFF_PORT', '70000'],
    ['PORT', 'eighty'],
    ['UPSTREAM_TIMEOUT_MS', '5'],
    ['TRUST_PROXY', 'maybe'],
    ['DEFAULT_RETURN_URL', 'https://elsewhere.test/return'],
  ])('refuses a bad %s and names it', (setting, value) => {
    const err = configError(() => loadConfig(testEnv({ [setting]: value })));
    expect(err.issues.map((issue) => issue.setting)).toContain(setting);
    expect(err.message).toContain(setting);
  });

  it('never prints secret values in its message', () => {
    const secrets = {
      RECEIPT_SECRET: 'short-secret-value',
      RECEIPT_PREVIOUS_SECRET: 'short-previous-value',
      WEBHOOK_SECRET: 'whsec_leakyleaky',
      UPSTREAM_PASSWORD: '',
      REDIS_URL: 'redis-but-wrong://user:hunter2@cache',
    };
    const err = configError(() => loadConfig(testEnv(secrets)));
    for (const value of ['short-secret-value', 'short-previous-value', 'leakyleaky', 'hunter2']) {
      expect(err.message).not.toContain(value);
    }
  });

  it('requires WEBHOOK_SECRET with WEBHOOK_FORWARD_URL', () => {
    expect(configError(() => loadConfig(testEnv({ WEBHOOK_SECRET: '' }))).setting).toBe(
      'WEBHOOK_SECRET',
    );
  });

  it('keeps the previous webhook secret for rotation, current first', () => {
    const previous = `whsec_${btoa('fedcba9876543210fedcba9876543210')}`;
    const config = loadConfig(testEnv({ WEBHOOK_PREVIOUS_SECRET: previous }));
    expect(config.webhook.secrets).toHaveLength(2);
    expect(config.webhook.secrets[1]).toBe(previous);
  });

  it('keeps the previous receipt secret for rotation, and none by default', () => {
    const previous = 'p'.repeat(32);
    expect(loadConfig(testEnv({ RECEIPT_PREVIOUS_SECRET: previous })).receipt).toMatchObject({
      secret: 'r'.repeat(40),
      previousSecret: previous,
    });
    expect(loadConfig(testEnv()).receipt.previousSecret).toBeUndefined();
  });

  it.each([
    ['0', undefined],
    ['off', undefined],
    ['5/10s', { count: 5, windowSeconds: 10 }],
  ])('reads RATE_LIMIT=%s', (value, expected) => {
    expect(loadConfig(testEnv({ RATE_LIMIT: value })).rateLimit).toEqual(expected);
  });

  it('takes BFF_PORT before PORT, and PORT alone', () => {
    expect(loadConfig(testEnv({ BFF_PORT: '9000', PORT: '9001' })).port).toBe(9000);
    expect(loadConfig(testEnv({ PORT: '9001' })).port).toBe(9001);
    expect(loadConfig(testEnv({ BFF_PORT: '0' })).port).toBe(0);
  });

  it.each([
    ['true', 1],
    ['false', 0],
    ['2', 2],
  ])('reads TRUST_PROXY=%s as %i trusted hops', (value, hops) => {
    expect(loadConfig(testEnv({ TRUST_PROXY: value })).trustProxyHops).toBe(hops);
  });

  it('reads a BFF_CONFIG file, with the catalog under "buttons", and lets the environment win', () => {
    const { BUTTONS: _buttons, ALLOWED_ORIGINS: _origins, ...env } = testEnv();
    const file = JSON.stringify({
      ALLOWED_ORIGINS: ['https://a.test', 'https://b.test'],
      RATE_LIMIT: '7/7s',
      buttons: { btn_tea: { name: 'Tea', price: '3.00', currency: 'EUR' } },
    });
    const config = loadConfig({ ...env, RATE_LIMIT: '8/8s' }, file);
    expect(config.allowedOrigins).toEqual(['https://a.test', 'https://b.test']);
    expect([...config.buttons.keys()]).toEqual(['btn_tea']);
    expect(config.rateLimit).toEqual({ count: 8, windowSeconds: 8 });
  });

  it.each([
    ['{not json', 'BFF_CONFIG'],
    ['[1, 2]', 'BFF_CONFIG'],
    ['{"UNKNOWN_SETTING": 1}', 'BFF_CONFIG.UNKNOWN_SETTING'],
  ])('refuses a bad BFF_CONFIG file %s', (file, setting) => {
    expect(configError(() => loadConfig(testEnv(), file)).setting).toBe(setting);
  });

  it('validates REDIS_URL without connecting', () => {
    expect(loadConfig(testEnv({ REDIS_URL: 'redis://cache:6379/0' })).redisUrl).toBe(
      'redis://cache:6379/0',
    );
  });
});
