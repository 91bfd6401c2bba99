import { APIRequestContext, expect, request as playwrightRequest, test } from '@playwright/test';
import { apiAs, ensureAddress, setStock, signIn } from './shop';

const BASE_URL = process.env['E2E_BASE_URL'] ?? 'http://127.0.0.1:8080';
const ADDRESS = { recipientName: 'E2E Shopper', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', countryCode: 'DE' };

/** A product in stock with no flash sale yet (a sku's sale never ends, so every run takes a new one). */
async function productWithoutSale(): Promise<{ sku: string; name: string }> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  try {
    for (let page = 0; page < 10; page++) {
      const answer = await api.get(`/api/products?sort=name&size=48&page=${page}`);
      expect(answer.ok(), 'GET /api/products').toBe(true);
      const items = (await answer.json() as { items: { sku: string; name: string; availability: { status: string } }[] }).items;
      for (const product of items.filter((p) => p.availability.status === 'IN_STOCK')) {
        if ((await api.get(`/api/flash-sales/${encodeURIComponent(product.sku)}`)).status() === 404) return product;
      }
    }
    throw new Error('no product without a flash sale in the first 480');
  } finally {
    await api.dispose();
  }
}

/** Ops put `units` of the sku on sale from `inSeconds` from now, one per shopper (the stock is set to exactly that first). */
async function startSale(sku: string, units: number, inSeconds: number): Promise<void> {
  await setStock(sku, units);
  const ops = await apiAs('olga');
  const startsAt = new Date(Date.now() + inSeconds * 1000).toISOString();
  const put = await ops.put(`/api/admin/flash-sales/${encodeURIComponent(sku)}`, { data: { startsAt, units, perShopperLimit: 1 } });
  expect(put.status(), `PUT /api/admin/flash-sales/${sku}: ${await put.text()}`).toBe(201);
  await ops.dispose();
}

/** A shopper's buy-now through the API: a place (admitted at once in an empty room), the quote, then the order at its total. */
async function buyNowByApi(api: APIRequestContext, sku: string): Promise<void> {
  const place = await api.post(`/api/flash-sales/${encodeURIComponent(sku)}/queue`);
  expect(place.status(), 'POST …/queue').toBe(200);
  const admission = (await place.json() as { status: string; admission?: string }).admission;
  expect(admission, 'admitted at once').toBeDefined();
  const key = crypto.randomUUID();
  const body = (amount: number) => ({ address: ADDRESS, paymentMethod: 'tok_visa', expectedTotal: { amount, currency: 'EUR' },
    lines: [{ sku, quantity: 1 }] });
  const headers = { 'Idempotency-Key': key, 'Flash-Sale-Admission': admission! };
  const quoted = await api.post('/api/orders/quote', { data: { address: ADDRESS, lines: [{ sku, quantity: 1 }] } });
  expect(quoted.status(), 'POST /api/orders/quote').toBe(200);
  const total = (await quoted.json() as { total: { amount: number } }).total.amount;
  expect((await api.post('/api/orders', { data: body(total), headers })).status(), 'buy-now at the named total').toBe(201);
}

test.describe('flash sale', () => {
  test('a shopper waits in the queue until the sale opens, is admitted and buys', async ({ page }) => {
    test.setTimeout(90_000);
    const product = await productWithoutSale();
    await ensureAddress('bob');
    // opening in 25 s: time to sign in and open the room first, on a busy machine too
    await startSale(product.sku, 2, 25);

    await page.goto(`/products/${product.sku}`);
    await signIn(page, 'bob');
    await page.goto(`/flash-sales/${product.sku}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Flash sale: ${product.name}`);
    await expect(page.getByText(/^You are number \d+ in the queue\.$/)).toBeVisible();
    await expect(page.getByText(/The sale starts .+; admissions begin then\./)).toBeVisible();

    // no reload: the stream moves the page when the sale opens
    await expect(page.getByRole('heading', { name: "It's your turn" })).toBeVisible({ timeout: 45_000 });
    // priced before the buy: the total with shipping is on the button
    await expect(page.getByText('Included VAT')).toBeVisible();
    await page.getByRole('button', { name: /^Buy now · €/ }).click();
    // a price that moved between the quote and the buy is named for the shopper to confirm
    const confirm = page.getByRole('button', { name: /^Confirm and buy · €/ });
    await expect(confirm.or(page.getByRole('heading', { level: 1, name: /^Order / }))).toBeVisible();
    if (await confirm.isVisible()) await confirm.click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Order [0-9A-Fa-f]{8}$/);
  });

  test('a shopper who comes after the last unit is told it is sold out', async ({ page }) => {
    const product = await productWithoutSale();
    await startSale(product.sku, 1, 0);
    const alice = await apiAs('alice');
    await buyNowByApi(alice, product.sku);
    await alice.dispose();

    await page.goto(`/products/${product.sku}`);
    await signIn(page, 'bob');
    await page.goto(`/flash-sales/${product.sku}`);
    await expect(page.getByRole('alert').filter({ hasText: 'Sold out' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Buy now/ })).toHaveCount(0);
  });
});
