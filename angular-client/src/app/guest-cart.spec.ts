import { TestBed } from '@angular/core/testing';
import {
  GuestCartStore, MAX_LINES, MAX_QUANTITY_PER_LINE, STORAGE_KEY, addToGuestCart, addedMessage, readGuestCart,
  removeFromGuestCart, setGuestQuantity, writeGuestCart,
} from './guest-cart';

describe('addToGuestCart', () => {
  it('adds a new line', () => {
    const outcome = addToGuestCart([], 'SKU-000001', 2);
    expect(outcome).toEqual({ lines: [{ sku: 'SKU-000001', quantity: 2 }], added: 2, quantity: 2, limitedBy: undefined });
  });
  it('adds to the line already there, keeping the order of lines', () => {
    const outcome = addToGuestCart([{ sku: 'A-1', quantity: 1 }, { sku: 'B-1', quantity: 3 }], 'A-1', 2);
    expect(outcome.lines).toEqual([{ sku: 'A-1', quantity: 3 }, { sku: 'B-1', quantity: 3 }]);
    expect(outcome.added).toBe(2);
  });
  it('clamps to the per-line limit cart-order states', () => {
    const outcome = addToGuestCart([{ sku: 'A-1', quantity: 8 }], 'A-1', 5);
    expect(outcome).toMatchObject({ added: 2, quantity: MAX_QUANTITY_PER_LINE, limitedBy: 'line-limit' });
    const full = addToGuestCart(outcome.lines, 'A-1', 1);
    expect(full).toMatchObject({ added: 0, quantity: MAX_QUANTITY_PER_LINE, limitedBy: 'line-limit' });
    expect(full.lines).toBe(outcome.lines);
  });
  it('clamps to the units left when the catalog says how many', () => {
    expect(addToGuestCart([{ sku: 'A-1', quantity: 1 }], 'A-1', 5, 3)).toMatchObject({ added: 2, quantity: 3, limitedBy: 'stock' });
    expect(addToGuestCart([], 'A-1', 1, 0)).toMatchObject({ added: 0, quantity: 0, limitedBy: 'stock', lines: [] });
  });
  it('never lowers a line when fewer units are left than it holds', () => {
    expect(addToGuestCart([{ sku: 'A-1', quantity: 5 }], 'A-1', 1, 2)).toMatchObject({ added: 0, quantity: 5 });
  });
  it('refuses a new line past the line limit, but still adds to a line there', () => {
    const lines = Array.from({ length: MAX_LINES }, (_, i) => ({ sku: `SKU-${i}00`, quantity: 1 }));
    expect(addToGuestCart(lines, 'NEW-1', 1)).toMatchObject({ added: 0, limitedBy: 'too-many-lines' });
    expect(addToGuestCart(lines, 'SKU-000', 1).added).toBe(1);
  });
});

describe('setGuestQuantity and removeFromGuestCart', () => {
  const lines = [{ sku: 'A-1', quantity: 1 }, { sku: 'B-1', quantity: 3 }];
  it('sets a quantity within 1 and the per-line limit', () => {
    expect(setGuestQuantity(lines, 'B-1', 7)).toEqual([{ sku: 'A-1', quantity: 1 }, { sku: 'B-1', quantity: 7 }]);
    expect(setGuestQuantity(lines, 'B-1', 99)[1].quantity).toBe(MAX_QUANTITY_PER_LINE);
    expect(setGuestQuantity(lines, 'B-1', 0)[1].quantity).toBe(1);
  });
  it('removes one line', () => {
    expect(removeFromGuestCart(lines, 'A-1')).toEqual([{ sku: 'B-1', quantity: 3 }]);
    expect(removeFromGuestCart(lines, 'C-1')).toEqual(lines);
  });
});

