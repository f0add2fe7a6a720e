import {
  type FieldError,
  NotFoundError,
  OrderNotPendingError,
  OrderRefInUseError,
  SandboxFullError,
  ValidationError,
} from './errors.js';
import { FifoQueue } from './fifo-queue.js';
import type { FixtureButton } from './fixtures.js';
import type { IdGenerator } from './id-generator.js';
import { formatMinorUnits, toMinorUnits } from './money.js';
import { type FinalOrderState, ORDER_STATE, type OrderState } from './order-state.js';

/** A payment order ("conversion"): what the portal pays and the status endpoints report. */
export interface OrderRecord {
  code: string;
  sessionId: string;
  orderRef: string;
  /** Two-decimal string, e.g. "4.50". */
  amount: string;
  currency: string;
  state: OrderState;
  callbackUrl: string | null;
  createdAt: number;
  expiresAt: number;
  updatedAt: number;
}

/** A buy-button session; its `state` is read from its order. */
export interface SessionRecord {
  id: string;
  button: string;
  orderRef: string;
  conversionCode: string;
  price: string;
  currency: string;
  buttonName: string;
  callbackUrl: string | null;
  returnUrl: string | null;
  cancelUrl: string | null;
  paymentUrl: string;
  createdAt: number;
  expiresAt: number;
  /** Set by `DELETE`: the API answers 404 from then on; the portal still shows the order. */
  deletedAt: number | null;
}

/** `data` of the session endpoints: the record as the API shows it, with its order's state. */
export type SessionView = Omit<SessionRecord, 'createdAt' | 'expiresAt' | 'deletedAt'> & {
  state: OrderState;
  createdAt: string;
  expiresAt: string;
};

/** `data` of the order status endpoints and the `/__sandbox/orders` helpers. */
export interface OrderStatusView {
  code: string;
  state: OrderState;
  amount: string;
  currency: string;
  orderRef: string;
  sessionId: string;
}

/** Body of `POST /api/buy-button/sessions` once its shape is validated. */
export interface CreateSessionInput {
  button: string;
  orderRef: string;
  conversionCode?: string | undefined;
  callbackUrl?: string | undefined;
  cancelUrl?: string | undefined;
  returnUrl?: string | undefined;
  price?: string | number | undefined;
  currency?: string | undefined;
  buttonName?: string | undefined;
}

export interface SessionStoreOptions {
  buttons: readonly FixtureButton[];
  ids: IdGenerator;
  now: () => number;
  orderTtlMs: number;
  /**
   * Most orders (each with its session) kept at once. A create over it evicts the order that
   * finished longest ago; pending orders are never evicted (see `createSession`).
   */
  maxOrders: number;
  /** Called once per state change, after it is stored (webhooks hang off this). */
  onStateChange: (order: OrderRecord) => void;
}

export interface SessionStoreCounters {
  sessionsCreated: number;
  sessionsResumed: number;
  sessionsDeleted: number;
  ordersByState: Record<OrderState, number>;
  /** Finished orders (and their sessions) dropped to stay within `maxOrders`. */
  ordersEvicted: number;
}

/** How many entries each index of the store holds: all stay within a small multiple of `maxOrders`. */
export interface SessionStoreSizes {
  orders: number;
  sessions: number;
  orderRefs: number;
  pendingQueue: number;
  finishedQueue: number;
}

/** The pending queue is compacted once it holds this many more entries than twice the pending orders. */
const PENDING_QUEUE_SLACK = 1024;

/**
 * The sandbox's whole state: sessions, their orders and the order lifecycle. Expiry is lazy
 * (applied to an order whenever it is read) and also applied in bulk by `sweep()`, so an expiry
 * webhook fires even if nobody reads the order.
 *
 * Memory is bounded: at most `maxOrders` orders (each with its session and orderRef entry) are
 * kept. Finished orders wait in a queue in the order they finished and are evicted from its head
 * when a create needs room, so a create costs O(1) amortized, never a scan.
 */
