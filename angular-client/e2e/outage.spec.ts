import { Page, expect, test } from '@playwright/test';
import { apiAs, ensureRunning, onUnpaidOrderPage, replicasRunning, withServiceDown } from './shop';

/** cart-order itself, for a change made while the gateway is down. */
const CART_ORDER = 'http://127.0.0.1:8082';

const mark = (page: Page) => page.evaluate(() => { (window as unknown as { mark: number }).mark = 1; });
const marked = (page: Page) => page.evaluate(() => (window as unknown as { mark?: number }).mark === 1);

/**
 * Alice's unpaid order open on its page; `service` stopped: the page says `interrupted`; the order
 * is cancelled meanwhile (through `cancelAt`) and the page cannot know; `service` started: with no
 * click and no reload (a mark on the window would be gone) the page shows Cancelled and is live.
 */
async function cancelledWhileDown(page: Page, nth: number, service: string, interrupted: string[], cancelAt?: string): Promise<string[]> {
  const id = await onUnpaidOrderPage(page, nth);
  // the Last-Event-ID of every stream request after the first (empty: a new EventSource, which sends none)
  const resumes: Promise<string>[] = [];
  let first = true;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname !== '/api/orders/events') return;
    if (first) { first = false; return; }
    resumes.push(r.headerValue('last-event-id').then((v) => v ?? ''));
  });
  const status = page.locator('.order-status');
  const liveStatus = page.locator('.live-status');
  await expect(liveStatus).toHaveText('');
  await mark(page);
  await withServiceDown(service, async (start) => {
    for (const words of interrupted) await expect(liveStatus).toContainText(words, { timeout: 30_000 });
    const api = await apiAs('alice', cancelAt);
    const cancelled = await api.post(`/api/orders/${id}/cancel`);
    expect(cancelled.status(), `cancel while ${service} is down`).toBe(200);
    await api.dispose();
    await expect(status).not.toHaveText('Cancelled');
    await start();
    await expect(status).toHaveText('Cancelled', { timeout: 60_000 });
    await expect(liveStatus).toHaveText('');
  });
  expect(await marked(page), 'no reload').toBe(true);
  return Promise.all(resumes);
}

// A service stopped and started again (./surge stop, ./surge start), as a crash or a deploy looks
// to the shopper: its port refuses, the gateway answers 503 at once, and the page recovers by itself.
test.describe('a service that is stopped and started again', () => {
  test.setTimeout(150_000);
  test.afterEach(() => ensureRunning(['catalog', 'notify', 'gateway']));

  test('the grid says the catalog is unavailable, and shows the products by itself once catalog is back', async ({ page }) => {
    // a search nobody made before: the gateway has no earlier answer to serve in its place
    const query = `outage ${Date.now()}`;
    await withServiceDown('catalog', async (start) => {
      await page.goto(`/?q=${encodeURIComponent(query)}`);
      const alert = page.getByRole('main').getByRole('alert');
      await expect(alert).toContainText('The catalog service is unavailable');
      await expect(alert).toContainText(/Trying again in \d+ seconds?…/);
      await mark(page);
      await start();
      // no click and no reload: the page's own retry after the gateway's Retry-After
      await expect(page.getByText(/No products found\.|\d+ products/)).toBeVisible({ timeout: 45_000 });
      await expect(alert).toHaveCount(0);
      expect(await marked(page), 'no reload').toBe(true);
    });
  });

  test("an order's live status says it is interrupted while notify is down, and catches up by itself once it is back", async ({ page }) => {
    test.skip(replicasRunning(), 'with SURGE_REPLICAS=2 the second notify keeps the stream going');
    // the stream ends; the browser's reconnect is refused (503), which EventSource does not retry: the app does
    await cancelledWhileDown(page, 4, 'notify', ['Live updates stopped', 'Trying again in a moment.']);
  });

  test('a connection dropped under the page (the gateway stopped): the browser reconnects by itself and is sent what it missed', async ({ page }) => {
    // nothing answers on the port: EventSource keeps trying by itself, and resumes with Last-Event-ID
    const resumes = await cancelledWhileDown(page, 7, 'gateway', ['Live updates interrupted: reconnecting…'], CART_ORDER);
    // the browser reconnected by itself, asking to resume after the last event it had (a reconnect the
    // gateway refused while it started would be followed by the app's new stream, whose snapshot also tells)
    expect(resumes.filter((id) => id !== '').length, 'reconnects with a Last-Event-ID').toBeGreaterThan(0);
  });
});