describe('the stored guest cart', () => {
  it('is the body of POST /api/cart/merge', () => {
    const stored = writeGuestCart([{ sku: 'A-1', quantity: 2, extra: 'x' } as never]);
    expect(JSON.parse(stored)).toEqual({ lines: [{ sku: 'A-1', quantity: 2 }] });
    expect(readGuestCart(stored)).toEqual([{ sku: 'A-1', quantity: 2 }]);
  });
  it('reads nothing from what is not the stored shape', () => {
    for (const stored of [null, '', '{', 'null', '42', '"x"', '[]', '{"lines":{}}', '{"lines":null}']) {
      expect(readGuestCart(stored)).toEqual([]);
    }
  });
  it('keeps the lines it can read and drops the others', () => {
    const stored = JSON.stringify({
      lines: [
        { sku: 'A-1', quantity: 2 }, null, 7, { sku: 'lower-case', quantity: 1 }, { sku: 'B-1', quantity: '3' },
        { sku: 'C-1', quantity: 0 }, { sku: 'D-1', quantity: 2.7 }, { sku: 'E-1', quantity: 500 }, { sku: 'A-1', quantity: 9 },
        { sku: 'F-1', quantity: Number.MAX_VALUE },
      ],
    });
    expect(readGuestCart(stored)).toEqual([
      { sku: 'A-1', quantity: 2 }, { sku: 'D-1', quantity: 2 }, { sku: 'E-1', quantity: MAX_QUANTITY_PER_LINE },
      { sku: 'F-1', quantity: MAX_QUANTITY_PER_LINE },
    ]);
  });
});

describe('GuestCartStore', () => {
  beforeEach(() => localStorage.clear());

  it('keeps its lines in localStorage and counts the units', () => {
    const store = TestBed.inject(GuestCartStore);
    store.add('A-1', 2);
    store.add('B-1', 1);
    expect(store.count()).toBe(3);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).toEqual({ lines: [{ sku: 'A-1', quantity: 2 }, { sku: 'B-1', quantity: 1 }] });
    store.remove('A-1');
    store.remove('B-1');
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('starts from what was stored, and from nothing when that is corrupted', () => {
    localStorage.setItem(STORAGE_KEY, writeGuestCart([{ sku: 'A-1', quantity: 4 }]));
    expect(TestBed.inject(GuestCartStore).count()).toBe(4);
    TestBed.resetTestingModule();
    localStorage.setItem(STORAGE_KEY, '{"lines": [{"sku": "A-1", "quan');
    const store = TestBed.inject(GuestCartStore);
    expect(store.lines()).toEqual([]);
    store.add('B-1', 1);
    expect(readGuestCart(localStorage.getItem(STORAGE_KEY))).toEqual([{ sku: 'B-1', quantity: 1 }]);
  });

  it('takes another tab’s change', () => {
    const store = TestBed.inject(GuestCartStore);
    dispatchEvent(new StorageEvent('storage', { key: STORAGE_KEY, newValue: writeGuestCart([{ sku: 'Z-1', quantity: 2 }]) }));
    expect(store.lines()).toEqual([{ sku: 'Z-1', quantity: 2 }]);
  });

  it('still works when storage refuses writes', () => {
    const store = TestBed.inject(GuestCartStore);
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => { throw new DOMException('full', 'QuotaExceededError'); });
    try {
      expect(store.add('A-1', 1).added).toBe(1);
      expect(store.count()).toBe(1);
    } finally {
      setItem.mockRestore();
    }
  });
});

describe('addedMessage', () => {
  it('says what was added and why fewer', () => {
    expect(addedMessage({ added: 2, quantity: 2 }, 'Mug')).toBe('Added 2 × Mug to your cart.');
    expect(addedMessage({ added: 1, quantity: 3, limitedBy: 'stock' }, 'Mug'))
      .toBe('Added 1 × Mug to your cart. You now have 3 (only 3 are left).');
    expect(addedMessage({ added: 0, quantity: 1, limitedBy: 'stock' }, 'Mug')).toBe('You already have 1 × Mug in your cart (only 1 is left).');
    expect(addedMessage({ added: 0, quantity: 10, limitedBy: 'line-limit' }, 'Mug'))
      .toBe('You already have 10 × Mug in your cart (10 is the most one order can hold).');
    expect(addedMessage({ added: 0, quantity: 0, limitedBy: 'too-many-lines' }, 'Mug')).toContain('at most 50 different products');
  });
});
