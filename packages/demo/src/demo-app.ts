import type { SessionStatus } from '@buy-button/element/wire';
import { Hono, type MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { layout } from './layout.js';
import { MerchantOrders, WebhookVerificationError } from './merchant-orders.js';
import { STATUS_WORDS } from './status-words.js';

export interface DemoPages {
  /** The shop (`/`), built by Vite. */
  index: string;
  /** The React app (`/react`), built by Vite. */
  react: string;
  /** The script-tag-only page (`/script-tag`), plain HTML. */
  scriptTag: string;
}

export interface DemoOptions {
  /** The BFF's URL as the shopper's browser reaches it. */
  bffUrl: string;
  /** The payment portal's URL: the no-JavaScript form is redirected there, so CSP must allow it. */
  portalUrl?: string;
  /** Standard Webhooks secret shared with the BFF (`WEBHOOK_SECRET`). Without it, no webhook is accepted. */
  webhookSecret?: string;
  /** HTML of the built pages; `__BFF_URL__` in them is replaced by `bffUrl`. */
  pages: DemoPages;
  /** Serves the built assets (`/assets/*`, `/demo.css`). */
  assets: MiddlewareHandler;
  /** How the server reaches the BFF (the return page reads the verified status). */
  fetch?: typeof fetch;
}

/**
 * The demo merchant's site: product pages using `<buy-button>` in each way a shop embeds it, a
 * return page that shows the status the BFF verified (rendered on the server, so it works with
 * JavaScript off), a cancel page, and the webhook endpoint where the shop learns of payments.
 */
export function createDemoApp(options: DemoOptions) {
  const bffUrl = options.bffUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const orders = new MerchantOrders(options.webhookSecret);
  const fill = (page: string) => page.replaceAll('__BFF_URL__', bffUrl);
  const pages = {
    index: fill(options.pages.index),
    react: fill(options.pages.react),
    scriptTag: fill(options.pages.scriptTag),
  };
  const allowed = [
    new URL(bffUrl).origin,
    options.portalUrl ? new URL(options.portalUrl).origin : '',
  ]
    .filter(Boolean)
    .join(' ');
  // Strict: no inline script, no eval; scripts, requests and form posts only to this shop and its BFF.
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${allowed}`,
    `connect-src 'self' ${allowed}`,
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self' ${allowed}`,
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    // Shop pages send their origin (the BFF checks it on form posts); return and cancel URLs
    // carry the shopper's receipt, so those pages send no referrer at all.
    const carriesReceipt = c.req.path === '/return' || c.req.path === '/cancel';
    c.header('Referrer-Policy', carriesReceipt ? 'no-referrer' : 'strict-origin-when-cross-origin');
  });

  app.get('/', (c) => c.html(pages.index));
  app.get('/react', (c) => c.html(pages.react));
  app.get('/script-tag', (c) => c.html(pages.scriptTag));
  app.get('/healthz', (c) => c.text('ok'));

  app.get('/return', async (c) => {
    const order = c.req.query('order') ?? '';
    const receipt = c.req.query('receipt') ?? '';
    const result = await readStatus(doFetch, bffUrl, order, receipt);
    const received = order ? orders.forOrder(order) : [];
    return c.html(layout('Your payment', '', statusPage(order, result, received.length > 0)));
  });

  app.get('/cancel', async (c) => {
    const order = c.req.query('order') ?? '';
    const receipt = c.req.query('receipt') ?? '';
    const result = await readStatus(doFetch, bffUrl, order, receipt);
    return c.html(
      layout(
        'Payment canceled',
        '',
        html`<h1>Payment canceled</h1>
          <p>No payment was taken. Your cart is as you left it.</p>
          ${
            'status' in result
              ? html`<p>Order <code>${result.status.orderRef}</code>: ${STATUS_WORDS[result.status.status].title.toLowerCase()}.</p>`
              : ''
          }
          <p><a href="/">Back to the shop</a></p>`,
      ),
    );
  });

  app.post('/webhooks/lyzi', async (c) => {
    const payload = await c.req.text();
    try {
      orders.receive(payload, c.req.raw.headers);
      return c.body(null, 204);
    } catch (error) {
      if (error instanceof WebhookVerificationError || error instanceof SyntaxError) {
        return c.json(
          { type: 'about:blank', title: 'Invalid webhook signature', status: 401 },
          401,
          { 'Content-Type': 'application/problem+json' },
        );
      }
      throw error;
    }
  });

  app.get('/orders.json', (c) => c.json(orders.list()));
  app.get('/orders', (c) =>
    c.html(
      layout(
        'Orders',
        '/orders',
        html`<h1>Payment events received</h1>
          <p class="lede">
            What the shop's backend learned from the BFF's signed webhooks (verified with the
            Standard Webhooks signature before being recorded).
          </p>
          ${
            orders.list().length === 0
              ? html`<p>No payment event yet.</p>`
              : html`<table>
                <thead><tr><th scope="col">Received</th><th scope="col">Event</th><th scope="col">Order</th><th scope="col">Your reference</th><th scope="col">Quantity</th><th scope="col">Total</th></tr></thead>
                <tbody>
                  ${orders
                    .list()
                    .map(
                      (event) =>
                        html`<tr><td>${event.receivedAt}</td><td>${event.type}</td><td><code>${String(event.data.orderRef ?? '')}</code></td><td>${String(event.data.reference ?? '—')}</td><td>${String(event.data.quantity ?? 1)}</td><td>${String(event.data.amount ?? '')} ${String(event.data.currency ?? '')}</td></tr>`,
                    )}
                </tbody>
              </table>`
          }`,
      ),
    ),
  );

  app.use(options.assets);
  return app;
}

type StatusResult = { status: SessionStatus } | { problem: string };

async function readStatus(
  doFetch: typeof fetch,
  bffUrl: string,
  order: string,
  receipt: string,
): Promise<StatusResult> {
  if (!order || !receipt) {
    return { problem: 'This link does not say which order it is about.' };
  }
  try {
    const response = await doFetch(`${bffUrl}/sessions/${encodeURIComponent(order)}`, {
      headers: { authorization: `Bearer ${receipt}`, accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) return { status: (await response.json()) as SessionStatus };
    if (response.status === 401 || response.status === 403) {
      return { problem: 'This link has expired or is not for this order.' };
    }
    return { problem: 'The payment service could not tell us the status of this order.' };
  } catch {
    return { problem: 'The payment service is not reachable right now.' };
  }
}

function statusPage(order: string, result: StatusResult, shopNotified: boolean) {
  if (!('status' in result)) {
    return html`<h1>We could not check this payment</h1>
      <div class="status" data-status="unknown"><p>${result.problem}</p></div>
      <p><a href="/">Back to the shop</a></p>`;
  }
  const { status } = result;
  const words = STATUS_WORDS[status.status];
  return html`<h1>${words.title}</h1>
    <div class="status" data-status="${status.status}" role="status">
      <p>${words.body}</p>
      <dl>
        <dt>Order</dt><dd><code>${status.orderRef || order}</code></dd>
        <dt>Amount</dt><dd>${status.amount} ${status.currency}</dd>
        <dt>Status</dt><dd data-testid="payment-status">${status.status}</dd>
      </dl>
      ${
        status.status === 'paid'
          ? html`<p>${shopNotified ? 'The shop has received the payment confirmation.' : 'The shop will confirm your order as soon as the payment notice arrives.'}</p>`
          : ''
      }
    </div>
    <p><a href="/">Back to the shop</a></p>`;
}
