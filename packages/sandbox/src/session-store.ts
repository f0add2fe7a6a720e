import {
  type FieldError,
  NotFoundError,
  OrderNotPendingError,
  OrderRefInUseError,
  ValidationError,
} from './errors.js';
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
  /** Called once per state change, after it is stored (webhooks hang off this). */
  onStateChange: (order: OrderRecord) => void;
}

export interface SessionStoreCounters {
  sessionsCreated: number;
  sessionsResumed: number;
  sessionsDeleted: number;
  ordersByState: Record<OrderState, number>;
}

/**
 * The sandbox's whole state: sessions, their orders and the order lifecycle. Expiry is lazy
 * (applied to an order whenever it is read) and also applied in bulk by `sweep()`, so an expiry
 * webhook fires even if nobody reads the order.
 */
export class SessionStore {
  readonly #options: SessionStoreOptions;
  readonly #buttons: Map<string, FixtureButton>;
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #orders = new Map<string, OrderRecord>();
  /** orderRef -> code of its latest order. */
  readonly #latestOrderByRef = new Map<string, string>();
  #created = 0;
  #resumed = 0;
  #deleted = 0;

  constructor(options: SessionStoreOptions) {
    this.#options = options;
    this.#buttons = new Map(options.buttons.map((button) => [button.id, button]));
  }

  /** Creates a session and its pending order, or resumes the one `conversionCode` names. */
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
    for (const order of this.#orders.values()) if (this.#expireIfDue(order)) expired += 1;
    return expired;
  }

  counters(): SessionStoreCounters {
    const ordersByState: Record<OrderState, number> = {
      [ORDER_STATE.pending]: 0,
      [ORDER_STATE.executed]: 0,
      [ORDER_STATE.expired]: 0,
      [ORDER_STATE.canceled]: 0,
      [ORDER_STATE.error]: 0,
    };
    for (const order of this.#orders.values()) ordersByState[order.state] += 1;
    return {
      sessionsCreated: this.#created,
      sessionsResumed: this.#resumed,
      sessionsDeleted: this.#deleted,
      ordersByState,
    };
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
    order.state = to;
    order.updatedAt = this.#options.now();
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

/**
 * The amount a session charges. A fixed-price button takes its own price (a different one is a
 * 400, never silently replaced); an open-price button requires a price inside its range.
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
    if (requested !== undefined && requested !== fixed) {
      errors.push({
        field: 'price',
        message: `must be ${button.price} for this fixed-price button`,
      });
    }
    return { amount: formatMinorUnits(fixed), currency: button.currency, errors };
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
