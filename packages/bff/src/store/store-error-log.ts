import { describeError, type Logger } from '../runtime/logger.js';

export interface StoreErrorLogOptions {
  /** Where the lines go (the BFF's JSON logger). */
  log: Logger;
  /** The store's URL (`REDIS_URL`): logged without its credentials; its password is in no line. */
  url: string;
  /** At most one line per this many ms; the errors in between are counted. Default 10 000. */
  intervalMs?: number;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** The line logged for shared-store connection errors. */
export const STORE_ERROR_MESSAGE = 'shared store connection error';

/**
 * Makes the `onError` of `createRedisStore`: a connection error repeats on every reconnection
 * attempt while Redis is away (up to ten a second), so it logs the first one at once, then at
 * most one line per `intervalMs`, saying how many were left out. The URL's user name and password
 * are left out of the logged URL, and the password appears in no line, not even inside an error
 * message.
 *
 * @example
 * createRedisStore(url, { onError: storeErrorLogger({ log: jsonLogger, url }) })
 */
export function storeErrorLogger({
  log,
  url,
  intervalMs = 10_000,
  now = Date.now,
}: StoreErrorLogOptions): (error: Error) => void {
  const { store, secrets } = withoutCredentials(url);
  const scrub = (text: string): string =>
    secrets.reduce((clean, secret) => clean.replaceAll(secret, '***'), text);
  let lastLoggedAt: number | undefined;
  let suppressed = 0;
  return (error) => {
    const at = now();
    if (lastLoggedAt !== undefined && at - lastLoggedAt < intervalMs) {
      suppressed += 1;
      return;
    }
    lastLoggedAt = at;
    log({
      level: 'error',
      msg: STORE_ERROR_MESSAGE,
      store,
      error: describeError(error, scrub),
      ...(suppressed > 0 ? { suppressed } : {}),
    });
    suppressed = 0;
  };
}

/**
 * `redis://user:password@host:6379/0` → `redis://host:6379/0`, and the URL's password as written
 * then decoded (never longer), so neither leaves a piece of the other. An unreadable URL →
 * `redis`, and the whole URL as the secret.
 */
function withoutCredentials(url: string): { store: string; secrets: string[] } {
  const parsed = URL.parse(url);
  if (parsed === null) return { store: 'redis', secrets: [url] };
  const { protocol, host, pathname, password } = parsed;
  const store = `${protocol}//${host}${pathname === '/' ? '' : pathname}`;
  if (password === '') return { store, secrets: [] };
  try {
    return { store, secrets: [password, decodeURIComponent(password)] };
  } catch {
    // Not percent-encoded text: the raw form is enough.
    return { store, secrets: [password] };
  }
}
