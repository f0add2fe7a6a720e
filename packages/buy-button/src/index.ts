/**
 * `@buy-button/element`: the `<buy-button>` class and its types, with no side effects. Import
 * `@buy-button/element/define` (or load the script-tag bundle) to register the tag.
 */
export {
  BuyButtonElement,
  type BuyButtonElementEventMap,
  DEFAULT_TIMEOUT_MS,
} from './buy-button-element.js';
export { CheckoutErrorCode, CheckoutStatus } from './checkout-status.js';
export {
  type BuyButtonClickDetail,
  BuyButtonClickEvent,
  type BuyButtonErrorDetail,
  BuyButtonErrorEvent,
  type BuyButtonEventMap,
  type BuyButtonSessionDetail,
  BuyButtonSessionEvent,
} from './events.js';
export { MESSAGES, type MessageId, type Messages } from './messages.js';
// The return-page helpers, also published alone as `@buy-button/element/return-page`.
export * from './return-page.js';
export type {
  CreateSessionRequest,
  PaymentStatus,
  Problem,
  SessionCreated,
  SessionStatus,
} from './wire.js';
export { URL_PLACEHOLDERS } from './wire.js';
