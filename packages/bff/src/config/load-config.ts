import { z } from 'zod';
import { type ButtonCatalog, buttonCatalogSchema, wholeNumber } from './button-catalog.js';
import { ConfigError, type ConfigIssue } from './config-error.js';

/** How the BFF authenticates upstream. */
export type UpstreamCredential =
  | { kind: 'token'; token: string }
  | { kind: 'login'; email: string; password: string };

/** `RATE_LIMIT`: at most `count` checkouts per client IP per `windowSeconds`. */
export interface RateLimitSetting {
  count: number;
  windowSeconds: number;
}

/** Everything the BFF needs, validated. Built by `loadConfig`, passed to `createApp`. */
export interface BffConfig {
  upstream: {
    /** Base of the API, no trailing slash, e.g. `https://api.lyzi.fr/api`. */
    apiUrl: string;
    /** The hosted portal; `redirectUrl` = `portalUrl?code=<conversionCode>`. */
    portalUrl: string;
    credential: UpstreamCredential;
    /** Per-call time limit. */
    timeoutMs: number;
    /** Extra attempts for calls that are safe to repeat. */
    retries: number;
    /** `CHECKOUT_TIMEOUT_MS`: a checkout's upstream work, retries included, ends by then. */
    checkoutTimeoutMs: number;
  };
  /** Base URL the upstream reaches this BFF at; the callback is `publicUrl/webhooks/payment`. */
  publicUrl: string;
  /** Origins of the shop pages (CORS and the form-post / state-change origin check). */
  allowedOrigins: readonly string[];
  /** Origins `returnUrl` / `cancelUrl` may point at. */
  allowedRedirectOrigins: readonly string[];
  buttons: ButtonCatalog;
  /**
   * Receipts are signed with `secret` and accepted when signed with it or with `previousSecret`
   * (`RECEIPT_PREVIOUS_SECRET`, the secret being rotated out).
   */
  receipt: { secret: string; previousSecret?: string | undefined; ttlSeconds: number };
  webhook: {
    /** Where verified payment events go; unset: they are only logged. */
    forwardUrl: string | undefined;
    /** Standard Webhooks secrets (`whsec_...`), current first, then the one being rotated out. */
    secrets: readonly string[];
    timeoutMs: number;
    /** `WEBHOOK_RETRY_BASE_MS`: the first retry's delay; later ones double, with jitter. */
    retryBaseMs: number;
    /** `WEBHOOK_RETRY_MAX_DELAY_MS`: the longest gap between two attempts. */
    retryMaxDelayMs: number;
    /** `WEBHOOK_RETRY_WINDOW`: how long an event is retried before it is kept as failed. */
    retryWindowMs: number;
  };
  /** `RECONCILE_MARGIN_MS`: how long after an order's expiry it is read again. */
  reconcileMarginMs: number;
  /** `undefined` when `RATE_LIMIT=0`. */
  rateLimit: RateLimitSetting | undefined;
  /** `CALLBACK_RATE_LIMIT`, per client IP on the payment callback; `undefined` when 0. */
  callbackRateLimit: RateLimitSetting | undefined;
  redisUrl: string | undefined;
  orderRefPrefix: string;
  port: number;
  host: string;
  defaultReturnUrl: string | undefined;
  defaultCancelUrl: string | undefined;
  /** Proxies in front of the BFF whose `X-Forwarded-For` entry is trusted; 0 = use the socket. */
  trustProxyHops: number;
  shutdownTimeoutMs: number;
}

/** Default of `BFF_PORT`, read before `PORT`. */
const DEFAULT_PORT = 8787;

const blankToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** `schema`, with a blank string read as absent. */
const blankOr = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema);

/** `schema`, with `fallback` when absent, blank or null. */
const withDefault = <T extends z.ZodType>(fallback: string, schema: T) =>
  z.preprocess((value) => blankToUndefined(value) ?? fallback, schema);

const text = (what = 'must be a string') => z.string({ error: what }).trim();

const httpUrlText = (what?: string) =>
  text(what).refine((value) => httpUrlOf(value) !== undefined, {
    error: 'must be an absolute http(s) URL',
  });
const httpUrl = blankOr(httpUrlText('is required'));
const optionalHttpUrl = blankOr(httpUrlText().optional());

/** A comma-separated list (or a JSON array in the file) of http(s) origins, normalized. */
const originList = z.preprocess(
  (value) =>
    typeof value === 'string' ? (value.trim() === '' ? undefined : value.split(',')) : value,
  z
    .array(text(), { error: 'is required: a comma-separated list of origins' })
    .transform((items, ctx) => {
      const origins = items.filter((entry) => entry !== '').map(toOrigin);
      const bad = origins.indexOf(undefined);
      if (bad !== -1 || origins.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message:
            bad === -1
              ? 'must list at least one origin'
              : `has an entry that is not an http(s) origin such as https://shop.example (entry ${bad + 1})`,
        });
        return z.NEVER;
      }
      return [...new Set(origins as string[])];
    }),
);

