import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { fakeBff, mount, nextEvent, part } from '../test/fixtures.js';
import { CheckoutErrorCode } from './checkout-status.js';
import { createSession } from './create-session.js';
import type { BuyButtonErrorEvent } from './events.js';
import { LANGUAGES } from './languages.js';
import { MESSAGES } from './messages.js';

const PROBLEMS = 'https://buy-button.dev/problems/';
const en = MESSAGES.en;
if (!en) throw new Error('no en messages');

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Every refusal the BFF can answer `POST /sessions` with (packages/bff/README.md, "Problem
 * types"), as the fake BFF sends it: status, `application/problem+json` with the BFF's `type`,
 * `Retry-After` where the BFF sends one, and CORS headers that let the page read all of it.
 * `console` is what the merchant is told to fix, once.
 */
const REFUSALS: Array<{
  slug: string;
  status: number;
  code: CheckoutErrorCode;
  retryAfter?: number;
  console?: RegExp;
}> = [
  {
    slug: 'forbidden-origin',
    status: 403,
    code: 'origin-not-allowed',
    console:
      /^buy-button: this page's origin \(http:\/\/[^)]+\) is not in the BFF's ALLOWED_ORIGINS/,
  },
  { slug: 'rate-limited', status: 429, code: 'rate-limited', retryAfter: 60 },
  {
    slug: 'unknown-button',
    status: 404,
    code: 'unknown-button',
    console: /^buy-button: button "btn_coffee" is not in the BFF's BUTTONS/,
  },
  { slug: 'invalid-price', status: 400, code: 'invalid-price' },
  { slug: 'price-out-of-range', status: 400, code: 'invalid-price' },
  { slug: 'invalid-quantity', status: 400, code: 'invalid-quantity' },
  {
    slug: 'price-mismatch',
    status: 400,
    code: 'catalog-mismatch',
    console: /^buy-button: the price or currency of "btn_coffee" differs from the BFF's BUTTONS/,
  },
  {
    slug: 'currency-mismatch',
    status: 400,
    code: 'catalog-mismatch',
    console: /^buy-button: the price or currency of "btn_coffee" differs from the BFF's BUTTONS/,
  },
  {
    slug: 'invalid-redirect-url',
    status: 400,
    code: 'invalid-redirect-url',
    console:
      /^buy-button: return-url or cancel-url is not allowed by the BFF's ALLOWED_REDIRECT_ORIGINS/,
  },
  { slug: 'idempotency-in-progress', status: 409, code: 'in-progress', retryAfter: 1 },
  { slug: 'body-too-large', status: 413, code: 'body-too-large' },
  { slug: 'invalid-request', status: 400, code: 'rejected' },
  { slug: 'malformed-body', status: 400, code: 'rejected' },
  { slug: 'unsupported-media-type', status: 415, code: 'rejected' },
  { slug: 'invalid-idempotency-key', status: 400, code: 'rejected' },
  { slug: 'idempotency-key-reused', status: 422, code: 'rejected' },
  { slug: 'upstream-rejected', status: 400, code: 'rejected' },
  { slug: 'not-found', status: 404, code: 'rejected' },
  { slug: 'upstream-error', status: 502, code: 'unavailable' },
  { slug: 'upstream-unavailable', status: 503, code: 'unavailable', retryAfter: 1 },
  { slug: 'upstream-timeout', status: 504, code: 'unavailable' },
  { slug: 'store-unavailable', status: 503, code: 'unavailable', retryAfter: 1 },
  { slug: 'internal', status: 500, code: 'unavailable' },
];

describe('BFF refusals', () => {
  it.each(REFUSALS)(
    '$status $slug: "$code", read (not retried), shown, the merchant told once',
    async ({ slug, status, code, retryAfter, console: told }) => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      const bff = fakeBff(`problem-${status}-${slug}`);
      const { element } = await mount(
        `<buy-button button="btn_coffee" endpoint="${bff.endpoint}" locale="en"></buy-button>`,
      );
      const failed = nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error');
      await userEvent.click(part(element, 'button'));
      const { detail } = await failed;

      expect(detail).toEqual({
        code,
        status,
        message: en[code],
        problem: expect.objectContaining({ type: `${PROBLEMS}${slug}`, status }),
        ...(retryAfter === undefined ? {} : { retryAfter }),
      });
      // One request: an answer, even a refusal, is never retried automatically.
      expect(await bff.requests()).toHaveLength(1);
      await element.updateComplete;
      expect(part(element, 'error').textContent).toBe(en[code]);
      expect(part(element, 'error').getAttribute('role')).toBe('alert');

      // Clicked again: answered again, but the console said it once.
      const again = nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error');
      await userEvent.click(part(element, 'button'));
      expect((await again).detail.code).toBe(code);
      expect(await bff.requests()).toHaveLength(2);
      if (told) {
        expect(error).toHaveBeenCalledOnce();
        expect(String(error.mock.calls[0]?.[0])).toMatch(told);
        expect(String(error.mock.calls[0]?.[0])).toContain(bff.endpoint);
      } else {
        expect(error).not.toHaveBeenCalled();
      }
    },
  );

  it('a refused origin: the shopper reads that payments are not set up, in their language', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const bff = fakeBff('problem-403-forbidden-origin');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
      { lang: 'fr' },
    );
    const failed = nextEvent<BuyButtonErrorEvent>(element, 'buy-button-error');
    await element.checkout();
    expect((await failed).detail.message).toBe(
      'Les paiements ne sont pas configurés sur cette page.',
    );
    await element.updateComplete;
    expect(part(element, 'error').textContent).toBe(
      'Les paiements ne sont pas configurés sur cette page.',
    );
    expect(en['origin-not-allowed']).toBe('Payments are not set up for this page.');
  });

  it('every code has its own constant and a message in every language', () => {
    const codes = Object.values(CheckoutErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    // The codes that ask the shopper to do something different say so differently.
    const distinct: CheckoutErrorCode[] = [
      'origin-not-allowed',
      'invalid-price',
      'invalid-quantity',
      'in-progress',
      'rate-limited',
    ];
    for (const language of LANGUAGES) {
      const messages = MESSAGES[language];
      for (const code of codes) expect(messages?.[code], `${language} ${code}`).toMatch(/\.$/);
      expect(new Set(distinct.map((code) => messages?.[code])).size, language).toBe(
        distinct.length,
      );
    }
  });

  it('without a problem body, the status alone decides', async () => {
    const answer = (status: number, headers: Record<string, string> = {}) =>
      createSession(
        'https://bff.test',
        { button: 'b' },
        {
          idempotencyKey: 'k',
          timeoutMs: 1000,
          fetch: async () => new Response('<html>', { status, headers }),
        },
      );
    const codes = await Promise.all(
      [403, 409, 413, 429, 400, 404, 500, 503].map(async (status) => {
        const result = await answer(status);
        return result.ok ? 'ok' : result.failure.code;
      }),
    );
    expect(codes).toEqual([
      'origin-not-allowed',
      'in-progress',
      'body-too-large',
      'rate-limited',
      'rejected',
      'rejected',
      'unavailable',
      'unavailable',
    ]);
    // Retry-After as an HTTP date.
    const date = new Date(Date.now() + 30_000).toUTCString();
    const result = await answer(429, { 'retry-after': date });
    expect(result.ok ? undefined : result.failure.retryAfter).toBeGreaterThanOrEqual(28);
    expect(result.ok ? undefined : result.failure.retryAfter).toBeLessThanOrEqual(30);
    const garbled = await answer(429, { 'retry-after': 'soon' });
    expect(garbled.ok ? 'ok' : garbled.failure).toEqual({ code: 'rate-limited', status: 429 });
  });

  it('a problem type that names an Object.prototype member is no code of its own', async () => {
    const result = await createSession(
      'https://bff.test',
      { button: 'b' },
      {
        idempotencyKey: 'k',
        timeoutMs: 1000,
        fetch: async () =>
          Response.json(
            { type: 'https://elsewhere.test/constructor', status: 400 },
            { status: 400 },
          ),
      },
    );
    expect(result.ok ? 'ok' : result.failure.code).toBe('rejected');
  });
});
