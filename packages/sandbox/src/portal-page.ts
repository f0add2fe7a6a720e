import { html } from 'hono/html';
import { ORDER_STATE, type OrderState } from './order-state.js';
import type { OrderRecord, SessionRecord } from './session-store.js';

type Markup = ReturnType<typeof html>;

/** The shopper-facing words for each order state. */
const STATE_LABEL = {
  [ORDER_STATE.pending]: 'Awaiting payment',
  [ORDER_STATE.executed]: 'Paid',
  [ORDER_STATE.expired]: 'Expired',
  [ORDER_STATE.canceled]: 'Canceled',
  [ORDER_STATE.error]: 'Payment error',
} as const satisfies Record<OrderState, string>;

export const PORTAL_STYLESHEET = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; display: grid; min-height: 100vh; place-items: center; background: Canvas; }
main { max-width: 28rem; padding: 2rem; border: 1px solid GrayText; border-radius: 0.75rem; }
.badge { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: GrayText; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
.actions { display: flex; gap: 0.75rem; margin-top: 1.5rem; }
.actions form { margin: 0; }
button { font: inherit; padding: 0.6rem 1.4rem; border-radius: 0.5rem; cursor: pointer; }
button.pay { background: #1a7f37; color: #fff; border: 1px solid #1a7f37; }
button:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
`;

function layout(title: string, body: Markup): Markup {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Sandbox payment portal</title>
<link rel="stylesheet" href="/pay/portal.css">
</head>
<body>
<main>
<p class="badge">Sandbox payment portal: no real money moves</p>
${body}
</main>
</body>
</html>`;
}

function orderDetails(order: OrderRecord, session: SessionRecord): Markup {
  return html`<dl>
<dt>Merchant item</dt><dd data-testid="button-name">${session.buttonName}</dd>
<dt>Amount</dt><dd data-testid="amount">${order.amount} ${order.currency}</dd>
<dt>Order reference</dt><dd>${order.orderRef}</dd>
<dt>Status</dt><dd data-testid="state" data-state="${order.state}">${STATE_LABEL[order.state]}</dd>
</dl>`;
}

/** The checkout page: Pay / Cancel as real form posts while pending, the outcome otherwise. */
export function paymentPage(order: OrderRecord, session: SessionRecord): Markup {
  const code = encodeURIComponent(order.code);
  const actions =
    order.state === ORDER_STATE.pending
      ? html`<div class="actions">
<form method="post" action="/pay/${code}/pay"><button type="submit" class="pay">Pay</button></form>
<form method="post" action="/pay/${code}/cancel"><button type="submit">Cancel</button></form>
</div>`
      : html`<p role="status">This payment is ${STATE_LABEL[order.state].toLowerCase()}.</p>`;
  // The item name is shown once, in the details list, so a shopper (or a test) finds it unambiguously.
  const heading =
    order.state === ORDER_STATE.pending
      ? 'Complete your payment'
      : `Payment ${STATE_LABEL[order.state].toLowerCase()}`;
  return layout(
    `${heading}: ${session.buttonName}`,
    html`<h1>${heading}</h1>
${orderDetails(order, session)}
${actions}`,
  );
}

/** Answer to a Pay/Cancel on an order that is no longer pending. */
export function refusalPage(order: OrderRecord, session: SessionRecord, action: string): Markup {
  return layout(
    'Payment closed',
    html`<h1>This payment can no longer be ${action === 'pay' ? 'paid' : 'canceled'}</h1>
<p role="alert">The order is ${STATE_LABEL[order.state].toLowerCase()}. Nothing was charged by this request.</p>
${orderDetails(order, session)}`,
  );
}

export function notFoundPage(code: string): Markup {
  return layout(
    'Payment not found',
    html`<h1>Payment not found</h1>
<p role="alert">No payment has the code <code>${code}</code>.</p>`,
  );
}

export function missingCodePage(): Markup {
  return layout(
    'Missing payment code',
    html`<h1>Missing payment code</h1>
<p role="alert">Open this page through the link your merchant gave you: <code>/pay?code=…</code>.</p>`,
  );
}
