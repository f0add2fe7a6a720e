import { Hono } from 'hono';
import { OrderNotPendingError } from './errors.js';
import { ORDER_STATE } from './order-state.js';
import {
  missingCodePage,
  notFoundPage,
  PORTAL_STYLESHEET,
  paymentPage,
  refusalPage,
} from './portal-page.js';
import type { SessionStore } from './session-store.js';

const ACTION = {
  pay: { to: ORDER_STATE.executed, redirect: 'returnUrl' },
  cancel: { to: ORDER_STATE.canceled, redirect: 'cancelUrl' },
} as const;

type PortalAction = keyof typeof ACTION;

const isPortalAction = (value: string): value is PortalAction => Object.hasOwn(ACTION, value);

/**
 * The hosted payment portal, mounted at `/pay`. Server-rendered and JavaScript-free: each action is
 * a form post answered with a 303, so the browser's back button never re-submits a payment.
 */
export function portalRoutes({ store }: { store: SessionStore }) {
  return new Hono()
    .get('/portal.css', (c) => {
      c.header('content-type', 'text/css; charset=utf-8');
      c.header('cache-control', 'public, max-age=3600');
      return c.body(PORTAL_STYLESHEET);
    })
    .get('/', (c) => {
      const code = c.req.query('code');
      if (code === undefined || code === '') return c.html(missingCodePage(), 400);
      const found = store.findForPortal(code);
      if (found === undefined) return c.html(notFoundPage(code), 404);
      return c.html(paymentPage(found.order, found.session));
    })
    .post('/:code/:action', (c) => {
      const { code, action } = c.req.param();
      const found = store.findForPortal(code);
      if (found === undefined || !isPortalAction(action)) return c.html(notFoundPage(code), 404);
      const { to, redirect } = ACTION[action];
      try {
        store.settle(code, to);
      } catch (err) {
        if (err instanceof OrderNotPendingError) {
          return c.html(refusalPage(found.order, found.session, action), 409);
        }
        throw err;
      }
      const target = found.session[redirect] ?? `/pay?code=${encodeURIComponent(code)}`;
      return c.redirect(target, 303);
    });
}
