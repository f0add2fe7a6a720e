/**
 * `@buy-button/element/return-page`: what a shop's return page needs, without Lit or the element.
 * Side-effect-free.
 */
export {
  fetchSessionStatus,
  readStoredSession,
  type SessionStatusResult,
  STORAGE_KEY_LAST,
  STORAGE_KEY_PREFIX,
  type StoredSession,
  storageKey,
} from './stored-session.js';
export type { PaymentStatus, SessionStatus } from './wire.js';
