import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Money, Problem, formatPrice, toProblem } from './catalog';
import { LiveStatusView } from './live-status';
import { OrderEvents } from './order-events';
import { OrderView, currentStatus, formatTime, shortId, statusText } from './orders';
import { OrdersApi } from './orders.service';
import { ProblemView } from './problem-view';
import { retryWhenUnavailable } from './unavailable';

/** One of the sizes cart-order keeps copies of (`surge.copies.cached-page-sizes`). */
const PAGE_SIZE = 10;

type Load = { state: 'loading' } | { state: 'ok'; items: OrderView[]; total: number } | { state: 'error'; problem: Problem };

@Component({
  selector: 'app-orders-page',
  imports: [LiveStatusView, ProblemView, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>My orders</h1>
    <app-live-status />
    <section [attr.aria-busy]="load().state === 'loading'">
      @switch (load().state) {
        @case ('loading') { <p>Loading your orders…</p> }
        @case ('error') {
          <app-problem [problem]="problem()!" />
          <button type="button" (click)="attempt.set(attempt() + 1)">Try again</button>
        }
        @case ('ok') {
          <ul class="order-list">
            @for (o of orders(); track o.id) {
              <li>
                <a [routerLink]="['/orders', o.id]">Order {{ short(o.id) }}</a>
                <span>{{ time(o.placedAt) }}</span>
                <span>{{ o.lines.length }} {{ o.lines.length === 1 ? 'product' : 'products' }} · {{ price(o.total) }}</span>
                <span class="order-status">{{ status(o) }}</span>
              </li>
            } @empty {
              <li>You have not ordered anything yet. <a routerLink="/">Browse the products</a>.</li>
            }
          </ul>
          @if (pages() > 1) {
            <nav aria-label="Pages of orders" class="pager">
              <button type="button" [disabled]="page() === 0" (click)="page.set(page() - 1)">Newer</button>
              <span>Page {{ page() + 1 }} of {{ pages() }}</span>
              <button type="button" [disabled]="page() + 1 >= pages()" (click)="page.set(page() + 1)">Older</button>
            </nav>
          }
        }
      }
    </section>
  `,
})
export default class OrdersPage {
  private readonly api = inject(OrdersApi);
  private readonly events = inject(OrderEvents);
  protected readonly load = signal<Load>({ state: 'loading' });
  protected readonly page = signal(0);
  protected readonly attempt = signal(0);

  protected readonly orders = computed(() => { const l = this.load(); return l.state === 'ok' ? l.items : []; });
  protected readonly problem = computed(() => { const l = this.load(); return l.state === 'error' ? l.problem : undefined; });
  protected readonly pages = computed(() => { const l = this.load(); return l.state === 'ok' ? Math.ceil(l.total / PAGE_SIZE) : 0; });

  /** Orders the stream told of before the list had them, each one refetched for once. */
  private readonly fetchedFor = new Set<string>();

  constructor() {
    this.events.connect();
    // an order placed after the list was read (in another tab, say): the stream knows it, so read the
    // first page again; older orders the stream also knows (those on later pages) do not count
    effect(() => {
      const load = this.load();
      const live = this.events.all();
      if (load.state !== 'ok' || untracked(this.page) !== 0) return;
      const listed = new Set(load.items.map((o) => o.id));
      const newest = load.items.length ? Date.parse(load.items[0].placedAt) : Number.NEGATIVE_INFINITY;
      const placedSince = [...live.values()].filter((o) => !listed.has(o.orderId) && !this.fetchedFor.has(o.orderId)
        && Date.parse(o.placedAt) > newest);
      if (placedSince.length === 0) return;
      placedSince.forEach((o) => this.fetchedFor.add(o.orderId));
      this.attempt.update((n) => n + 1);
    });
    effect((onCleanup) => {
      const page = this.page();
      this.attempt();
      this.events.resyncs();
      this.load.set({ state: 'loading' });
      const request = this.api.orders(page, PAGE_SIZE).pipe(
        retryWhenUnavailable((problem) => this.load.set({ state: 'error', problem })),
      ).subscribe({
        next: (answer) => this.load.set({ state: 'ok', items: answer.items, total: answer.total }),
        error: (e) => this.load.set({ state: 'error', problem: toProblem(e) }),
      });
      onCleanup(() => request.unsubscribe());
    });
  }

  /** The live status when the stream knows a newer one. */
  protected status(order: OrderView): string {
    return statusText(currentStatus(order, this.events.all().get(order.id)));
  }

  protected price(money: Money): string { return formatPrice(money); }
  protected time(iso: string): string { return formatTime(iso); }
  protected short(id: string): string { return shortId(id); }
}
