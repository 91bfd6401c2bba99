import { expect, test } from '@playwright/test';
import { apiAs, onUnpaidOrderPage, productInStock, signIn } from './shop';

interface Profile { name: string; phone?: string | null; preferences?: { marketingEmails: boolean; language: string } | null }

test.describe('the account', () => {
  test('a shopper changes their details on the profile page, finds them after a reload, and signs out', async ({ page }) => {
    const api = await apiAs('bob');
    expect([200, 201], 'PUT /api/users/me').toContain((await api.put('/api/users/me')).status());
    const before = await (await api.get('/api/users/me')).json() as Profile;
    const offers = !(before.preferences?.marketingEmails ?? false);
    try {
      await page.goto('/');
      await signIn(page, 'bob');
      await page.getByRole('navigation', { name: 'Account and cart' }).getByRole('link', { name: 'Profile' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your profile');
      await page.getByLabel('Phone (optional)').fill('+49 30 1234567');
      await page.getByLabel('Send me offers by e-mail').setChecked(offers);
      await page.getByLabel('Language').selectOption({ label: 'Deutsch' });
      await page.getByRole('button', { name: 'Save your details' }).click();
      await expect(page.locator('.profile-phone')).toHaveText('+49 30 1234567');

      // kept by cart-order, not by the page
      await page.reload();
      await expect(page.locator('.profile-phone')).toHaveText('+49 30 1234567');
      await expect(page.locator('.profile-marketing')).toHaveText(offers ? 'yes' : 'no');
      await expect(page.locator('.profile-language')).toHaveText('Deutsch');

      const account = page.getByRole('navigation', { name: 'Account and cart' });
      await account.getByText('Bob Shopper').click();
      await account.getByRole('button', { name: 'Sign out' }).click();
      await expect(account.getByRole('link', { name: 'Sign in' })).toBeVisible();
      await expect(account.getByRole('link', { name: 'Profile' })).toHaveCount(0);
      // signed out at the identity provider too: the profile asks for a sign-in again
      await page.goto('/profile');
      await expect(page).toHaveTitle('Surge dev sign-in');
    } finally {
      const restored = await api.patch('/api/users/me', {
        data: { phone: before.phone ?? '', preferences: before.preferences ?? { marketingEmails: false, language: 'en' } },
      });
      expect(restored.ok(), 'PATCH /api/users/me back').toBe(true);
      await api.dispose();
    }
  });

  test("a newcomer registers on the provider's sign-up page, lands back where they were, and the app creates their profile", async ({ page }) => {
    const product = await productInStock(5);
    const user = `newcomer-${Date.now()}`;
    await page.goto(`/products/${product.sku}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
    await page.getByRole('navigation', { name: 'Account and cart' }).getByRole('link', { name: 'Register' }).click();
    await expect(page).toHaveTitle('Surge dev sign-up');
    await page.getByLabel('Your name').fill('Nora Newcomer');
    await page.getByLabel('E-mail').fill(`${user}@surge.test`);
    await page.getByLabel('User name').fill(user);
    // the first sign-in of a subject without a profile: the app itself creates it from the token's claims
    const created = page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === '/api/users/me');
    await page.getByRole('button', { name: 'Create account' }).click();
    expect((await created).status()).toBe(201);
    await expect(page.getByRole('navigation', { name: 'Account and cart' }).getByText('Nora Newcomer')).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/products/${product.sku}$`));
    await expect(page.getByRole('navigation', { name: 'Account and cart' }).getByRole('link', { name: 'Register' })).toHaveCount(0);

    await page.goto('/profile');
    await expect(page.locator('.profile-email')).toHaveText(`${user}@surge.test`);
  });

    test('an order not paid yet is cancelled from its page, which says so live', async ({ page }) => {
    await onUnpaidOrderPage(page, 3);
    const status = page.locator('.order-status');

    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the order' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Your order is cancelled.' })).toBeVisible();
    await expect(status).toHaveText('Cancelled', { timeout: 20_000 });
    await expect(page.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);

    // and after a reload, from cart-order itself
    await page.reload();
    await expect(status).toHaveText('Cancelled');
  });
});
