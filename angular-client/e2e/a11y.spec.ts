import AxeBuilder from '@axe-core/playwright';
import { Page, expect, test } from '@playwright/test';
import { apiAs, emptyServerCart, ensureAddress, productInStock, shopper, signIn, signInAs } from './shop';

/** This file's own shopper: never alice or bob, whose orders and carts other tests use. */
const IVAN = shopper('ivan-e2e', 'Ivan Axe');

/** axe-core over the page as it is now: WCAG 2.1 A and AA rules; serious and critical findings fail. */
async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  expect(serious, `axe on ${what}`).toEqual([]);
}

test.describe('accessibility (axe-core)', () => {
  test('the grid, the details, the cart and the not-allowed page', async ({ page }) => {
    const product = await productInStock();
    await page.goto('/');
    await expect(page.getByText(/^\d[\d,]* products$/)).toBeVisible();
    await expectNoSeriousViolations(page, 'the grid');

    await page.goto(`/products/${product.sku}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Added' })).toBeVisible();
    await expectNoSeriousViolations(page, 'the details page');

    await page.goto('/cart');
    await expect(page.getByText(/^Subtotal \(1 item\):/)).toBeVisible();
    await expectNoSeriousViolations(page, 'the cart');

    await page.goto('/ops');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not allowed');
    await expectNoSeriousViolations(page, 'the not-allowed page');
  });

  test('the checkout page, the order page it lands on with the live status, My orders and the profile', async ({ page }) => {
    const product = await productInStock(16);
    await ensureAddress(IVAN);
    await emptyServerCart(IVAN);
    const api = await apiAs(IVAN);
    expect((await api.post('/api/cart/items', { data: { sku: product.sku, quantity: 1 } })).ok(), 'POST /api/cart/items').toBe(true);
    await api.dispose();

    await page.goto('/');
    await signInAs(page, IVAN.subject, IVAN.name);
    await page.goto('/checkout');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Checkout');
    await expect(page.getByRole('button', { name: /^Place order · €\d/ })).toBeEnabled();
    // the address form open too: its labels are part of the page
    await page.getByRole('button', { name: 'Add a new address' }).click();
    await expect(page.locator('form.address-form')).toBeVisible();
    await expectNoSeriousViolations(page, 'the checkout page');

    // placed with the Visa test card (the first method): the order's page, its thanks, the status moving on by itself
    await page.getByRole('button', { name: /^Place order · €\d/ }).click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    await expect(page.getByText('Thank you — your order is placed.')).toBeVisible();
    await expect(page.locator('.order-status')).toHaveText(/Paid and confirmed|Being packed|Shipped|Delivered/, { timeout: 20_000 });
    await expect(page.locator('.timeline li.done').nth(1)).toBeVisible();
    await expectNoSeriousViolations(page, 'the order page');

    await page.getByRole('navigation', { name: 'Account and cart' }).getByRole('link', { name: 'My orders' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('My orders');
    await expect(page.locator('.order-list li').first()).toContainText(/Order [0-9A-F]{8}/);
    await expectNoSeriousViolations(page, 'My orders');

    await page.getByRole('navigation', { name: 'Account and cart' }).getByRole('link', { name: 'Profile' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your profile');
    await expect(page.getByRole('heading', { name: 'Saved addresses' })).toBeVisible();
    await expect(page.getByText('Hauptstr. 1').first()).toBeVisible();
    await expectNoSeriousViolations(page, 'the profile');
  });

  test('the ops dashboard, live', async ({ page }) => {
    await page.goto('/ops');
    await signIn(page, 'olga');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ops dashboard');
    await expect(page.locator('[data-stream=metrics]')).toHaveText('Live');
    await expect(page.locator('[data-breaker]').first()).toBeVisible();
    await expectNoSeriousViolations(page, 'the ops dashboard');
  });
});
