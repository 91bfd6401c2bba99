import { liveOrder } from '../testing';
import {
  IdempotentAttempts, OrderStatus, OrderView, cancellable, currentStatus, latestFailure, newIdempotencyKey, paymentFailureText,
  placedOrderOf, statusTimes, timelineSteps,
} from './orders';
import type { Navigation } from '@angular/router';

const times = (...pairs: [OrderStatus, string][]) => new Map<OrderStatus, string>(pairs);

describe('the order logic', () => {
  it('fills the timeline up to the status reached, with the times known', () => {
    const steps = timelineSteps('ALLOCATED', times(['PENDING_PAYMENT', 't1'], ['CONFIRMED', 't2']));
    expect(steps.map((s) => [s.label, s.done, s.current, s.at])).toEqual([
      ['Order placed', true, false, 't1'], ['Payment confirmed', true, false, 't2'], ['Packed at the warehouse', true, true, undefined],
      ['Shipped', false, false, undefined], ['Delivered', false, false, undefined],
    ]);
  });

  it('stops a cancelled or failed order where it was, with no step current', () => {
    const cancelled = timelineSteps('CANCELLED', times(['PENDING_PAYMENT', 't1'], ['CONFIRMED', 't2'], ['CANCELLED', 't3']));
    expect(cancelled.filter((s) => s.done).map((s) => s.label)).toEqual(['Order placed', 'Payment confirmed']);
    expect(cancelled.some((s) => s.current)).toBe(false);
    const failed = timelineSteps('PAYMENT_FAILED', times(['PENDING_PAYMENT', 't1']));
    expect(failed.filter((s) => s.done).map((s) => s.label)).toEqual(['Order placed']);
  });

  it('takes the times of the live view where the order read has none', () => {
    const live = liveOrder('A', 'SHIPPED', 4, { confirmedAt: 'c', allocatedAt: 'a', shipment: { carrier: 'DHL', trackingNumber: 'X', at: 's' } });
    const known = statusTimes({ timeline: [{ status: 'PENDING_PAYMENT', at: 'p' }] } as unknown as OrderView, live);
    expect([...known.entries()]).toEqual([['PENDING_PAYMENT', 'p'], ['CONFIRMED', 'c'], ['ALLOCATED', 'a'], ['SHIPPED', 's']]);
  });

  it('shows the live status only when it is newer than the order read', () => {
    expect(currentStatus({ status: 'PENDING_PAYMENT', version: 1 }, liveOrder('A', 'CONFIRMED', 2))).toBe('CONFIRMED');
    expect(currentStatus({ status: 'PENDING_PAYMENT', version: 3 }, liveOrder('A', 'PAYMENT_FAILED', 2))).toBe('PENDING_PAYMENT');
    expect(currentStatus({ status: 'CONFIRMED', version: 2 }, undefined)).toBe('CONFIRMED');
  });

  it('says a failure in plain words, the provider’s words for a code it does not know', () => {
    expect(paymentFailureText('EXPIRED_CARD')).toBe('Your card has expired.');
    expect(paymentFailureText('PAYMENT_TIMEOUT')).toBe('The payment did not complete in time, so nothing was charged.');
    expect(paymentFailureText('LIMIT_EXCEEDED', 'Over your card limit.')).toBe('Over your card limit.');
    expect(paymentFailureText(undefined)).toBe('The payment did not go through.');
    const order = { version: 2, paymentAttempts: [{ failureCode: 'CARD_DECLINED' }], timeline: [] } as unknown as OrderView;
    expect(latestFailure(order, undefined)).toBe('CARD_DECLINED');
    expect(latestFailure(order, liveOrder('A', 'PAYMENT_FAILED', 4, { paymentFailure: { reason: 'INSUFFICIENT_FUNDS', message: null, at: 'x' } })))
      .toBe('INSUFFICIENT_FUNDS');
  });

  it('lets an order be cancelled until it is shipped', () => {
    expect((['PENDING_PAYMENT', 'PAYMENT_FAILED', 'CONFIRMED', 'ALLOCATED'] as const).every(cancellable)).toBe(true);
    expect((['SHIPPED', 'DELIVERED', 'CANCELLED'] as const).some(cancellable)).toBe(false);
  });

  it('takes the placed order from checkout\'s own navigation only, not from a reload or a way back restoring its state', () => {
    const navigation = (trigger: Navigation['trigger'], previous: boolean, state?: Record<string, unknown>) =>
      ({ trigger, previousNavigation: previous ? {} : null, extras: { state } }) as unknown as Navigation;
    expect(placedOrderOf(navigation('imperative', true, { placedOrder: 'ORDER-1' }))).toBe('ORDER-1');
    // the first navigation of a page load (a reload) and back/forward bring the entry's state back
    expect(placedOrderOf(navigation('imperative', false, { placedOrder: 'ORDER-1' }))).toBeUndefined();
    expect(placedOrderOf(navigation('popstate', true, { placedOrder: 'ORDER-1' }))).toBeUndefined();
    expect(placedOrderOf(navigation('imperative', true))).toBeUndefined();
    expect(placedOrderOf(navigation('imperative', true, { placedOrder: 7 }))).toBeUndefined();
    expect(placedOrderOf(null)).toBeUndefined();
  });

  it('keeps one key per request body', () => {
    const attempts = new IdempotentAttempts();
    const first = attempts.keyFor({ addressId: 'a', paymentMethod: 'tok_visa', expectedTotal: { amount: 1, currency: 'EUR' } });
    expect(attempts.keyFor({ addressId: 'a', paymentMethod: 'tok_visa', expectedTotal: { amount: 1, currency: 'EUR' } })).toBe(first);
    const other = attempts.keyFor({ addressId: 'a', paymentMethod: 'tok_visa', expectedTotal: { amount: 2, currency: 'EUR' } });
    expect(other).not.toBe(first);
    expect(new Set(Array.from({ length: 50 }, newIdempotencyKey)).size).toBe(50);
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
