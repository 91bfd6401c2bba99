import { expect, test } from '@playwright/test';
import { placeOrderByApi, productInStock, signIn } from './shop';

test.describe('the ops dashboard', () => {
  test('updates live for the ops user: charts drawn, seconds moving, events arriving', async ({ page }) => {
    await page.goto('/ops');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not allowed');
    await signIn(page, 'olga');
    // the page asked for before signing in is opened again
    await expect(page).toHaveURL(/\/ops$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ops dashboard');
    await expect(page.locator('[data-stream=metrics]')).toHaveText('Live');
    await expect(page.locator('[data-stream=events]')).toHaveText('Live');

    // five uPlot charts, each with its canvas, and the newest second moving on by itself
    await expect(page.locator('app-live-chart canvas')).toHaveCount(5);
    const lastSecond = page.getByTestId('last-second');
    await expect(lastSecond).toHaveText(/^\d\d:\d\d:\d\d$/);
    const first = await lastSecond.textContent();
    await expect(lastSecond).not.toHaveText(first!);
    // notify's own vital signs come back through Kafka: at least this page's two streams are counted
    await expect(page.locator('[data-chart=streams] [data-series=streams]')).toHaveText(/^([2-9]|\d\d+) streams$/, { timeout: 30_000 });
    await expect(page.locator('[data-breaker]').first()).toHaveText(/^(CLOSED|OPEN|HALF_OPEN|FORCED_OPEN|DISABLED|METRICS_ONLY)$/);

    // an order placed through the API arrives in the feed, newest first, and goes on through the saga
    const product = await productInStock();
    const order = (await placeOrderByApi('alice', product.sku)).slice(0, 8);
    const feed = page.getByTestId('event-feed');
    await expect(feed.getByText(`order ${order}`).first()).toBeVisible();
    await expect(feed.locator('li', { hasText: `order ${order}` }).filter({ hasText: 'OrderPlaced' })).toHaveCount(1);
    await expect(feed.locator('li').first()).toContainText(`order ${order}`);
    await expect(feed.locator('li', { hasText: `order ${order}` }).filter({ hasText: 'PaymentSucceeded' })).toHaveCount(1);
  });

  test('is refused to a shopper, who never gets the dashboard', async ({ page }) => {
    const streams: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/ops/')) streams.push(r.url()); });
    await page.goto('/');
    await signIn(page, 'bob');
    await page.goto('/ops');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not allowed');
    await expect(page.getByText('You are signed in as Bob Shopper, who may not see it.')).toBeVisible();
    await expect(page.locator('app-live-chart')).toHaveCount(0);
    expect(streams).toEqual([]);
    // and the streams themselves are refused to the shopper's session by the gateway
    const answer = await page.request.get('/api/ops/metrics', { headers: { Accept: 'text/event-stream' } });
    expect(answer.status()).toBe(403);
  });
});
