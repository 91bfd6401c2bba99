import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { addressText } from './account';
import { Money, Problem, formatPrice, toProblem } from './catalog';
import { LiveStatusView } from './live-status';
import { OrderEvents } from './order-events';
import {
  IdempotentAttempts, OrderView, PAYMENT_METHODS, cancellable, currentStatus, formatTime, latestFailure,
  paymentFailureText, placedOrderOf, shortId, statusText, statusTimes, timelineSteps,
} from './orders';
import { OrdersApi, resendWithSameKey } from './orders.service';
import { ProblemView } from './problem-view';
import { retryWhenUnavailable } from './unavailable';

type Load = { state: 'loading' } | { state: 'ok'; order: OrderView } | { state: 'error'; problem: Problem };

@Component({
  selector: 'app-order-page',
  imports: [LiveStatusView, ProblemView, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p><a routerLink="/orders">My orders</a></p>
    @switch (load().state) {
      @case ('loading') { <p>Loading your order…</p> }
      @case ('error') {
        <app-problem [problem]="loadProblem()!" />
        <button type="button" (click)="reload()">Try again</button>
      }
      @case ('ok') {
        @let o = order()!;
        <h1>Order {{ short(o.id) }}</h1>
        @if (justPlaced()) {
          <div class="notice order-placed" role="status">
            <p><strong>Thank you — your order is placed.</strong> Its status below updates by itself.</p>
          </div>
        }
        <p>Placed {{ time(o.placedAt) }}</p>
        <app-live-status />
        <section aria-labelledby="status-heading">
          <h2 id="status-heading">Status: <span class="order-status">{{ statusLabel() }}</span></h2>
          <ol class="timeline">
            @for (step of steps(); track step.status) {
              <li [class.done]="step.done" [attr.aria-current]="step.current ? 'step' : null">
                <span class="visually-hidden">{{ step.done ? 'Done:' : 'Not yet:' }}</span>
                {{ step.label }} @if (step.at) { <small>{{ time(step.at) }}</small> }
              </li>
            }
          </ol>
          @if (tracking(); as t) { <p>Sent with {{ t.carrier }}, tracking number <strong>{{ t.trackingNumber }}</strong>.</p> }
          @if (status() === 'CANCELLED') {
            <p class="note">This order was cancelled.@if (live()?.refund; as r) { {{ price(r.amount) }} was paid back. }</p>
          }
          @if (status() === 'PAYMENT_FAILED') {
            <div class="problem" role="alert">
              <strong>Payment failed</strong>
              <p>{{ failureText() }} Your order is kept: pay with another method, or cancel it.</p>
            </div>
            <form class="retry-payment" (submit)="$event.preventDefault(); payAgain()">
              <label for="retry-method">Pay with
                <select id="retry-method" (change)="method.set($any($event.target).value)">
                  @for (m of methods; track m.token) { <option [value]="m.token" [selected]="m.token === method()">{{ m.name }}</option> }
                </select>
              </label>
              <button type="submit" [disabled]="acting()">Retry with this payment method</button>
            </form>
          }
          @if (status() === 'PENDING_PAYMENT') { <p>We are waiting for the payment to go through; this page updates by itself.</p> }
          <p role="status" class="status">{{ actionStatus() }}</p>
          @if (actionProblem(); as p) { <app-problem [problem]="p" /> }
          @if (canCancel()) {
            @if (confirming()) {
              <p>Cancel this order? Anything paid is refunded.</p>
              <button type="button" [disabled]="acting()" (click)="cancel()">Yes, cancel the order</button>
              <button type="button" (click)="confirming.set(false)">Keep the order</button>
            } @else {
              <button type="button" (click)="confirming.set(true)">Cancel order</button>
            }
          }
        </section>
        <section aria-labelledby="lines-heading">
          <h2 id="lines-heading">Items</h2>
          <ul class="summary-lines">
            @for (line of o.lines; track line.sku) {
              <li><span><a [routerLink]="['/products', line.sku]">{{ line.name }}</a> × {{ line.quantity }}</span> <span>{{ price(line.lineTotal) }}</span></li>
            }
          </ul>
          <dl class="totals">
            <dt>Items</dt><dd>{{ price(o.subtotal) }}</dd>
            <dt>Shipping</dt><dd>{{ price(o.shipping) }}</dd>
            <dt>Total</dt><dd><strong>{{ price(o.total) }}</strong></dd>
            <dt>Included VAT</dt><dd>{{ price(o.tax) }}</dd>
          </dl>
        </section>
        <section aria-labelledby="address-heading">
          <h2 id="address-heading">Delivery address</h2>
          <p>{{ address(o) }}</p>
        </section>
      }
    }
  `,
})
export default class OrderPage {
  private readonly api = inject(OrdersApi);
  private readonly events = inject(OrderEvents);
  private readonly attempts = new IdempotentAttempts();
  /** The order checkout placed and opened this page for, read from the navigation that created the page. */
  private readonly placedHere = placedOrderOf(inject(Router).currentNavigation());
  /** From the route's `:id`. */
  readonly id = input.required<string>();

  protected readonly methods = PAYMENT_METHODS;
  protected readonly load = signal<Load>({ state: 'loading' });
  private readonly attempt = signal(0);
  protected readonly live = this.events.order(() => this.id());
  protected readonly method = signal(PAYMENT_METHODS[0].token);
  protected readonly acting = signal(false);
  protected readonly confirming = signal(false);
  protected readonly actionStatus = signal('');
  protected readonly actionProblem = signal<Problem | undefined>(undefined);

  protected readonly order = computed(() => { const l = this.load(); return l.state === 'ok' ? l.order : undefined; });
  protected readonly loadProblem = computed(() => { const l = this.load(); return l.state === 'error' ? l.problem : undefined; });
  protected readonly status = computed(() => { const o = this.order(); return o ? currentStatus(o, this.live()) : undefined; });
  protected readonly statusLabel = computed(() => { const s = this.status(); return s ? statusText(s) : ''; });
  protected readonly steps = computed(() => {
    const s = this.status();
    return s ? timelineSteps(s, statusTimes(this.order(), this.live())) : [];
  });
  protected readonly tracking = computed(() => this.live()?.shipment ?? undefined);
  protected readonly failureText = computed(() =>
    paymentFailureText(latestFailure(this.order(), this.live()), this.live()?.paymentFailure?.message));
  /** Arrived here straight from checkout, which just placed this order. */
  protected readonly justPlaced = computed(() => this.placedHere !== undefined && this.placedHere === this.id());
  protected readonly canCancel = computed(() => { const s = this.status(); return !!s && cancellable(s); });

  constructor() {
    this.events.connect();
    effect((onCleanup) => {
      const id = this.id();
      this.attempt();
      // a fresh snapshot after a gap: what was read may have missed a change
      this.events.resyncs();
      untracked(() => { if (this.load().state !== 'ok') this.load.set({ state: 'loading' }); });
      const request = this.api.order(id).pipe(
        retryWhenUnavailable((problem) => this.load.set({ state: 'error', problem })),
      ).subscribe({
        next: (order) => { this.load.set({ state: 'ok', order }); document.title = `Order ${shortId(order.id)} · Surge shop`; },
        error: (e) => this.load.set({ state: 'error', problem: toProblem(e) }),
      });
      onCleanup(() => request.unsubscribe());
    });
  }

  protected reload(): void {
    this.attempt.update((n) => n + 1);
  }

  protected cancel(): void {
    const order = this.order();
    if (!order || this.acting()) return;
    this.act('Cancelling…', this.api.cancel(order.id), 'Your order is cancelled.');
  }

  /** `POST /api/orders/{id}/payment`, one key per order and method, resent with it after a lost answer. */
  protected payAgain(): void {
    const order = this.order();
    if (!order || this.acting()) return;
    const key = this.attempts.keyFor({ order: order.id, paymentMethod: this.method() });
    this.act('Paying again…', this.api.retryPayment(order.id, this.method(), key).pipe(
      resendWithSameKey((seconds) => this.actionStatus.set(`Still paying: trying again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}…`)),
    ), 'Payment sent again: this page shows when it goes through.');
  }

  private act(doing: string, request: ReturnType<OrdersApi['cancel']>, done: string): void {
    this.acting.set(true);
    this.actionProblem.set(undefined);
    this.actionStatus.set(doing);
    request.subscribe({
      next: (order) => {
        this.acting.set(false);
        this.confirming.set(false);
        this.actionStatus.set(done);
        this.load.set({ state: 'ok', order });
      },
      error: (e) => { this.acting.set(false); this.actionStatus.set(''); this.actionProblem.set(toProblem(e)); },
    });
  }

  protected price(money: Money): string { return formatPrice(money); }
  protected time(iso: string): string { return formatTime(iso); }
  protected short(id: string): string { return shortId(id); }
  protected address(order: OrderView): string { return addressText(order.shipTo); }
}
