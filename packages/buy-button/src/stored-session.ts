import type { SessionCreated, SessionStatus } from './wire.js';

/**
 * What the element keeps in `sessionStorage` after the BFF created a session, so the shop's
 * return page (same tab, same origin) can ask the BFF for the verified status.
 */
export interface StoredSession {
  sessionId: string;
  orderRef: string;
  conversionCode: string;
  /** Lets this shopper read or cancel this session only: `Authorization: Bearer <receipt>`. */
  receipt: string;
  /** The BFF base URL the session was created on. */
  endpoint: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** `sessionStorage` keys: one per order, plus the last one created in this tab. */
export const STORAGE_KEY_PREFIX = 'buy-button:session:';
export const STORAGE_KEY_LAST = 'buy-button:last';

/** Storage key of one order: `buy-button:session:<orderRef>`. */
export function storageKey(orderRef: string): string {
  return `${STORAGE_KEY_PREFIX}${orderRef}`;
}

/** Saves a created session; storage that is full or blocked (private modes, sandboxed frames) is skipped. */
export function storeSession(
  endpoint: string,
  session: SessionCreated,
  now: number = Date.now(),
  storage: Storage | undefined = defaultStorage(),
): void {
  // The portal URL is not kept: the return page has no use for it.
  const { redirectUrl: _, ...kept } = session;
  const stored: StoredSession = { ...kept, endpoint, createdAt: now };
  const value = JSON.stringify(stored);
  try {
    storage?.setItem(storageKey(session.orderRef), value);
    storage?.setItem(STORAGE_KEY_LAST, value);
  } catch {
    // The checkout still works; only the return page loses its shortcut.
  }
}

/**
 * For a shop's return page: the session this tab created for `orderRef`, or the last one when no
 * `orderRef` is given. `undefined` when there is none (another tab, storage cleared or blocked).
 *
 * @example
 * const stored = readStoredSession(new URL(location.href).searchParams.get('order') ?? undefined);
 * if (stored) {
 *   const result = await fetchSessionStatus(stored);
 *   if (result.ok) show(result.status.status); // 'paid', 'pending', …
 * }
 */
export function readStoredSession(
  orderRef?: string,
  storage: Storage | undefined = defaultStorage(),
): StoredSession | undefined {
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(orderRef ? storageKey(orderRef) : STORAGE_KEY_LAST);
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return isStoredSession(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export type SessionStatusResult =
  | { ok: true; status: SessionStatus }
  | { ok: false; code: 'network' | 'unauthorized' | 'not-found' | 'unavailable'; status?: number };

/**
 * `GET <endpoint>/sessions/:id` with the receipt: the status the BFF verified upstream, which is
 * what a return page should show (never the query string it was handed).
 */
export async function fetchSessionStatus(
  stored: Pick<StoredSession, 'endpoint' | 'sessionId' | 'receipt'>,
  options: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<SessionStatusResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const url = `${stored.endpoint.replace(/\/+$/, '')}/sessions/${encodeURIComponent(stored.sessionId)}`;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { authorization: `Bearer ${stored.receipt}`, accept: 'application/json' },
      credentials: 'omit',
      signal: options.signal ?? null,
    });
  } catch {
    return { ok: false, code: 'network' };
  }
  const { status } = response;
  if (response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    if (isRecord(body) && typeof body.status === 'string' && typeof body.sessionId === 'string') {
      return { ok: true, status: body as unknown as SessionStatus };
    }
    return { ok: false, code: 'unavailable', status };
  }
  if (status === 401 || status === 403) return { ok: false, code: 'unauthorized', status };
  if (status === 404) return { ok: false, code: 'not-found', status };
  return { ok: false, code: 'unavailable', status };
}

function isStoredSession(value: unknown): value is StoredSession {
  return (
    isRecord(value) &&
    typeof value.sessionId === 'string' &&
    typeof value.orderRef === 'string' &&
    typeof value.receipt === 'string' &&
    typeof value.endpoint === 'string'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function defaultStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    // Reading `sessionStorage` itself throws in some sandboxed frames.
    return undefined;
  }
}
