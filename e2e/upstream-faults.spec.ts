import { expect, test } from './fixtures.js';

// Faults are set on the one shared sandbox: this file runs alone, after the other tests.
test.describe.configure({ mode: 'serial' });

test('when the gateway fails the shopper sees why, and the same button works once it recovers', async ({
  page,
  urls,
  sandbox,
}) => {
  await page.goto(urls.demo);
  await sandbox.faults({ faultRate: 1 });
  const button = page.locator('#coffee').getByRole('button');
  await button.click();
  const alert = page.locator('#coffee').getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).not.toBeEmpty();
  await expect(page.locator('#event-log li', { hasText: 'buy-button-error' })).toHaveCount(1);
  expect(page.url()).toBe(`${urls.demo}/`);

  await sandbox.faults({ faultRate: 0 });
  await button.click();
  await page.waitForURL(`${urls.sandbox}/pay?**`);
});
