import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** Counts the page's `POST /sessions` requests to the BFF. */
function countCheckouts(page: Page, bffUrl: string) {
  const seen: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url() === `${bffUrl}/sessions`) {
      seen.push(request.headers()['idempotency-key'] ?? '');
    }
  });
  return seen;
}

test('a shopper who cancels on the portal lands on the shop cancel page', async ({
  page,
  urls,
}) => {
  await page.goto(urls.demo);
  await page.locator('#coffee').getByRole('button').click();
  await page.waitForURL(`${urls.sandbox}/pay?**`);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.waitForURL(`${urls.demo}/cancel?**`);
  await expect(page.getByRole('heading', { name: 'Payment canceled' })).toBeVisible();
});

test('the donation goes to checkout with the amount the shopper typed', async ({ page, urls }) => {
  await page.goto(urls.demo);
  await page.getByLabel('Amount (EUR)').fill('12.34');
  await page.locator('#donation').getByRole('button').click();
  await page.waitForURL(`${urls.sandbox}/pay?**`);
  await expect(page.getByText('12.34')).toBeVisible();
  await expect(page.getByText('Donation')).toBeVisible();
});

test('a keyboard-only shopper can check out and pay', async ({ page, urls }) => {
  await page.goto(urls.demo);
  const coffee = page.locator('#coffee').getByRole('button');
  // Tab through the page until the coffee button has focus.
  for (let i = 0; i < 20 && !(await coffee.evaluate((el) => el.matches(':focus'))); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(coffee).toBeFocused();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${urls.sandbox}/pay?**`);
  const pay = page.getByRole('button', { name: 'Pay', exact: true });
  for (let i = 0; i < 20 && !(await pay.evaluate((el) => el.matches(':focus'))); i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await page.waitForURL(`${urls.demo}/return?**`);
  await expect(page.getByTestId('payment-status')).toHaveText('paid');
});

test('a triple click creates one checkout session', async ({ page, urls }) => {
  const checkouts = countCheckouts(page, urls.bff);
  await page.goto(urls.demo);
  // The page keeps the shopper here, so every click lands while the one attempt is under way.
  await page.evaluate(() =>
    document.addEventListener('buy-button-session', (event) => event.preventDefault()),
  );
  await page.locator('#coffee').getByRole('button').click({ clickCount: 3 });
  await expect(page.locator('#event-log li', { hasText: 'buy-button-session' })).toHaveCount(1);
  await expect(page.locator('#event-log li', { hasText: 'buy-button-click' })).toHaveCount(1);
  expect(checkouts).toHaveLength(1);
});

test('a page that vetoes the click keeps the shopper on the shop and sends nothing', async ({
  page,
  urls,
}) => {
  const checkouts = countCheckouts(page, urls.bff);
  await page.goto(urls.demo);
  await page.evaluate(() =>
    document.addEventListener('buy-button-click', (event) => event.preventDefault()),
  );
  await page.locator('#coffee').getByRole('button').click();
  await expect(page.locator('#event-log li', { hasText: 'buy-button-click' })).toHaveCount(1);
  await page.waitForLoadState('networkidle');
  expect(checkouts).toEqual([]);
  expect(page.url()).toBe(`${urls.demo}/`);
});

test('the script-tag page works under its strict Content-Security-Policy', async ({
  page,
  urls,
}) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto(`${urls.demo}/script-tag`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(response?.headers()['content-security-policy']).not.toContain('unsafe-inline');
  const button = page.locator('buy-button').getByRole('button');
  await button.click();
  await page.waitForURL(`${urls.sandbox}/pay?**`);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(`${urls.demo}/return?**`);
  await expect(page.getByTestId('payment-status')).toHaveText('paid');
  expect(violations).toEqual([]);
});

test('the React page checks out through the npm package', async ({ page, urls }) => {
  await page.goto(`${urls.demo}/react`);
  await page.getByRole('article').filter({ hasText: 'Coffee beans' }).getByRole('button').click();
  await page.waitForURL(`${urls.sandbox}/pay?**`);
  await expect(page.getByText('Coffee beans')).toBeVisible();
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the coffee form checks out, pays and shows the verified status', async ({ page, urls }) => {
    await page.goto(urls.demo);
    await page.getByRole('button', { name: /Pay 4.50/ }).click();
    await page.waitForURL(`${urls.sandbox}/pay?**`);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(`${urls.demo}/return?**`);
    await expect(page.getByRole('heading', { name: 'Payment received' })).toBeVisible();
  });
});

test('a shopper buys 3 bags with the shop’s cart reference; the shop’s orders show the reference, quantity and total', async ({
  page,
  request,
  urls,
}) => {
  await page.goto(urls.demo);
  const cart = (await page.locator('#cart-ref').textContent()) ?? '';
  expect(cart).toMatch(/^cart-/);
  await page.locator('#coffee-quantity').fill('3');
  await page.locator('#coffee').getByRole('button').click();
  await page.waitForURL(`${urls.sandbox}/pay?**`);
  await expect(page.getByText('3 × Coffee beans')).toBeVisible();
  await expect(page.getByText('13.50')).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(`${urls.demo}/return?**`);
  await expect(page.getByTestId('payment-status')).toHaveText('paid');

  // The verified payment event reaches the shop's backend, carrying the shop's own reference.
  await expect
    .poll(async () => {
      const events = (await (await request.get(`${urls.demo}/orders.json`)).json()) as Array<{
        type: string;
        data: { reference?: string };
      }>;
      return events.some((event) => event.type === 'payment.paid' && event.data.reference === cart);
    })
    .toBe(true);
  await page.goto(`${urls.demo}/orders`);
  const row = page.getByRole('row').filter({ hasText: cart });
  await expect(row).toContainText('payment.paid');
  await expect(row.getByRole('cell').nth(4)).toHaveText('3');
  await expect(row).toContainText('13.50 EUR');
});

test('the shop switches its buttons to German (npm build, every language bundled)', async ({
  page,
  urls,
}) => {
  await page.goto(urls.demo);
  await page.getByLabel('Language of the buttons').selectOption('de');
  await expect(page.locator('#coffee').getByRole('button')).toContainText('mit Krypto bezahlen');
});

test('the script-tag element loads German from the BFF, under the page’s strict CSP', async ({
  page,
  urls,
}) => {
  const loaded: string[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/buy-button.de.json')) loaded.push(String(response.status()));
  });
  await page.goto(`${urls.demo}/script-tag`);
  const button = page.locator('buy-button').first();
  await expect(button.getByRole('button')).toBeVisible();
  await button.evaluate((element) => element.setAttribute('locale', 'de'));
  await expect(button.getByRole('button')).toContainText('mit Krypto bezahlen');
  expect(loaded).toEqual(['200']);
});
