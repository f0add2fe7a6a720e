import { describe, expect, it } from 'vitest';
import { NotFoundError, SandboxFullError } from './errors.js';
import { FIXTURE_BUTTONS } from './fixtures.js';
import { createIdGenerator } from './id-generator.js';
import { ORDER_STATE } from './order-state.js';
import { type OrderRecord, SessionStore } from './session-store.js';
import { START } from './test/harness.js';

const TTL_MS = 300_000;

/** A store on a frozen clock, with the state changes it reports recorded. */
function createStore(maxOrders: number) {
  let clock = START;
  const changes: OrderRecord[] = [];
  const store = new SessionStore({
    buttons: FIXTURE_BUTTONS,
    ids: createIdGenerator(
      () => clock,
      () => 0.5,
    ),
    now: () => clock,
    orderTtlMs: TTL_MS,
    maxOrders,
    onStateChange: (order) => changes.push({ ...order }),
  });
  let refs = 0;
  const create = (orderRef?: string) => {
    refs += 1;
    return store.createSession(
      { button: 'btn_coffee', orderRef: orderRef ?? `order-${String(refs).padStart(6, '0')}` },
      'https://sandbox.example',
    ).session;
  };
  return {
    store,
    changes,
    create,
    advance(ms: number) {
      clock += ms;
    },
  };
}

