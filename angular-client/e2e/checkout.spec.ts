import { Page, expect, test } from '@playwright/test';
import { productInStock, setStock, toCheckout } from './shop';

const status = (page: Page) => page.locator('.order-status');

test.describe('checkout', () => {
  test('an order placed shows its status moving live, from payment to delivery, without a reload', async ({ page }) => {
    const product = await productInStock();
    await toCheckout(page, product);
    await page.getByLabel('Visa test card (pays)').check();
    await page.getByRole('button', { name: /^Place order/ }).click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Order [0-9A-Fa-f]{8}$/);
    // a mark on the page's window: it would be gone after a reload or a navigation
    await page.evaluate(() => { (window as unknown as { mark: number }).mark = 1; });
    // the timeline fills step by step: each step reached is marked done, with its time
    const done = page.locator('.timeline li.done');
    // on landing the parcel is not even packed yet (packing alone takes seconds): not all steps done at once
    expect(await done.count()).toBeLessThanOrEqual(3);
    await expect(status(page)).toHaveText(/Paid and confirmed|Being packed/, { timeout: 20_000 });
    await expect.poll(() => done.count()).toBeGreaterThanOrEqual(2);
    await expect(status(page)).toHaveText('Shipped', { timeout: 20_000 });
    await expect.poll(() => done.count()).toBeGreaterThanOrEqual(4);
    await expect(status(page)).toHaveText('Delivered', { timeout: 20_000 });
    await expect(done).toHaveCount(5);
    await expect(done.locator('small')).toHaveCount(5);
    await expect(page.getByText(/^Sent with .+, tracking number/)).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
    // the cart was emptied by the checkout
    await expect(page.getByRole('link', { name: 'Cart, 0 items' })).toBeVisible();
  });

  test('a declined card fails the payment, and a retry with another card pays', async ({ page }) => {
    const product = await productInStock(1);
    await toCheckout(page, product);
    await page.getByLabel('Declined test card').check();
    await page.getByRole('button', { name: /^Place order/ }).click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    await expect(status(page)).toHaveText('Payment failed', { timeout: 20_000 });
    const alert = page.getByRole('alert').filter({ hasText: 'Payment failed' });
    await expect(alert).toContainText('Your card was declined.');

    await page.getByLabel('Pay with').selectOption({ label: 'Visa test card (pays)' });
    await page.getByRole('button', { name: 'Retry with this payment method' }).click();
    await expect(status(page)).toHaveText(/Paid and confirmed|Being packed|Shipped|Delivered/, { timeout: 20_000 });
    await expect(alert).toHaveCount(0);
  });

  test('stock sold out while the shopper checks out: the order is refused, and the cart says out of stock', async ({ page }) => {
    const product = await productInStock(2);
    await toCheckout(page, product);
    const was = await setStock(product.sku, 0);
    try {
      await page.getByRole('button', { name: /^Place order/ }).click();
      await expect(page.getByRole('alert').filter({ hasText: 'Out of stock' })).toBeVisible();
      await expect(page).toHaveURL(/\/checkout$/);
      await page.getByRole('link', { name: 'Change your cart' }).click();
      const line = page.locator('.cart-lines li').filter({ hasText: product.name });
      await expect(line).toContainText('Out of stock');
      await expect(line.getByRole('button', { name: `Remove ${product.name}` })).toBeVisible();
    } finally {
      await setStock(product.sku, was);
    }
  });
});
