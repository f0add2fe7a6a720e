import type { CreateSessionRequest, SessionCreated, SessionStatus } from '@buy-button/element/wire';
import type { ButtonCatalog } from '../config/button-catalog.js';
import { ProblemError } from '../problems/problem-error.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { UPSTREAM_ERROR_CODE, UpstreamError } from '../upstream/upstream-error.js';
import type { UpstreamCreateSession, UpstreamOrder } from '../upstream/upstream-schemas.js';
import { resolveCheckoutPrice } from './checkout-price.js';
import type { OrderNote, OrderNotes } from './order-notes.js';
import { paymentStatusOf } from './payment-status.js';
import { ReceiptError, type ReceiptSigner } from './receipt-signer.js';
import { fillRedirectUrl, type RedirectField, type RedirectPolicy } from './redirect-policy.js';

export interface CheckoutServiceOptions {
  catalog: ButtonCatalog;
  upstream: UpstreamClient;
  receipts: ReceiptSigner;
  /** Quantity and reference, kept beside the upstream order. */
  notes: OrderNotes;
  redirects: RedirectPolicy;
  nextOrderRef: () => string;
  isOrderRef: (value: string) => boolean;
  /** `PORTAL_URL`. */
  portalUrl: string;
  /** `PUBLIC_URL/webhooks/payment`. */
  callbackUrl: string;
  defaultReturnUrl: string | undefined;
  defaultCancelUrl: string | undefined;
  /**
   * Told of every session created, before the answer: the order is remembered for
   * reconciliation. Must not reject (failures are the caller's to log).
   */
  onCreated?: (orderRef: string, expiresAt: number | undefined) => Promise<void>;
  /** Told of every order read for a status or a cancel (final ones become events). Must not reject. */
  onOrderRead?: (order: UpstreamOrder, via: 'status' | 'cancel') => Promise<void>;
}

/**
 * The checkout domain: creating a session from a catalog button, and reading or canceling it on
 * the strength of a receipt. HTTP-free, so the routes stay thin.
 */
export class CheckoutService {
  readonly #o: CheckoutServiceOptions;

  constructor(options: CheckoutServiceOptions) {
    this.#o = options;
  }

  /**
   * Checks the request against the catalog and the redirect policy, then creates the upstream
   * session. `requestOrigin` is the verified origin of the page (relative URLs resolve to it).
   */
  async createCheckoutSession(
    request: CreateSessionRequest,
    requestOrigin: string | undefined,
  ): Promise<SessionCreated> {
    const o = this.#o;
    const button = o.catalog.get(request.button);
    if (button === undefined) {
      throw new ProblemError('unknownButton', {
        errors: [{ field: 'button', message: "is not in this shop's catalog" }],
      });
    }
    const { amount, currency, quantity } = resolveCheckoutPrice(button, request);
    const { reference } = request;
    const returnTemplate = this.#template('returnUrl', request.returnUrl, requestOrigin);
    const cancelTemplate = this.#template('cancelUrl', request.cancelUrl, requestOrigin);

    const orderRef = o.nextOrderRef();
    // The receipt exists before the session so it can travel in the return URL sent with the create.
    const receipt = await o.receipts.sign(orderRef);
    const create: UpstreamCreateSession = {
      button: button.id,
      orderRef,
      price: amount,
      currency,
      buttonName: quantity === 1 ? button.name : `${quantity} × ${button.name}`,
      callbackUrl: o.callbackUrl,
    };
    const values = { orderRef, receipt, reference };
    if (returnTemplate !== undefined) {
      create.returnUrl = fillRedirectUrl('returnUrl', returnTemplate, values);
    }
    if (cancelTemplate !== undefined) {
      create.cancelUrl = fillRedirectUrl('cancelUrl', cancelTemplate, values);
    }
    // Kept before the session exists: any instance may answer for it from then on.
    await o.notes.save(orderRef, reference === undefined ? { quantity } : { quantity, reference });

    const session = await o.upstream.createSession(create).catch(rethrowAsProblem);
    if (session.orderRef !== orderRef) {
      rethrowAsProblem(
        new UpstreamError(UPSTREAM_ERROR_CODE.invalidResponse, 'POST /buy-button/sessions', {
          upstreamMessage: 'the session returned is for another orderRef',
        }),
      );
    }
    await o.onCreated?.(orderRef, session.expiresAt);
    const redirect = new URL(o.portalUrl);
    redirect.searchParams.set('code', session.conversionCode);
    return {
      sessionId: session.id,
      orderRef,
      conversionCode: session.conversionCode,
      redirectUrl: redirect.href,
      receipt,
    };
  }

