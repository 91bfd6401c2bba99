import { Page, expect, test } from '@playwright/test';
import { cartLink, ensureAddress, placeOrderByApi, productInStock, signIn, toCheckout } from './shop';

/** Where the pictures go: the committed ones by default; `./surge test` sends them elsewhere. */
const DIR = process.env['E2E_SCREENSHOTS'] ?? `${__dirname}/screenshots`;

const WIDTHS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

/** Nothing sticks out sideways: a phone never scrolls the page horizontally. */
async function fitsWidth(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

for (const { name, viewport } of WIDTHS) {
  test.describe(`at ${name} width`, () => {
    test.use({ viewport });

    test('the grid, a product, the cart and the ops dashboard', async ({ page }) => {
      test.setTimeout(90_000);
      const product = await productInStock();
      await page.goto('/');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Products');
      await expect(page.getByText(/^\d[\d,]* products$/)).toBeVisible();
      await page.evaluate(() => document.fonts.ready);
      await fitsWidth(page);
      await page.screenshot({ path: `${DIR}/grid-${name}.png` });

      await page.goto(`/products/${product.sku}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await expect(cartLink(page)).toHaveAccessibleName('Cart, 1 item');
      await fitsWidth(page);
      await page.screenshot({ path: `${DIR}/details-${name}.png` });

      await page.goto('/cart');
      await expect(page.getByText(/^Subtotal \(1 item\):/)).toBeVisible();
      await fitsWidth(page);
      await page.screenshot({ path: `${DIR}/cart-${name}.png` });

      await page.goto('/ops');
      await signIn(page, 'olga');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ops dashboard');
      await expect(page.locator('app-live-chart canvas')).toHaveCount(5);
      // the guest cart of the steps before was merged into olga's: said in a notice, dismissed for the picture
      await page.getByRole('button', { name: 'Dismiss' }).click();
      await expect(page.locator('[data-stream=metrics]')).toHaveText('Live');
      await expect(page.locator('[data-stream=events]')).toHaveText('Live');
      // some orders while the page watches, paid and declined, so the charts and the feed have something to show
      await ensureAddress('alice');
      for (const card of ['tok_visa', 'tok_chargeDeclined', 'tok_visa']) {
        await placeOrderByApi('alice', (await productInStock(6)).sku, card);
      }
      await expect.poll(() => page.getByTestId('event-feed').locator('li').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(8);
      // a few more seconds drawn, so the charts show lines
      const lastSecond = page.getByTestId('last-second');
      for (let seconds = 0; seconds < 6; seconds++) {
        await expect(lastSecond).toHaveText(/^\d\d:\d\d:\d\d$/);
        await expect(lastSecond).not.toHaveText((await lastSecond.textContent())!);
      }
      await fitsWidth(page);
      await page.screenshot({ path: `${DIR}/ops-${name}.png`, fullPage: name === 'desktop' });
    });

    test('checkout, and the order page once its status has moved to delivered', async ({ page }) => {
      test.setTimeout(90_000);
      await toCheckout(page, await productInStock(1));
      await page.getByLabel('Visa test card (pays)').check();
      await fitsWidth(page);
      await page.screenshot({ path: `${DIR}/checkout-${name}.png`, fullPage: name === 'desktop' });

      await page.getByRole('button', { name: /^Place order/ }).click();
      await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
      await expect(page.locator('.order-status')).toHaveText('Delivered', { timeout: 40_000 });
      await expect(page.getByText(/^Sent with .+, tracking number/)).toBeVisible();
      await fitsWidth(page);
      await page.screenshot({ path: `${DIR}/order-${name}.png`, fullPage: name === 'desktop' });
    });
  });
}
