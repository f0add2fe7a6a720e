import { describe, expect, it } from 'vitest';
import { fakeBff, mount, nextEvent } from '../test/fixtures.js';
import type { BuyButtonSessionEvent } from './events.js';
import {
  fetchSessionStatus,
  readStoredSession,
  STORAGE_KEY_LAST,
  storageKey,
  storeSession,
} from './stored-session.js';

const session = {
  sessionId: 'ses_1',
  orderRef: 'ord_1',
  conversionCode: 'code_1',
  redirectUrl: 'https://portal.test/pay?code=code_1',
  receipt: 'rcpt_1',
};

describe('stored sessions (for the return page)', () => {
  it('are kept per order and as the last one, without the redirect URL', () => {
    storeSession('https://bff.test', session, 1_000);
    const expected = {
      sessionId: 'ses_1',
      orderRef: 'ord_1',
      conversionCode: 'code_1',
      receipt: 'rcpt_1',
      endpoint: 'https://bff.test',
      createdAt: 1_000,
    };
    expect(readStoredSession('ord_1')).toEqual(expected);
    expect(readStoredSession()).toEqual(expected);
    expect(JSON.parse(sessionStorage.getItem(storageKey('ord_1')) ?? '')).toEqual(expected);
    expect(storageKey('ord_1')).toBe('buy-button:session:ord_1');
    expect(STORAGE_KEY_LAST).toBe('buy-button:last');
  });

  it.each([
    ['nothing stored', undefined],
    ['not JSON', '{oops'],
    ['not a session', '{"orderRef":"ord_1"}'],
  ])('reads %s as no session', (_, raw) => {
    if (raw !== undefined) sessionStorage.setItem(storageKey('ord_1'), raw);
    expect(readStoredSession('ord_1')).toBeUndefined();
  });

  it('survive a storage that refuses to work', () => {
    const broken = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    } as unknown as Storage;
    expect(() => storeSession('https://bff.test', session, 0, broken)).not.toThrow();
    expect(readStoredSession('ord_1', broken)).toBeUndefined();
  });

  it('let a return page read the verified status with the receipt', async () => {
    const bff = fakeBff('ok');
    const { element } = await mount(
      `<buy-button button="btn_coffee" endpoint="${bff.endpoint}"></buy-button>`,
    );
    element.addEventListener('buy-button-session', (event) => event.preventDefault());
    const created = nextEvent<BuyButtonSessionEvent>(element, 'buy-button-session');
    await element.checkout();
    const { orderRef } = (await created).detail;

    const stored = readStoredSession(orderRef);
    if (!stored) throw new Error('nothing stored');
    expect(await fetchSessionStatus(stored)).toEqual({
      ok: true,
      status: expect.objectContaining({ orderRef, status: 'pending' }),
    });
    expect(await fetchSessionStatus({ ...stored, receipt: 'forged' })).toEqual({
      ok: false,
      code: 'unauthorized',
      status: 401,
    });
    expect(await fetchSessionStatus({ ...stored, endpoint: 'http://127.0.0.1:9' })).toEqual({
      ok: false,
      code: 'network',
    });
  });
});
