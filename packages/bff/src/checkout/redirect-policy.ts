import { ProblemError } from '../problems/problem-error.js';

/** The upstream's limit on `returnUrl` / `cancelUrl`. */
export const MAX_REDIRECT_URL_LENGTH = 256;

/** Placeholders, raw or as URL parsing leaves them in a path (`%7B...%7D`). */
const ORDER_REF_PLACEHOLDER = /\{ORDER_REF\}|%7BORDER_REF%7D/gi;
const RECEIPT_PLACEHOLDER = /\{RECEIPT\}|%7BRECEIPT%7D/gi;
const REFERENCE_PLACEHOLDER = /\{REFERENCE\}|%7BREFERENCE%7D/gi;

export type RedirectField = 'returnUrl' | 'cancelUrl';

export interface RedirectPolicyOptions {
  /** `ALLOWED_REDIRECT_ORIGINS`. */
  allowedOrigins: readonly string[];
}

/**
 * Where the portal may send a shopper back to. A URL is accepted only if it is http(s), has no
 * credentials, and lands on one of the merchant's origins: the portal redirects blindly, so
 * anything else would make the checkout an open redirector (or a `javascript:` sink).
 */
export class RedirectPolicy {
  readonly #allowed: ReadonlySet<string>;

  constructor({ allowedOrigins }: RedirectPolicyOptions) {
    this.#allowed = new Set(allowedOrigins);
  }

  /**
   * The absolute URL template for `raw`: relative paths (`/return?...`) resolve against the
   * request's verified origin. Placeholders are still in it.
   */
  resolve(field: RedirectField, raw: string, requestOrigin: string | undefined): string {
    const text = raw.trim();
    if (text.length > 2048) refuse(field, 'is too long');
    let base: string | undefined;
    if (text.startsWith('/')) {
      // `//evil.example` and `/\evil.example` are scheme-relative to a browser: never relative.
      if (text.startsWith('//') || text.startsWith('/\\'))
        refuse(field, 'must be a path or an absolute URL');
      if (requestOrigin === undefined) {
        refuse(field, 'is relative, but the request has no origin to resolve it against');
      }
      base = requestOrigin;
    }
    const url = URL.parse(text, base);
    if (url === null) refuse(field, 'is not a valid URL');
    if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse(field, 'must be http(s)');
    if (url.username !== '' || url.password !== '') refuse(field, 'must not carry credentials');
    if (!this.#allowed.has(url.origin)) refuse(field, "must be on one of the shop's origins");
    return url.href;
  }
}

function refuse(field: RedirectField, message: string): never {
  throw new ProblemError('invalidRedirectUrl', {
    detail: `${field} ${message}.`,
    errors: [{ field, message }],
  });
}

/**
 * Fills `{ORDER_REF}`, `{RECEIPT}` and `{REFERENCE}` (all URL-safe: base32, base64url and the
 * reference's own charset; an absent reference leaves nothing) and enforces the
 * upstream's length limit on the final URL, the one the portal will use.
 */
export function fillRedirectUrl(
  field: RedirectField,
  template: string,
  values: { orderRef: string; receipt: string; reference?: string | undefined },
): string {
  const url = template
    .replace(ORDER_REF_PLACEHOLDER, values.orderRef)
    .replace(RECEIPT_PLACEHOLDER, values.receipt)
    .replace(REFERENCE_PLACEHOLDER, values.reference ?? '');
  if (url.length > MAX_REDIRECT_URL_LENGTH) {
    throw new ProblemError('invalidRedirectUrl', {
      detail: `${field} is longer than ${MAX_REDIRECT_URL_LENGTH} characters once its placeholders are filled in.`,
      errors: [
        { field, message: `must be at most ${MAX_REDIRECT_URL_LENGTH} characters after filling` },
      ],
    });
  }
  return url;
}
