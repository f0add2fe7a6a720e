import type { CheckoutErrorCode } from './checkout-status.js';
import type { CreateSessionRequest, Problem, SessionCreated } from './wire.js';

/** `buy-button-click`: the request the element is about to send. */
export type BuyButtonClickDetail = CreateSessionRequest;

/** `buy-button-session`: the BFF's `201` answer. */
export type BuyButtonSessionDetail = SessionCreated;

/** `buy-button-error`: a stable code, the localized message shown to the shopper, the HTTP status if any. */
export interface BuyButtonErrorDetail {
  /** What went wrong, as a stable string (see `CheckoutErrorCode`). */
  code: CheckoutErrorCode;
  /** The localized message the element shows the shopper. */
  message: string;
  /** The HTTP status of the BFF's answer, when there was one. */
  status?: number;
  /** The BFF's problem details (`type`, `title`, `detail`…), for logs; never shown to the shopper. */
  problem?: Problem;
  /** Seconds to wait before trying again, when the answer had `Retry-After` (429, 409, 503). */
  retryAfter?: number;
}

// The events are CustomEvent subclasses so `event.detail` works in every framework, and typed
// classes so pages can test `instanceof` and get the detail's type. All bubble out of the shadow
// root (`composed`) so a listener on `document` hears every button of the page.

/** The shared shape of the element's events: bubbling, composed, with a typed `detail`. */
class BuyButtonEvent<T> extends CustomEvent<T> {
  constructor(type: string, detail: T, cancelable: boolean) {
    super(type, { detail, bubbles: true, composed: true, cancelable });
  }
}

/**
 * Fired when a checkout attempt starts (click, keyboard or `checkout()`). Cancel it to veto the
 * attempt: nothing is sent. Handlers may still change the element's properties (e.g. `price`);
 * the request is read again after the event.
 */
export class BuyButtonClickEvent extends BuyButtonEvent<BuyButtonClickDetail> {
  static readonly eventName = 'buy-button-click';
  constructor(detail: BuyButtonClickDetail) {
    super(BuyButtonClickEvent.eventName, detail, true);
  }
}

/**
 * Fired when the BFF created the checkout session. Cancel it to handle the redirect yourself
 * (e.g. open `detail.redirectUrl` elsewhere); otherwise the element navigates to it.
 */
export class BuyButtonSessionEvent extends BuyButtonEvent<BuyButtonSessionDetail> {
  static readonly eventName = 'buy-button-session';
  constructor(detail: BuyButtonSessionDetail) {
    super(BuyButtonSessionEvent.eventName, detail, true);
  }
}

/** Fired when an attempt failed; the message is already shown and the button works again. */
export class BuyButtonErrorEvent extends BuyButtonEvent<BuyButtonErrorDetail> {
  static readonly eventName = 'buy-button-error';
  constructor(detail: BuyButtonErrorDetail) {
    super(BuyButtonErrorEvent.eventName, detail, false);
  }
}

/** Event name → event class, for `addEventListener` typings. */
export interface BuyButtonEventMap {
  'buy-button-click': BuyButtonClickEvent;
  'buy-button-session': BuyButtonSessionEvent;
  'buy-button-error': BuyButtonErrorEvent;
}
