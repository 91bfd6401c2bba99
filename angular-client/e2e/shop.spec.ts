import { expect, test } from '@playwright/test';
import { cartLink, emptyServerCart, productInStock, signIn } from './shop';

test.describe('browsing', () => {
  test('the grid lists products, and a card opens its details', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Products');
    await expect(page.getByText(/^\d[\d,]* products$/)).toBeVisible();
    const cards = page.locator('ul.grid > li:not(.skeleton-card)');
    await expect(cards).toHaveCount(24);
    const first = cards.first().getByRole('link').first();
    const name = (await first.innerText()).split('\n')[0].trim();
    await first.click();
    await expect(page).toHaveURL(/\/products\/[^/]+$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.getByRole('button', { name: 'Add to cart' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Reviews' })).toBeVisible();
  });

  test('a search finds products in spite of typos, and the query stays in the address', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('searchbox', { name: 'Search' }).fill('blutooth hedphones');
    await expect(page).toHaveURL(/[?&]q=blutooth/);
    await expect(page.getByText(/^\d[\d,]* products$/)).toBeVisible();
    await expect(page.locator('ul.grid > li:not(.skeleton-card)').first()).toBeVisible();
  });
});

test.describe('the cart', () => {
  test('a guest adds a product: the count on the cart icon moves, the cart page prices the line', async ({ page }) => {
    const product = await productInStock();
    await page.goto(`/products/${product.sku}`);
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 0 items');
    await page.getByLabel('Quantity').selectOption('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Added 2 ×' })).toContainText(product.name);
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 2 items');
    await expect(cartLink(page).locator('.cart-count')).toHaveText('2');

    await cartLink(page).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your cart');
    const line = page.locator('.cart-lines li').filter({ hasText: product.name });
    await expect(line).toContainText(/€\d+\.\d\d each · (In stock|Only \d+ left)/);
    await expect(page.getByText(/^Subtotal \(2 items\): €\d/)).toBeVisible();
    // the guest cart is the browser's own, kept across a reload
    await page.reload();
    await expect(page.getByText(/^Subtotal \(2 items\): €\d/)).toBeVisible();
  });

  test('signing in through the identity provider merges the guest cart into the shopper\'s', async ({ page, baseURL }) => {
    await emptyServerCart('bob');
    const product = await productInStock();
    await page.goto(`/products/${product.sku}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 1 item');

    await signIn(page, 'bob');
    // back on the page that was left (on the origin it was left on: the gateway, or ng serve's proxy),
    // with the merge said in words and the line in the server's cart
    await expect(page).toHaveURL(`${baseURL}/products/${product.sku}`);
    await expect(page.getByText('The cart from before you signed in is now in your cart.')).toBeVisible();
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 1 item');
    // the guest cart in the browser is emptied once merged
    expect(await page.evaluate(() => localStorage.getItem('surge.guest-cart') ?? '')).not.toContain(product.sku);

    await cartLink(page).click();
    await expect(page.locator('.cart-lines li').filter({ hasText: product.name })).toBeVisible();
    const api = await page.request.get('/api/cart');
    expect(api.ok()).toBe(true);
    const cart = await api.json() as { lines: { sku: string; quantity: number }[] };
    expect(cart.lines).toEqual([expect.objectContaining({ sku: product.sku, quantity: 1 })]);
  });
});