export class SessionStore {
  readonly #options: SessionStoreOptions;
  readonly #buttons: Map<string, FixtureButton>;
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #orders = new Map<string, OrderRecord>();
  /** orderRef -> code of its latest order. */
  readonly #latestOrderByRef = new Map<string, string>();
  /**
   * Orders in creation order, queued while pending. Orders that finish stay in it until they reach
   * its head or it is compacted (by `sweep`, or once it is over twice the pending count), so every
   * pending order is in it and its length stays within 2 × pending + slack.
   */
  readonly #pending = new FifoQueue<OrderRecord>();
  /** Every finished order still kept, in the order they finished: the eviction queue. */
  readonly #finished = new FifoQueue<OrderRecord>();
  readonly #byState: Record<OrderState, number> = {
    [ORDER_STATE.pending]: 0,
    [ORDER_STATE.executed]: 0,
    [ORDER_STATE.expired]: 0,
    [ORDER_STATE.canceled]: 0,
    [ORDER_STATE.error]: 0,
  };
  #evicted = 0;
  #created = 0;
  #resumed = 0;
  #deleted = 0;

  constructor(options: SessionStoreOptions) {
    this.#options = options;
    this.#buttons = new Map(options.buttons.map((button) => [button.id, button]));
  }

  /**
   * Creates a session and its pending order, or resumes the one `conversionCode` names. With
   * `maxOrders` kept, a new session first evicts the order that finished longest ago (with its
   * session); when every kept order is pending, it expires the oldest if its time is up, and
   * otherwise refuses with `SandboxFullError` (503): pending orders are never evicted.
   */
  createSession(
    input: CreateSessionInput,
    publicUrl: string,
  ): { session: SessionView; resumed: boolean } {
    if (input.conversionCode !== undefined) {
      return { session: this.#resume(input), resumed: true };
    }
    const button = this.#buttons.get(input.button);
    if (button === undefined) throw new NotFoundError(`Button not found: ${input.button}`);
    const { amount, currency, errors } = priceFor(button, input);
    if (errors.length > 0) throw new ValidationError(errors);

    const latest = this.#latestOrderFor(input.orderRef);
    if (latest?.state === ORDER_STATE.pending) throw new OrderRefInUseError(input.orderRef);
    this.#makeRoom();

    const now = this.#options.now();
    const expiresAt = now + this.#options.orderTtlMs;
    const id = this.#options.ids.objectId();
    const code = this.#options.ids.conversionCode();
    const session: SessionRecord = {
      id,
      button: button.id,
      orderRef: input.orderRef,
      conversionCode: code,
      price: amount,
      currency,
      buttonName: input.buttonName ?? button.name,
      callbackUrl: input.callbackUrl ?? null,
      returnUrl: input.returnUrl ?? null,
      cancelUrl: input.cancelUrl ?? null,
      paymentUrl: `${publicUrl.replace(/\/+$/, '')}/pay?code=${encodeURIComponent(code)}`,
      createdAt: now,
      expiresAt,
      deletedAt: null,
    };
    const order: OrderRecord = {
      code,
      sessionId: id,
      orderRef: input.orderRef,
      amount,
      currency,
      state: ORDER_STATE.pending,
      callbackUrl: session.callbackUrl,
      createdAt: now,
      expiresAt,
      updatedAt: now,
    };
    this.#sessions.set(id, session);
    this.#orders.set(code, order);
    this.#latestOrderByRef.set(input.orderRef, code);
    this.#byState[ORDER_STATE.pending] += 1;
    this.#oldestPending(); // drops finished orders from the head of the queue
    this.#pending.push(order);
    if (this.#pending.length > 2 * this.#byState[ORDER_STATE.pending] + PENDING_QUEUE_SLACK) {
      this.#pending.retain((queued) => queued.state === ORDER_STATE.pending);
    }
    this.#created += 1;
    return { session: this.#view(session, order), resumed: false };
  }

  getSession(id: string): SessionView {
    const session = this.#liveSession(id);
    return this.#view(session, this.#order(session.conversionCode));
  }

  getSessionByCode(code: string): SessionView {
    const order = this.#orders.get(code);
    if (order === undefined) throw new NotFoundError('Session not found');
    const session = this.#liveSession(order.sessionId);
    return this.#view(session, this.#order(code));
  }

  /**
   * Deletes the session; a pending order is canceled first (with its webhook). The order itself
   * stays readable through the status endpoints; the session answers 404 from now on.
   */
  deleteSession(id: string): SessionView {
    const session = this.#liveSession(id);
    const order = this.#order(session.conversionCode);
    if (order.state === ORDER_STATE.pending) this.#transition(order, ORDER_STATE.canceled);
    session.deletedAt = this.#options.now();
    this.#deleted += 1;
    return this.#view(session, order);
  }

  getOrder(code: string): OrderStatusView {
    return statusView(this.#order(code));
  }

  getOrderByRef(orderRef: string): OrderStatusView {
    const order = this.#latestOrderFor(orderRef);
    if (order === undefined) throw new NotFoundError('Order not found');
    return statusView(order);
  }

  /** The session behind a code, for the portal, even once deleted from the API's view. */
  findForPortal(code: string): { order: OrderRecord; session: SessionRecord } | undefined {
    const order = this.#orders.get(code);
    const session = order === undefined ? undefined : this.#sessions.get(order.sessionId);
    if (order === undefined || session === undefined) return undefined;
    this.#expireIfDue(order);
    return { order, session };
  }

  /** Moves a pending order to a final state; 409 if it is no longer pending. */
  settle(code: string, to: FinalOrderState): OrderStatusView {
    const order = this.#order(code);
    if (order.state !== ORDER_STATE.pending) throw new OrderNotPendingError(code, order.state);
    this.#transition(order, to);
    return statusView(order);
  }

  /** Expires every pending order whose time is up; returns how many it expired. */
  sweep(): number {
    let expired = 0;
    for (const order of this.#pending) if (this.#expireIfDue(order)) expired += 1;
    this.#pending.retain((order) => order.state === ORDER_STATE.pending);
    return expired;
  }

  counters(): SessionStoreCounters {
    return {
      sessionsCreated: this.#created,
      sessionsResumed: this.#resumed,
      sessionsDeleted: this.#deleted,
      ordersByState: { ...this.#byState },
      ordersEvicted: this.#evicted,
    };
  }

  /** Orders kept now (each with its session); never more than `maxOrders`. */
  get size(): number {
    return this.#orders.size;
  }

  /** Entries in each index, for tests and diagnostics. */
  sizes(): SessionStoreSizes {
    return {
      orders: this.#orders.size,
      sessions: this.#sessions.size,
      orderRefs: this.#latestOrderByRef.size,
      pendingQueue: this.#pending.length,
      finishedQueue: this.#finished.length,
    };
  }

  /** Makes room for one more order, or throws `SandboxFullError`; see `createSession`. */
  #makeRoom(): void {
    while (this.#orders.size >= this.#options.maxOrders) {
      const finished = this.#finished.shift();
      if (finished !== undefined) {
        this.#evict(finished);
        continue;
      }
      // Every kept order is pending: the oldest may be past its time without a sweep yet.
      const oldest = this.#oldestPending();
      if (oldest === undefined || !this.#expireIfDue(oldest)) {
        const waitMs = oldest === undefined ? 0 : oldest.expiresAt - this.#options.now();
        throw new SandboxFullError(this.#options.maxOrders, Math.max(1, Math.ceil(waitMs / 1000)));
      }
    }
  }

  /** The oldest pending order, dropping finished ones from the head of the pending queue. */
  #oldestPending(): OrderRecord | undefined {
    let head = this.#pending.peek();
    while (head !== undefined && head.state !== ORDER_STATE.pending) {
      this.#pending.shift();
      head = this.#pending.peek();
    }
    return head;
  }

  /** Forgets a finished order and everything indexed for it: it then reads as unknown (404). */
  #evict(order: OrderRecord): void {
    this.#orders.delete(order.code);
    this.#sessions.delete(order.sessionId);
    if (this.#latestOrderByRef.get(order.orderRef) === order.code) {
      this.#latestOrderByRef.delete(order.orderRef);
    }
    this.#byState[order.state] -= 1;
    this.#evicted += 1;
  }

  #resume(input: CreateSessionInput): SessionView {
    const code = input.conversionCode ?? '';
    const order = this.#orders.get(code);
    if (order === undefined) throw new NotFoundError(`Conversion code not found: ${code}`);
    const session = this.#liveSession(order.sessionId);
    if (session.button !== input.button || session.orderRef !== input.orderRef) {
      throw ValidationError.field(
        'conversionCode',
        'belongs to a session of another button or orderRef',
      );
    }
    this.#expireIfDue(order);
    this.#resumed += 1;
    return this.#view(session, order);
  }

  #liveSession(id: string): SessionRecord {
    const session = this.#sessions.get(id);
    if (session === undefined || session.deletedAt !== null) {
      throw new NotFoundError('Session not found');
    }
    return session;
  }

  #order(code: string): OrderRecord {
    const order = this.#orders.get(code);
    if (order === undefined) throw new NotFoundError('Order not found');
    this.#expireIfDue(order);
    return order;
  }

  #latestOrderFor(orderRef: string): OrderRecord | undefined {
    const code = this.#latestOrderByRef.get(orderRef);
    return code === undefined ? undefined : this.#order(code);
  }

  #expireIfDue(order: OrderRecord): boolean {
    if (order.state !== ORDER_STATE.pending || this.#options.now() < order.expiresAt) return false;
    this.#transition(order, ORDER_STATE.expired);
    return true;
  }

  #transition(order: OrderRecord, to: FinalOrderState): void {
    this.#byState[order.state] -= 1;
    this.#byState[to] += 1;
    order.state = to;
    order.updatedAt = this.#options.now();
    this.#finished.push(order);
    this.#options.onStateChange(order);
  }

  #view(session: SessionRecord, order: OrderRecord): SessionView {
    return {
      id: session.id,
      button: session.button,
      orderRef: session.orderRef,
      conversionCode: session.conversionCode,
      price: session.price,
      currency: session.currency,
      buttonName: session.buttonName,
      callbackUrl: session.callbackUrl,
      returnUrl: session.returnUrl,
      cancelUrl: session.cancelUrl,
      paymentUrl: session.paymentUrl,
      state: order.state,
      createdAt: new Date(session.createdAt).toISOString(),
      expiresAt: new Date(session.expiresAt).toISOString(),
    };
  }
}