/** A whole number in `[min, max]`: `fallback` when absent or blank; a digit string counts. */
const integer = (min: number, max: number, fallback?: number) =>
  z.preprocess(
    (value) => {
      const blank = blankToUndefined(value);
      if (blank === undefined) return fallback;
      return typeof blank === 'string' && /^-?\d+$/.test(blank.trim()) ? Number(blank) : blank;
    },
    wholeNumber(min, max, `must be an integer between ${min} and ${max}`),
  );

const rateLimit = (fallback: string) =>
  withDefault(
    fallback,
    z
      .union([z.string(), z.number()], { error: 'must be "<count>/<seconds>s" or 0' })
      .transform((value, ctx): RateLimitSetting | undefined => {
        const raw = String(value).trim();
        if (raw === '0' || raw === 'off') return undefined;
        const match = /^(\d{1,9})\/(\d{1,9})s$/.exec(raw);
        const count = Number(match?.[1]);
        const windowSeconds = Number(match?.[2]);
        if (match === null || count < 1 || windowSeconds < 1) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be "<count>/<seconds>s" with both above 0 (e.g. "30/60s"), or 0 for off',
          });
          return z.NEVER;
        }
        return { count, windowSeconds };
      }),
  );

const webhookSecret = blankOr(
  text()
    .refine(isWebhookSecret, {
      error: 'must be "whsec_" followed by base64 of 24 to 64 random bytes',
    })
    .optional(),
);

const receiptSecret = (what: string) =>
  z
    .string({ error: what })
    .min(32, { error: 'must be at least 32 characters (use 32+ random bytes)' });

// No fallback here: BFF_PORT, then PORT, then DEFAULT_PORT (in toConfig).
const port = blankOr(integer(0, 65_535).optional());

const trustProxy = z.preprocess(
  (value) => {
    const raw = blankToUndefined(value);
    if (raw === undefined || raw === false || raw === 'false') return 0;
    if (raw === true || raw === 'true') return 1;
    return typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  },
  wholeNumber(0, 10, 'must be true, false or the number of trusted proxy hops (0..10)'),
);

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_RULE = 'must be a duration such as "3d", "12h", "30m" or "90s", from 1s to 30d';

/** `<number><unit>` with a unit of ms, s, m, h or d, in ms; from 1 s to 30 days. */
const duration = (fallback: string) =>
  withDefault(
    fallback,
    z.string({ error: DURATION_RULE }).transform((value, ctx) => {
      const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(value.trim());
      const ms =
        match === null
          ? Number.NaN
          : Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS];
      if (!(ms >= 1000 && ms <= 30 * DURATION_UNITS_MS.d)) {
        ctx.addIssue({ code: 'custom', message: DURATION_RULE });
        return z.NEVER;
      }
      return ms;
    }),
  );

const buttons = z.preprocess((value, ctx) => {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
    return z.NEVER;
  }
}, buttonCatalogSchema.optional());

/** Every setting, with the default of each optional one. */
const settingsSchema = z.object({
  UPSTREAM_API_URL: httpUrl,
  PORTAL_URL: httpUrl,
  UPSTREAM_TOKEN: blankOr(text().optional()),
  UPSTREAM_EMAIL: blankOr(text().optional()),
  UPSTREAM_PASSWORD: blankOr(z.string({ error: 'must be a string' }).optional()),
  PUBLIC_URL: httpUrl,
  ALLOWED_ORIGINS: originList,
  ALLOWED_REDIRECT_ORIGINS: blankOr(originList.optional()),
  BUTTONS: buttons,
  RECEIPT_SECRET: blankOr(receiptSecret('is required (at least 32 random characters)')),
  RECEIPT_PREVIOUS_SECRET: blankOr(receiptSecret('must be a string').optional()),
  RECEIPT_TTL_SECONDS: integer(60, 86_400, 3600),
  WEBHOOK_FORWARD_URL: optionalHttpUrl,
  WEBHOOK_SECRET: webhookSecret,
  WEBHOOK_PREVIOUS_SECRET: webhookSecret,
  WEBHOOK_TIMEOUT_MS: integer(100, 60_000, 5000),
  WEBHOOK_RETRY_BASE_MS: integer(100, 3_600_000, 5000),
  WEBHOOK_RETRY_MAX_DELAY_MS: integer(100, 86_400_000, 3_600_000),
  WEBHOOK_RETRY_WINDOW: duration('3d'),
  RECONCILE_MARGIN_MS: integer(0, 86_400_000, 60_000),
  RATE_LIMIT: rateLimit('30/60s'),
  CALLBACK_RATE_LIMIT: rateLimit('6000/60s'),
  REDIS_URL: blankOr(
    text()
      .refine((value) => /^rediss?:$/.test(URL.parse(value)?.protocol ?? ''), {
        error: 'must be a redis:// or rediss:// URL',
      })
      .optional(),
  ),
  // Not blankOr: an empty prefix is allowed (from the file; an empty environment value is unset).
  ORDER_REF_PREFIX: z.preprocess(
    (value) => value ?? 'bb-',
    z.string({ error: 'must be a string' }).regex(/^[A-Za-z0-9_-]{0,40}$/, {
      error: 'must be 0..40 characters of A-Z, a-z, 0-9, "_", "-"',
    }),
  ),
  BFF_PORT: port,
  PORT: port,
  HOST: withDefault(
    '127.0.0.1',
    text().regex(/^[A-Za-z0-9.:[\]-]+$/, { error: 'must be a host name or IP address' }),
  ),
  DEFAULT_RETURN_URL: optionalHttpUrl,
  DEFAULT_CANCEL_URL: optionalHttpUrl,
  UPSTREAM_TIMEOUT_MS: integer(100, 120_000, 10_000),
  UPSTREAM_RETRIES: integer(0, 5, 2),
  CHECKOUT_TIMEOUT_MS: integer(1000, 120_000, 12_000),
  SHUTDOWN_TIMEOUT_MS: integer(0, 120_000, 10_000),
  TRUST_PROXY: trustProxy,
});

