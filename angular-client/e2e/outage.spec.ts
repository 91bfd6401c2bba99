import { expect, test } from '@playwright/test';
import { apiAs, onUnpaidOrderPage, replicasRunning, withServiceDown } from './shop';

/** cart-order itself, for a change made while the gateway is down. */
const CART_ORDER = 'http://127.0.0.1:8082';

// A service stopped and started again (./surge stop, ./surge start), as a crash or a deploy looks
// to the shopper: its port refuses, the gateway answers 503 at once, and the page recovers by itself.
test.describe('a service that is stopped and started again', () => {
  test.setTimeout(150_000);

  test('the grid says the catalog is unavailable, and shows the products by itself once catalog is back', async ({ page }) => {
    // a search nobody made before: the gateway has no earlier answer to serve in its place
    const query = `outage ${Date.now()}`;
    await withServiceDown('catalog', async (start) => {
      await page.goto(`/?q=${encodeURIComponent(query)}`);
      const alert = page.getByRole('main').getByRole('alert');
      await expect(alert).toContainText('The catalog service is unavailable');
      await expect(alert).toContainText(/Trying again in \d+ seconds?…/);
      await page.evaluate(() => { (window as unknown as { mark: number }).mark = 1; });
      await start();
      // no click and no reload: the page's own retry after the gateway's Retry-After
      await expect(page.getByText(/No products found\.|\d+ products/)).toBeVisible({ timeout: 45_000 });
      await expect(alert).toHaveCount(0);
      expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark), 'no reload').toBe(1);
    });
  });

  test("an order's live status says it is interrupted while notify is down, and catches up by itself once it is back", async ({ page }) => {
    test.skip(replicasRunning(), 'with SURGE_REPLICAS=2 the second notify keeps the stream going');
    const id = await onUnpaidOrderPage(page, 4);
    const status = page.locator('.order-status');
    const liveStatus = page.locator('.live-status');
    await expect(liveStatus).toHaveText('');
    // a mark on the page's window: it would be gone after a reload or a navigation
    await page.evaluate(() => { (window as unknown as { mark: number }).mark = 1; });

    await withServiceDown('notify', async (start) => {
      // the stream ends; the browser's reconnect is refused (503), which EventSource does not retry: the app will
      await expect(liveStatus).toContainText('Live updates stopped', { timeout: 30_000 });
      await expect(liveStatus).toContainText('Trying again in a moment.');
      // the order changes while nobody can tell the page
      const api = await apiAs('alice');
      const cancelled = await api.post(`/api/orders/${id}/cancel`);
      expect(cancelled.status(), 'cancel while notify is down').toBe(200);
      await api.dispose();
      await expect(status).not.toHaveText('Cancelled');
      await start();
      // the app opens the stream again by itself and learns what it missed
      await expect(status).toHaveText('Cancelled', { timeout: 60_000 });
      await expect(liveStatus).toHaveText('');
    });
    expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
  });

  test('a connection dropped under the page (the gateway stopped): the browser reconnects by itself and is sent what it missed', async ({ page }) => {
    test.skip(replicasRunning(), 'with SURGE_REPLICAS=2 the second gateway is not the one the page uses, but the test stops only one');
    const id = await onUnpaidOrderPage(page, 7);
    const status = page.locator('.order-status');
    const liveStatus = page.locator('.live-status');
    await expect(liveStatus).toHaveText('');
    await page.evaluate(() => { (window as unknown as { mark: number }).mark = 1; });

    await withServiceDown('gateway', async (start) => {
      // the stream's connection is gone and nothing answers on the port: EventSource keeps trying by itself
      await expect(liveStatus).toContainText('Live updates interrupted: reconnecting…', { timeout: 30_000 });
      // the order changes meanwhile, at cart-order itself (the gateway is down)
      const api = await apiAs('alice', CART_ORDER);
      const cancelled = await api.post(`/api/orders/${id}/cancel`);
      expect(cancelled.status(), 'cancel at cart-order').toBe(200);
      await api.dispose();
      await expect(status).not.toHaveText('Cancelled');
      await start();
      // the browser's own reconnect, with Last-Event-ID: notify sends the change it missed
      await expect(status).toHaveText('Cancelled', { timeout: 60_000 });
      await expect(liveStatus).toHaveText('');
    });
    expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
  });
});
