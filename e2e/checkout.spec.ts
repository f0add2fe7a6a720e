import { expect, test } from './fixtures.js';

test('a shopper buys coffee, pays on the portal and sees the verified status back on the shop', async ({
  page,
  urls,
  request,
}) => {
  await page.goto(urls.demo);
  const coffee = page.locator('#coffee');
  await coffee.getByRole('button').click();

  await page.waitForURL((url) => url.href.startsWith(`${urls.sandbox}/pay?code=`));
  await expect(page.getByText('Coffee beans')).toBeVisible();
  await expect(page.getByText('4.50')).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();

  await page.waitForURL((url) => url.href.startsWith(`${urls.demo}/return`));
  await expect(page.getByRole('heading', { name: 'Payment received' })).toBeVisible();
  await expect(page.getByTestId('payment-status')).toHaveText('paid');
  const orderRef = new URL(page.url()).searchParams.get('order');
  expect(orderRef).toBeTruthy();

  // The BFF verified the sandbox's callback and forwarded a signed event to the shop.
  await expect
    .poll(async () => {
      const events = (await (await request.get(`${urls.demo}/orders.json`)).json()) as Array<{
        type: string;
        data: { orderRef?: string; status?: string };
      }>;
      return events.filter((event) => event.data.orderRef === orderRef).map((e) => e.data.status);
    })
    .toEqual(['paid']);
});
