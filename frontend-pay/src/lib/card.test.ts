import { describe, expect, it } from 'vitest';
import {
  checkCvc,
  checkExpiry,
  checkName,
  checkNumber,
  cvcLength,
  detectBrand,
  formatCardNumber,
  formatExpiry,
  luhnValid,
  parseExpiry,
} from './card';

describe('luhnValid', () => {
  it.each([
    ['4242424242424242', true],
    ['4242 4242 4242 4242', true],
    ['5555555555554444', true],
    ['378282246310005', true],
    ['9891000000000003', true],
    ['4000000000000002', true],
    ['4000008400001629', true],
    ['4242424242424241', false],
    ['1234567812345678', false],
    ['', false],
  ])('%s → %s', (number, want) => {
    expect(luhnValid(number)).toBe(want);
  });
});

describe('detectBrand', () => {
  it.each([
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['378282246310005', 'amex'],
    ['341111111111111', 'amex'],
    ['9891000000000003', 'dinacard'],
    ['6011111111111117', 'discover'],
    ['3530111333300000', 'jcb'],
    ['36227206271667', 'diners'],
    ['6200000000000005', 'unionpay'],
    ['4', 'visa'],
    ['', 'unknown'],
    ['1234', 'unknown'],
  ])('%s is %s', (number, want) => {
    expect(detectBrand(number)).toBe(want);
  });
});

describe('formatCardNumber', () => {
  it.each([
    ['4242424242424242', '4242 4242 4242 4242'],
    ['42424', '4242 4'],
    ['4242-4242 4242x4242', '4242 4242 4242 4242'],
    ['378282246310005', '3782 822463 10005'],
    ['3782822463100059999', '3782 822463 10005'],
    ['9891000000000003', '9891 0000 0000 0003'],
    ['', ''],
  ])('%s → %s', (input, want) => {
    expect(formatCardNumber(input)).toBe(want);
  });
});

describe('checkNumber', () => {
  it.each([
    ['', false, null],
    ['', true, 'required'],
    ['4242', false, null],
    ['4242', true, 'incomplete'],
    ['4242424242424242', false, null],
    ['4242424242424241', false, 'invalid'],
    ['4242424242424241', true, 'invalid'],
    ['37828224631000', true, 'incomplete'],
    ['378282246310005', true, null],
  ] as const)('%s (final %s) → %s', (number, final, want) => {
    expect(checkNumber(number, final)).toBe(want);
  });
});

describe('expiry', () => {
  const now = new Date(2026, 10, 25); // 25 November 2026

  it.each([
    ['1', '1'],
    ['2', '02'],
    ['13', '01/3'],
    ['0126', '01/26'],
    ['01/26', '01/26'],
    ['01/2029', '01/29'],
    ['1/2029', '01/29'],
    ['12345', '12/34'],
  ])('formatExpiry(%s) → %s', (input, want) => {
    expect(formatExpiry(input)).toBe(want);
  });

  it.each([
    ['08/29', { month: 8, year: 2029 }],
    ['8/2029', { month: 8, year: 2029 }],
    ['13/29', null],
    ['00/29', null],
    ['0829', null],
  ])('parseExpiry(%s)', (input, want) => {
    expect(parseExpiry(input)).toEqual(want);
  });

  it.each([
    ['', false, null],
    ['', true, 'required'],
    ['1', false, null],
    ['1', true, 'invalid'],
    ['11/26', true, null], // valid through the end of this month
    ['10/26', true, 'past'],
    ['12/25', true, 'past'],
    ['01/27', true, null],
    ['13/27', true, 'invalid'],
    ['01/99', true, 'too_far'],
  ] as const)('checkExpiry(%s, final %s) → %s', (input, final, want) => {
    expect(checkExpiry(input, final, now)).toBe(want);
  });
});

describe('CVC', () => {
  it('is 4 digits for American Express and 3 otherwise', () => {
    expect(cvcLength('amex')).toBe(4);
    expect(cvcLength('visa')).toBe(3);
    expect(cvcLength('dinacard')).toBe(3);
    expect(cvcLength('unknown')).toBe(3);
  });

  it.each([
    ['', 'visa', true, 'required'],
    ['', 'visa', false, null],
    ['12', 'visa', false, null],
    ['12', 'visa', true, 'invalid'],
    ['123', 'visa', true, null],
    ['1234', 'visa', true, 'invalid'],
    ['123', 'amex', true, 'invalid'],
    ['1234', 'amex', true, null],
    ['12a', 'visa', false, 'invalid'],
  ] as const)('checkCvc(%s, %s, final %s) → %s', (cvc, brand, final, want) => {
    expect(checkCvc(cvc, brand, final)).toBe(want);
  });
});

describe('checkName', () => {
  it('requires a name once final', () => {
    expect(checkName('  ', true)).toBe('required');
    expect(checkName('', false)).toBeNull();
    expect(checkName('Ana Anić', true)).toBeNull();
  });
});
