import { GuestPrice, adjustmentText, canBeOrdered, cartAvailabilityText, cartLineNote, guestCartView } from './cart';

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const price = (sku: string, amount: number, availability: GuestPrice['availability'] = 'IN_STOCK', orderable = 10): GuestPrice =>
  ({ sku, name: `Product ${sku}`, imageUrl: `/images/${sku}.webp`, unitPrice: eur(amount), availability, orderable });

describe('guestCartView', () => {
  it('prices the lines in the cart’s order and sums the ones that can be ordered', () => {
    const view = guestCartView(
      [{ sku: 'A-1', quantity: 2 }, { sku: 'B-1', quantity: 3 }, { sku: 'C-1', quantity: 1 }, { sku: 'D-1', quantity: 1 }],
      [price('C-1', 500, 'UNAVAILABLE', 0), price('B-1', 250, 'LOW', 2), price('A-1', 1999)],
    );
    expect(view.lines.map((l) => [l.sku, l.lineTotal.amount])).toEqual([['A-1', 3998], ['B-1', 750], ['C-1', 500]]);
    expect(view.subtotal).toEqual(eur(3998));
    expect(view.itemCount).toBe(7);
    expect(view.unknown).toEqual([{ sku: 'D-1', quantity: 1 }]);
  });
  it('is an empty EUR subtotal without lines', () => {
    expect(guestCartView([], [])).toEqual({ lines: [], itemCount: 0, subtotal: eur(0), unknown: [] });
  });
});

describe('cart lines', () => {
  const line = (availability: GuestPrice['availability'], orderable: number, quantity = 2) =>
    guestCartView([{ sku: 'A-1', quantity }], [price('A-1', 100, availability, orderable)]).lines[0];
  it('can be ordered when on sale with enough units', () => {
    expect(canBeOrdered(line('IN_STOCK', 10))).toBe(true);
    expect(canBeOrdered(line('LOW', 2))).toBe(true);
    expect(canBeOrdered(line('LOW', 1))).toBe(false);
    expect(canBeOrdered(line('UNAVAILABLE', 0))).toBe(false);
  });
  it('say why they are left out', () => {
    expect(cartLineNote(line('IN_STOCK', 10))).toBeUndefined();
    expect(cartLineNote(line('LOW', 1))).toContain('Only 1 can be ordered now');
    expect(cartLineNote(line('OUT_OF_STOCK', 0))).toContain('Out of stock');
    expect(cartLineNote(line('UNAVAILABLE', 0))).toContain('no longer sold');
    expect(cartAvailabilityText(line('LOW', 3))).toBe('Only 3 left');
  });
});

describe('adjustmentText', () => {
  const names = new Map([['MUG-1', 'Blue mug']]);
  it('says each adjustment of a merge', () => {
    expect(adjustmentText({ sku: 'MUG-1', requested: 5, quantity: 2, reason: 'CLAMPED' }, names))
      .toBe('Blue mug: you chose 5, only 2 can be ordered, so your cart has 2.');
    expect(adjustmentText({ sku: 'MUG-1', requested: 14, quantity: 10, reason: 'CLAMPED' }, names))
      .toBe('Blue mug: 10 is the most one order can hold, so your cart has 10.');
    expect(adjustmentText({ sku: 'MUG-1', requested: 1, quantity: 3, reason: 'SOLD_OUT' }, names))
      .toBe('Blue mug: sold out, not added (your cart still has 3).');
    expect(adjustmentText({ sku: 'MUG-1', requested: 1, quantity: 0, reason: 'INACTIVE' }, names)).toBe('Blue mug: no longer sold, not added.');
    expect(adjustmentText({ sku: 'PEN-1', requested: 1, quantity: 0, reason: 'TOO_MANY_LINES' }, names))
      .toBe('A product (PEN-1): your cart holds at most 50 different products, not added.');
    expect(adjustmentText({ sku: null, requested: null, quantity: 0, reason: 'INVALID' }, names))
      .toBe('A line of your earlier cart could not be read, not added.');
  });
});