  /** The orderRef a receipt grants; 401 problems for a forged or expired one. */
  async authorize(receipt: string | undefined): Promise<string> {
    if (receipt === undefined) {
      throw new ProblemError('receiptRequired', {
        detail: 'Send the receipt of this session as "Authorization: Bearer <receipt>".',
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    try {
      return (await this.#o.receipts.verify(receipt)).orderRef;
    } catch (err) {
      if (!(err instanceof ReceiptError)) throw err;
      throw new ProblemError('invalidReceipt', {
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        cause: err,
      });
    }
  }

  /** Status of the session `id` (session id or orderRef) for the holder of `orderRef`'s receipt. */
  async readStatus(id: string, orderRef: string): Promise<SessionStatus> {
    const [order, note] = await Promise.all([
      this.#ownedOrder(id, orderRef),
      this.#o.notes.read(orderRef),
    ]);
    await this.#o.onOrderRead?.(order, 'status');
    return this.#statusOf(order, note);
  }

  /** Cancels the session (its pending order); already final sessions just report their status. */
  async cancel(id: string, orderRef: string): Promise<SessionStatus> {
    const order = await this.#ownedOrder(id, orderRef);
    try {
      const session = await this.#o.upstream.deleteSession(order.sessionId ?? id);
      return await this.#canceled({ ...order, state: session.state ?? order.state });
    } catch (err) {
      // Already deleted: a repeated DELETE reports the outcome instead of failing.
      if (err instanceof UpstreamError && err.status === 404) {
        return this.#canceled(
          await this.#o.upstream.getOrderByRef(orderRef).catch(rethrowAsProblem),
        );
      }
      rethrowAsProblem(err);
    }
  }

  /**
   * The upstream order behind `id`, after checking it belongs to `orderRef`. An orderRef is
   * compared before any upstream call; a session id is read first, then compared.
   */
  async #ownedOrder(id: string, orderRef: string): Promise<UpstreamOrder> {
    const o = this.#o;
    if (o.isOrderRef(id) || id === orderRef) {
      if (id !== orderRef) throw new ProblemError('receiptMismatch');
      return this.#orderByRef(orderRef);
    }
    try {
      const session = await o.upstream.getSession(id);
      if (session.orderRef !== orderRef) throw new ProblemError('receiptMismatch');
      return {
        code: session.conversionCode,
        state: session.state ?? 'state:pending',
        amount: session.price ?? '',
        currency: session.currency ?? '',
        orderRef: session.orderRef,
        sessionId: session.id,
      };
    } catch (err) {
      if (!(err instanceof UpstreamError && err.status === 404)) rethrowAsProblem(err);
      // A canceled session is gone from the sessions API; its order still answers.
      const order = await this.#orderByRef(orderRef);
      if (order.sessionId !== id) throw new ProblemError('sessionNotFound');
      return order;
    }
  }

  async #canceled(order: UpstreamOrder): Promise<SessionStatus> {
    await this.#o.onOrderRead?.(order, 'cancel');
    return this.#statusOf(order, await this.#o.notes.read(order.orderRef));
  }

  #statusOf(order: UpstreamOrder, note: OrderNote): SessionStatus {
    return {
      sessionId: order.sessionId ?? '',
      orderRef: order.orderRef,
      status: paymentStatusOf(order.state),
      amount: order.amount,
      currency: order.currency,
      ...note,
    };
  }

  /** The redirect URL template for `field`: the request's, else the configured default. */
  #template(
    field: RedirectField,
    raw: string | undefined,
    requestOrigin: string | undefined,
  ): string | undefined {
    if (raw === undefined || raw.trim() === '') {
      return field === 'returnUrl' ? this.#o.defaultReturnUrl : this.#o.defaultCancelUrl;
    }
    return this.#o.redirects.resolve(field, raw, requestOrigin);
  }

  /** The order of `orderRef`; the upstream's 404 is `sessionNotFound`. */
  #orderByRef(orderRef: string): Promise<UpstreamOrder> {
    return this.#o.upstream.getOrderByRef(orderRef).catch((err: unknown) => {
      if (err instanceof UpstreamError && err.status === 404) {
        throw new ProblemError('sessionNotFound', { cause: err });
      }
      return rethrowAsProblem(err);
    });
  }
}

/** Throws an upstream failure as the problem the client is told, anything else as it is. */
function rethrowAsProblem(err: unknown): never {
  throw err instanceof UpstreamError ? new ProblemError(err.problemKind, { cause: err }) : err;
}