const kept = (store: SessionStore, code: string): boolean => {
  try {
    store.getOrder(code);
    return true;
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
};

describe('SessionStore maxOrders', () => {
  it('evicts finished orders, those finished longest ago first, and never a pending one', () => {
    const { store, create } = createStore(4);
    const a = create();
    const b = create();
    const c = create();
    const d = create();
    // b is pending throughout; d finishes first, then a, then c.
    store.settle(d.conversionCode, ORDER_STATE.executed);
    store.settle(a.conversionCode, ORDER_STATE.canceled);
    store.settle(c.conversionCode, ORDER_STATE.error);

    const e = create();
    expect(kept(store, d.conversionCode)).toBe(false);
    expect([a, b, c, e].every((s) => kept(store, s.conversionCode))).toBe(true);

    const f = create();
    expect(kept(store, a.conversionCode)).toBe(false);
    expect([b, c, e, f].every((s) => kept(store, s.conversionCode))).toBe(true);

    const g = create();
    expect(kept(store, c.conversionCode)).toBe(false);
    expect(store.getOrder(b.conversionCode).state).toBe(ORDER_STATE.pending);
    expect(store.size).toBe(4);
    expect(store.counters()).toMatchObject({
      sessionsCreated: 7,
      ordersEvicted: 3,
      ordersByState: { [ORDER_STATE.pending]: 4 },
    });
    expect(kept(store, g.conversionCode)).toBe(true);
  });

  it('forgets everything indexed for an evicted order: id, conversion code and orderRef', () => {
    const { store, create } = createStore(1);
    const first = create('order-first');
    store.settle(first.conversionCode, ORDER_STATE.executed);
    create('order-second');
    expect(() => store.getSession(first.id)).toThrow('Session not found');
    expect(() => store.getSessionByCode(first.conversionCode)).toThrow('Session not found');
    expect(() => store.getOrder(first.conversionCode)).toThrow('Order not found');
    expect(() => store.getOrderByRef('order-first')).toThrow('Order not found');
    expect(store.findForPortal(first.conversionCode)).toBeUndefined();
    expect(store.sizes()).toEqual({
      orders: 1,
      sessions: 1,
      orderRefs: 1,
      pendingQueue: 1,
      finishedQueue: 0,
    });
  });

  it('keeps the orderRef pointing at its latest order when an older one is evicted', () => {
    const { store, create } = createStore(2);
    const older = create('order-again');
    store.settle(older.conversionCode, ORDER_STATE.expired);
    const latest = create('order-again');
    store.settle(latest.conversionCode, ORDER_STATE.executed);
    create();
    expect(kept(store, older.conversionCode)).toBe(false);
    expect(store.getOrderByRef('order-again')).toMatchObject({
      code: latest.conversionCode,
      state: ORDER_STATE.executed,
    });
  });

  it('refuses a create with SandboxFullError while every kept order is pending', () => {
    const { store, create, advance } = createStore(2);
    const oldest = create();
    advance(100_000);
    create();
    advance(50_500);
    let caught: unknown;
    try {
      create();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SandboxFullError);
    // The oldest expires 149.5 s from now.
    expect(caught).toMatchObject({ status: 503, code: 'ERR_SANDBOX_FULL', retryAfterSeconds: 150 });
    expect(store.size).toBe(2);
    expect(store.counters()).toMatchObject({ sessionsCreated: 2, ordersEvicted: 0 });
    expect(store.getOrder(oldest.conversionCode).state).toBe(ORDER_STATE.pending);
  });

  it('once the oldest pending order is past its time, expires it (webhook included) and evicts it, with no sweep', () => {
    const { store, changes, create, advance } = createStore(2);
    const oldest = create();
    advance(1000);
    const younger = create();
    advance(TTL_MS - 1000);
    create();
    expect(changes.map((order) => [order.code, order.state])).toEqual([
      [oldest.conversionCode, ORDER_STATE.expired],
    ]);
    expect(kept(store, oldest.conversionCode)).toBe(false);
    expect(store.getOrder(younger.conversionCode).state).toBe(ORDER_STATE.pending);
    expect(store.counters().ordersEvicted).toBe(1);
  });

  it('stays within maxOrders over 20000 creates, each settled', () => {
    const maxOrders = 1000;
    const { store, create, advance } = createStore(maxOrders);
    const finalStates = [
      ORDER_STATE.executed,
      ORDER_STATE.canceled,
      ORDER_STATE.expired,
      ORDER_STATE.error,
    ] as const;
    let largest = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const session = create();
      advance(10);
      store.settle(session.conversionCode, finalStates[i % finalStates.length] ?? 'state:error');
      largest = Math.max(largest, store.size);
    }
    expect(largest).toBe(maxOrders);
    const sizes = store.sizes();
    expect(sizes.orders).toBe(maxOrders);
    expect(sizes.sessions).toBe(maxOrders);
    expect(sizes.orderRefs).toBe(maxOrders);
    expect(sizes.finishedQueue).toBe(maxOrders);
    expect(sizes.pendingQueue).toBeLessThanOrEqual(2 * maxOrders);
    expect(store.counters()).toMatchObject({ sessionsCreated: 20_000, ordersEvicted: 19_000 });
  });

  it('stays within maxOrders when orders are left to expire, swept or not', () => {
    const maxOrders = 500;
    const { store, create, advance } = createStore(maxOrders);
    for (let i = 0; i < 5000; i += 1) {
      create();
      advance(TTL_MS / 400);
      if (i % 1000 === 999) store.sweep();
      expect(store.size).toBeLessThanOrEqual(maxOrders);
    }
    const sizes = store.sizes();
    expect(sizes.sessions).toBeLessThanOrEqual(maxOrders);
    expect(sizes.orderRefs).toBeLessThanOrEqual(maxOrders);
    expect(sizes.pendingQueue).toBeLessThanOrEqual(2 * maxOrders + 1024);
    expect(store.counters().ordersEvicted).toBe(5000 - store.size);
  });

  it('keeps the pending queue bounded when a long-pending order heads it and the rest finish', () => {
    const { store, create } = createStore(100_000);
    create();
    for (let i = 0; i < 10_000; i += 1) {
      store.settle(create().conversionCode, ORDER_STATE.executed);
      expect(store.sizes().pendingQueue).toBeLessThanOrEqual(2 * 2 + 1024 + 1);
    }
  });

  it('sweep still expires every pending order past its time, and only those', () => {
    const { store, create, advance } = createStore(10);
    const paid = create();
    const due = create();
    advance(1000);
    const later = create();
    store.settle(paid.conversionCode, ORDER_STATE.executed);
    advance(TTL_MS - 1000);
    expect(store.sweep()).toBe(1);
    expect(store.getOrder(due.conversionCode).state).toBe(ORDER_STATE.expired);
    expect(store.getOrder(later.conversionCode).state).toBe(ORDER_STATE.pending);
    expect(store.sizes().pendingQueue).toBe(1);
    advance(1000);
    expect(store.sweep()).toBe(1);
    expect(store.counters().ordersByState).toEqual({
      [ORDER_STATE.pending]: 0,
      [ORDER_STATE.executed]: 1,
      [ORDER_STATE.expired]: 2,
      [ORDER_STATE.canceled]: 0,
      [ORDER_STATE.error]: 0,
    });
  });
});