/** Every setting name the BFF reads (from the environment or the `BFF_CONFIG` file). */
const SETTING_NAMES = Object.keys(settingsSchema.shape) as readonly string[];

type Settings = z.output<typeof settingsSchema>;

/**
 * The rules between settings. They run even when a setting is malformed (`when`), so one run
 * names every missing or wrong setting; the values they read may then be raw.
 */
function crossSettingRules(s: Settings, ctx: z.core.$RefinementCtx<Settings>): void {
  const issue = (setting: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [setting], message });
  const present = (value: unknown) => value !== undefined && value !== '';
  if (!present(s.UPSTREAM_TOKEN)) {
    if (present(s.UPSTREAM_EMAIL) && !present(s.UPSTREAM_PASSWORD)) {
      issue('UPSTREAM_PASSWORD', 'is required with UPSTREAM_EMAIL');
    } else if (!present(s.UPSTREAM_EMAIL) && present(s.UPSTREAM_PASSWORD)) {
      issue('UPSTREAM_EMAIL', 'is required with UPSTREAM_PASSWORD');
    } else if (!present(s.UPSTREAM_EMAIL)) {
      issue(
        'UPSTREAM_TOKEN',
        'or UPSTREAM_EMAIL + UPSTREAM_PASSWORD is required (the upstream credential)',
      );
    }
  }
  if (!present(s.BUTTONS)) issue('BUTTONS', 'is required: the JSON catalog of buttons sold');
  if (present(s.WEBHOOK_FORWARD_URL) && !present(s.WEBHOOK_SECRET)) {
    issue('WEBHOOK_SECRET', 'is required with WEBHOOK_FORWARD_URL');
  }
  if (present(s.WEBHOOK_PREVIOUS_SECRET) && !present(s.WEBHOOK_SECRET)) {
    issue('WEBHOOK_SECRET', 'is required with WEBHOOK_PREVIOUS_SECRET');
  }
  const redirectOrigins = s.ALLOWED_REDIRECT_ORIGINS ?? s.ALLOWED_ORIGINS;
  for (const name of ['DEFAULT_RETURN_URL', 'DEFAULT_CANCEL_URL'] as const) {
    const url = s[name];
    if (
      typeof url === 'string' &&
      Array.isArray(redirectOrigins) &&
      !redirectOrigins.includes(URL.parse(url)?.origin ?? '')
    ) {
      issue(name, 'must be on one of ALLOWED_REDIRECT_ORIGINS');
    }
  }
}

