import { skuOf } from './nav';

describe('skuOf', () => {
  it('reads the sku of a details path', () => {
    expect(skuOf('/products/TSHIRT-01')).toBe('TSHIRT-01');
    expect(skuOf('/products/A%2FB/')).toBe('A/B');
  });
  it('is undefined for the grid and other paths', () => {
    expect(skuOf('/')).toBeUndefined();
    expect(skuOf('/products/')).toBeUndefined();
    expect(skuOf('/products/a/reviews')).toBeUndefined();
  });
});
