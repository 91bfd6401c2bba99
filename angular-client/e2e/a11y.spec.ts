import AxeBuilder from '@axe-core/playwright';
import { Page, expect, test } from '@playwright/test';
import { productInStock, signIn } from './shop';

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

  test('the ops dashboard, live', async ({ page }) => {
    await page.goto('/ops');
    await signIn(page, 'olga');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ops dashboard');
    await expect(page.locator('[data-stream=metrics]')).toHaveText('Live');
    await expect(page.locator('[data-breaker]').first()).toBeVisible();
    await expectNoSeriousViolations(page, 'the ops dashboard');
  });
});