function statusView(order: OrderRecord): OrderStatusView {
  return {
    code: order.code,
    state: order.state,
    amount: order.amount,
    currency: order.currency,
    orderRef: order.orderRef,
    sessionId: order.sessionId,
  };
}

/** Units of a fixed-price button one session may charge for (`price` = unit price × units). */
const MAX_UNITS = 100;

/**
 * The amount a session charges. A fixed-price button takes its own price, or a whole number of
 * units of it up to `MAX_UNITS` (a shop selling several of the article in one checkout, its
 * `buttonName` saying how many); any other price is a 400, never silently replaced. An open-price
 * button requires a price inside its range.
 */
function priceFor(
  button: FixtureButton,
  input: CreateSessionInput,
): { amount: string; currency: string; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (input.currency !== undefined && input.currency.toUpperCase() !== button.currency) {
    errors.push({ field: 'currency', message: `must be ${button.currency} for this button` });
  }
  const requested = input.price === undefined ? undefined : toMinorUnits(input.price);
  if (input.price !== undefined && requested === undefined) {
    errors.push({
      field: 'price',
      message: 'must be a non-negative amount with at most 2 decimals',
    });
  }
  if ('price' in button) {
    const fixed = toMinorUnits(button.price) ?? 0;
    const units = requested === undefined ? 1 : requested / fixed;
    if (requested !== undefined && !(Number.isInteger(units) && units >= 1 && units <= MAX_UNITS)) {
      errors.push({
        field: 'price',
        message: `must be ${button.price} (or a whole number of units of it, up to ${MAX_UNITS}) for this fixed-price button`,
      });
    }
    return { amount: formatMinorUnits(fixed * units), currency: button.currency, errors };
  }
  if (input.price === undefined) {
    errors.push({ field: 'price', message: 'is required for an open-price button' });
  } else if (requested !== undefined) {
    const min = toMinorUnits(button.min) ?? 0;
    const max = toMinorUnits(button.max) ?? 0;
    if (requested < min || requested > max) {
      errors.push({ field: 'price', message: `must be between ${button.min} and ${button.max}` });
    }
  }
  return { amount: formatMinorUnits(requested ?? 0), currency: button.currency, errors };
}