/** The validated settings as the typed configuration. */
function toConfig(s: Settings): BffConfig {
  return {
    upstream: {
      apiUrl: s.UPSTREAM_API_URL.replace(/\/+$/, ''),
      portalUrl: s.PORTAL_URL,
      credential:
        s.UPSTREAM_TOKEN !== undefined
          ? { kind: 'token', token: s.UPSTREAM_TOKEN }
          : { kind: 'login', email: s.UPSTREAM_EMAIL ?? '', password: s.UPSTREAM_PASSWORD ?? '' },
      timeoutMs: s.UPSTREAM_TIMEOUT_MS,
      retries: s.UPSTREAM_RETRIES,
      checkoutTimeoutMs: s.CHECKOUT_TIMEOUT_MS,
    },
    publicUrl: s.PUBLIC_URL.replace(/\/+$/, ''),
    allowedOrigins: s.ALLOWED_ORIGINS,
    allowedRedirectOrigins: s.ALLOWED_REDIRECT_ORIGINS ?? s.ALLOWED_ORIGINS,
    // Present: crossSettingRules refuses a configuration without it.
    buttons: s.BUTTONS as ButtonCatalog,
    receipt: {
      secret: s.RECEIPT_SECRET,
      previousSecret: s.RECEIPT_PREVIOUS_SECRET,
      ttlSeconds: s.RECEIPT_TTL_SECONDS,
    },
    webhook: {
      forwardUrl: s.WEBHOOK_FORWARD_URL,
      secrets: [s.WEBHOOK_SECRET, s.WEBHOOK_PREVIOUS_SECRET].filter(
        (secret) => secret !== undefined,
      ),
      timeoutMs: s.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: s.WEBHOOK_RETRY_BASE_MS,
      retryMaxDelayMs: s.WEBHOOK_RETRY_MAX_DELAY_MS,
      retryWindowMs: s.WEBHOOK_RETRY_WINDOW,
    },
    reconcileMarginMs: s.RECONCILE_MARGIN_MS,
    rateLimit: s.RATE_LIMIT,
    callbackRateLimit: s.CALLBACK_RATE_LIMIT,
    redisUrl: s.REDIS_URL,
    orderRefPrefix: s.ORDER_REF_PREFIX,
    port: s.BFF_PORT ?? s.PORT ?? DEFAULT_PORT,
    host: s.HOST,
    defaultReturnUrl: s.DEFAULT_RETURN_URL,
    defaultCancelUrl: s.DEFAULT_CANCEL_URL,
    trustProxyHops: s.TRUST_PROXY,
    shutdownTimeoutMs: s.SHUTDOWN_TIMEOUT_MS,
  };
}

/** Every setting, the rules between them, and the typed result: one schema, one pass. */
const configSchema = settingsSchema
  .check(z.superRefine(crossSettingRules, { when: () => true }))
  .transform(toConfig);

/**
 * Builds the typed configuration from the environment and, optionally, the `BFF_CONFIG` file's
 * content (its JSON text or the parsed object). Environment values win over the file; in the file
 * the catalog may also sit under `"buttons"`. Throws `ConfigError` naming every bad setting.
 *
 * @example
 * const config = loadConfig(process.env, readFileSync(process.env.BFF_CONFIG, 'utf8'))
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  file?: string | Record<string, unknown>,
): BffConfig {
  const merged = readFile(file);
  for (const name of SETTING_NAMES) {
    const value = env[name];
    if (value !== undefined && value !== '') merged[name] = value;
  }
  const parsed = configSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  // One issue per setting and message, in first-seen order.
  const issues = new Map<string, ConfigIssue>();
  for (const { path, message } of parsed.error.issues) {
    const setting = String(path[0] ?? 'configuration');
    issues.set(`${setting}\u0000${message}`, { setting, message });
  }
  throw new ConfigError([...issues.values()]);
}

/** The file's settings: its top-level keys, with `"buttons"` accepted for `BUTTONS`. */
function readFile(file: string | Record<string, unknown> | undefined): Record<string, unknown> {
  if (file === undefined) return {};
  let content: unknown = file;
  if (typeof file === 'string') {
    try {
      content = JSON.parse(file) as unknown;
    } catch {
      throw new ConfigError([{ setting: 'BFF_CONFIG', message: 'is not a valid JSON file' }]);
    }
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw new ConfigError([{ setting: 'BFF_CONFIG', message: 'must hold a JSON object' }]);
  }
  const { buttons, ...rest } = content as Record<string, unknown>;
  const unknownKeys = Object.keys(rest).filter((key) => !SETTING_NAMES.includes(key));
  if (unknownKeys.length > 0) {
    throw new ConfigError(
      unknownKeys.map((key) => ({
        setting: `BFF_CONFIG.${key}`,
        message: 'is not a known setting',
      })),
    );
  }
  return buttons === undefined ? rest : { BUTTONS: buttons, ...rest };
}

/** The URL, when `value` is an absolute http(s) one (those always have a host). */
function httpUrlOf(value: string): URL | undefined {
  const url = URL.parse(value);
  return url?.protocol === 'http:' || url?.protocol === 'https:' ? url : undefined;
}

/** `https://shop.example` for an origin-only URL; `undefined` when a path or query is present. */
function toOrigin(value: string): string | undefined {
  const url = httpUrlOf(value);
  return url && url.pathname + url.search + url.hash === '/' ? url.origin : undefined;
}

/** `whsec_` + base64 of 24..64 random bytes, as Standard Webhooks libraries expect. */
function isWebhookSecret(value: string): boolean {
  const body = value.startsWith('whsec_') ? value.slice(6) : '';
  const bytes = z.base64().safeParse(body).success ? atob(body).length : 0;
  return bytes >= 24 && bytes <= 64;
}
