import { describe, expect, it } from 'vitest';
import { includedVat, lineTotal } from './lines';

describe('line arithmetic', () => {
  it('multiplies integers exactly', () => {
    expect(lineTotal(3, 33333)).toBe(99999);
  });
  it('extracts VAT from a VAT-inclusive total, rounding half up', () => {
    expect(includedVat(12000, 20)).toBe(2000);
    expect(includedVat(1100, 10)).toBe(100);
    expect(includedVat(1000, 0)).toBe(0);
    expect(includedVat(1, 20)).toBe(0);
    expect(includedVat(3, 20)).toBe(1);
  });
});
