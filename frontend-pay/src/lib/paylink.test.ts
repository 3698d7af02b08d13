import { beforeAll, describe, expect, it } from 'vitest';
import { setCurrencies } from '@shared/money';
import {
  amountRange,
  availabilityOfError,
  clampQuantity,
  collectedFields,
  fieldOfParam,
  fixedTotals,
  initialAmount,
  lineVAT,
  linkTokenFromPath,
  orderBody,
  quantityRange,
  readAmount,
  readQuantity,
  scaledLines,
  validate,
  validPhone,
  type LinkCheckout,
  type LinkForm,
} from './paylink';
import { LINK_TEXTS, linkEn, linkText } from './linktexts';
import { LANGS } from './i18n';

// The server's table, as GET /currencies publishes it: RSD and EUR with 2 decimals, JPY with none.
beforeAll(() =>
  setCurrencies([
    { code: 'RSD', exponent: 2, name: 'Serbian dinar' },
    { code: 'EUR', exponent: 2, name: 'Euro' },
    { code: 'JPY', exponent: 0, name: 'Yen' },
  ]),
);

const fixed: LinkCheckout = {
  title: 'Yoga class',
  currency: 'RSD',
  pricing: 'fixed',
  lines: [
    { description: 'Class', quantity: 1, unit_amount: 150000, vat_rate: 20, amount_total: 150000, amount_vat: 25000 },
    { description: 'Mat', quantity: 2, unit_amount: 10001, vat_rate: 10, amount_total: 20002, amount_vat: 1818 },
  ],
  adjustable_quantity: { enabled: true, min: 1, max: 10 },
  collect: { name: true, email: true, phone: false, address: false },
  custom_fields: [{ key: 'size', label: 'T-shirt size', required: true }],
  availability: 'open',
  livemode: false,
};

const custom: LinkCheckout = {
  title: 'Donation',
  currency: 'RSD',
  pricing: 'custom',
  amount_min: 100000,
  amount_max: 5000000,
  amount_suggested: 250000,
  collect: { email: true, phone: true, address: true },
  custom_fields: [{ key: 'note', label: 'Note', required: false }],
  availability: 'open',
  livemode: false,
};

const form = (over: Partial<LinkForm> = {}): LinkForm => ({
  quantity: 1,
  amount: '',
  name: 'Ana Anić',
  email: 'ana@example.com',
  phone: '',
  address: '',
  custom: {},
  ...over,
});

describe('quantity', () => {
  it('is adjustable only on a fixed link that enables it', () => {
    expect(quantityRange(fixed)).toEqual({ min: 1, max: 10 });
    expect(quantityRange({ ...fixed, adjustable_quantity: null })).toBeNull();
    expect(quantityRange({ ...fixed, adjustable_quantity: { enabled: false, min: 1, max: 5 } })).toBeNull();
    expect(quantityRange({ ...custom, adjustable_quantity: { enabled: true, min: 1, max: 5 } })).toBeNull();
    // A maximum below the minimum is read as the minimum.
    expect(quantityRange({ ...fixed, adjustable_quantity: { enabled: true, min: 3, max: 2 } })).toEqual({ min: 3, max: 3 });
  });

  it('stays within the limits and whole', () => {
    const r = { min: 2, max: 5 };
    expect(clampQuantity(0, r)).toBe(2);
    expect(clampQuantity(9, r)).toBe(5);
    expect(clampQuantity(3.7, r)).toBe(3);
    expect(clampQuantity(Number.NaN, r)).toBe(2);
    expect(clampQuantity(7, null)).toBe(1);
  });

  it('reads digits only', () => {
    expect(readQuantity(' 4 ')).toBe(4);
    expect(readQuantity('')).toBeNull();
    expect(readQuantity('2.5')).toBeNull();
    expect(readQuantity('-1')).toBeNull();
    expect(readQuantity('1e3')).toBeNull();
  });

  it('multiplies the lines, and the total and VAT follow as the server rounds them', () => {
    const lines = scaledLines(fixed, 3);
    expect(lines.map((l) => l.quantity)).toEqual([3, 6]);
    expect(lines.map((l) => l.amount_total)).toEqual([450000, 60006]);
    expect(lines.map((l) => l.amount_vat)).toEqual([75000, 5455]);
    expect(fixedTotals(fixed, 3)).toEqual({ total: 510006, vat: 80455 });
    expect(fixedTotals(fixed, 1)).toEqual({ total: 170002, vat: 26818 });
    // Without an adjustable quantity the lines stay as they are.
    expect(fixedTotals({ ...fixed, adjustable_quantity: null }, 4).total).toBe(170002);
  });

  it('rounds VAT half up, with fractional rates', () => {
    expect(lineVAT(120000, 20)).toBe(20000);
    expect(lineVAT(100, 20)).toBe(17); // 16.67
    expect(lineVAT(7, 20)).toBe(1); // 1.1666…
    expect(lineVAT(1000, 0)).toBe(0);
    expect(lineVAT(10000, 10.5)).toBe(950); // 950.22
  });
});

describe('chosen amount', () => {
  it('is bounded by the link', () => {
    expect(amountRange(custom)).toEqual({ min: 100000, max: 5000000 });
    expect(amountRange({ ...custom, amount_min: 0, amount_max: undefined })).toEqual({ min: 1, max: 1 });
  });

  it('starts at the suggested amount when it lies within the bounds', () => {
    expect(initialAmount(custom)).toBe(250000);
    expect(initialAmount({ ...custom, amount_suggested: 0 })).toBeNull();
    expect(initialAmount({ ...custom, amount_suggested: 50 })).toBeNull();
  });

  it.each([
    ['2500', ',', 250000],
    ['2.500,50', ',', 250050],
    ['2500,5', ',', 250050],
    ['2,500.50', '.', 250050],
    ['1000', '.', 100000],
    ['50000', ',', 5000000],
  ] as const)('reads %s with %s as the decimal mark', (text, mark, minor) => {
    expect(readAmount(text, custom, mark)).toEqual({ ok: true, minor });
  });

  it.each([
    ['', ',', { kind: 'required' }],
    ['abc', ',', { kind: 'invalid' }],
    ['1.2.3,4', ',', { kind: 'invalid' }],
    ['2500,555', ',', { kind: 'decimals' }],
    ['999,99', ',', { kind: 'range', min: 100000, max: 5000000 }],
    ['50000,01', ',', { kind: 'range', min: 100000, max: 5000000 }],
    ['99999999999999', ',', { kind: 'range', min: 100000, max: 5000000 }],
  ] as const)('refuses %j', (text, mark, problem) => {
    expect(readAmount(text, custom, mark)).toEqual({ ok: false, problem });
  });

  it('takes its decimals from the currency table, not from a table of its own', () => {
    const yen: LinkCheckout = { ...custom, currency: 'JPY', amount_min: 500, amount_max: 10000 };
    expect(readAmount('1000', yen, '.')).toEqual({ ok: true, minor: 1000 });
    expect(readAmount('1000.5', yen, '.')).toEqual({ ok: false, problem: { kind: 'decimals' } });
  });
});

describe('fields', () => {
  it('lists what the link collects, e-mail always, then its own fields', () => {
    expect(collectedFields(fixed)).toEqual(['customer.name', 'customer.email', 'custom_fields.size']);
    expect(collectedFields(custom)).toEqual(['customer.email', 'customer.phone', 'customer.address', 'custom_fields.note']);
    expect(collectedFields({ ...custom, collect: null, custom_fields: null })).toEqual(['customer.email']);
  });

  it('checks phone numbers as the API does', () => {
    expect(validPhone('+381 64 123 4567')).toBe(true);
    expect(validPhone('(011) 123-456')).toBe(true);
    expect(validPhone('12345')).toBe(false);
    expect(validPhone('1+2345678')).toBe(false);
    expect(validPhone('064 123 456a')).toBe(false);
    expect(validPhone('1234567890123456')).toBe(false);
  });

  it('accepts a complete form', () => {
    expect(validate(fixed, form({ quantity: 3, custom: { size: 'M' } }), ',')).toEqual({});
    expect(validate(custom, form({ amount: '2500', phone: '064 123 4567', address: 'Knez Mihailova 1' }), ',')).toEqual({});
  });

  it('names every missing or wrong field', () => {
    expect(validate(fixed, form({ quantity: 11, name: ' ', email: 'ana@', custom: { size: '' } }), ',')).toEqual({
      quantity: { kind: 'range', min: 1, max: 10 },
      'customer.name': { kind: 'required' },
      'customer.email': { kind: 'invalid' },
      'custom_fields.size': { kind: 'required' },
    });
    expect(validate(custom, form({ amount: '10', email: '', phone: '12', address: '' }), ',')).toEqual({
      amount: { kind: 'range', min: 100000, max: 5000000 },
      'customer.email': { kind: 'required' },
      'customer.phone': { kind: 'invalid' },
      'customer.address': { kind: 'required' },
    });
    expect(validate(fixed, form({ quantity: Number.NaN, custom: { size: 'L' } }), ',')).toEqual({
      quantity: { kind: 'range', min: 1, max: 10 },
    });
  });

  it('leaves optional fields empty', () => {
    expect(validate(custom, form({ amount: '1000', phone: '064 123 4567', address: 'Kralja Petra 2', custom: { note: '' } }), ',')).toEqual({});
  });
});

describe('order body', () => {
  it('carries the quantity, the fields the link collects and its own fields, trimmed', () => {
    const body = orderBody(
      fixed,
      form({ quantity: 3, name: '  Ana Anić ', email: ' ana@example.com ', phone: '064', custom: { size: ' M ', other: 'x' } }),
      ',',
      'sr-Cyrl',
    );
    expect(body).toEqual({
      quantity: 3,
      customer: { name: 'Ana Anić', email: 'ana@example.com' },
      custom_fields: { size: 'M' },
      locale: 'sr-Cyrl',
    });
  });

  it('carries the chosen amount in minor units and no quantity', () => {
    const body = orderBody(custom, form({ amount: '2.500,50', phone: '064 123 4567', address: 'Knez Mihailova 1' }), ',', 'sr-Latn');
    expect(body).toEqual({
      amount: 250050,
      customer: { email: 'ana@example.com', phone: '064 123 4567', address: 'Knez Mihailova 1' },
      locale: 'sr-Latn',
    });
  });

  it('sends no quantity when the link does not let the payer choose one', () => {
    const body = orderBody({ ...fixed, adjustable_quantity: null }, form({ quantity: 5, custom: { size: 'S' } }), '.', 'en');
    expect(body.quantity).toBeUndefined();
  });
});

describe('answers', () => {
  it('maps a 400 naming a field to the field shown', () => {
    expect(fieldOfParam(fixed, 'customer.email')).toBe('customer.email');
    expect(fieldOfParam(fixed, 'custom_fields.size')).toBe('custom_fields.size');
    expect(fieldOfParam(fixed, 'custom_fields[size]')).toBe('custom_fields.size');
    expect(fieldOfParam(fixed, 'custom_fields["size"]')).toBe('custom_fields.size');
    expect(fieldOfParam(fixed, 'quantity')).toBe('quantity');
    expect(fieldOfParam(custom, 'amount')).toBe('amount');
    // Fields the form does not show are the form's error, not a field's.
    expect(fieldOfParam(fixed, 'amount')).toBeNull();
    expect(fieldOfParam(fixed, 'customer.phone')).toBeNull();
    expect(fieldOfParam(fixed, undefined)).toBeNull();
  });

  it('reads the link refusals', () => {
    expect(availabilityOfError({ status: 409, code: 'link_sold_out' })).toBe('sold_out');
    expect(availabilityOfError({ status: 409, code: 'link_paused' })).toBe('paused');
    expect(availabilityOfError({ status: 409, code: 'link_ended' })).toBe('ended');
    expect(availabilityOfError({ status: 409, code: 'link_expired' })).toBe('expired');
    expect(availabilityOfError({ status: 409, code: 'idempotency_key_in_use' })).toBeNull();
    expect(availabilityOfError({ status: 400, code: 'link_paused' })).toBeNull();
  });

  it('finds the token in the address', () => {
    expect(linkTokenFromPath('/pay/l/abc_DEF-123')).toBe('abc_DEF-123');
    expect(linkTokenFromPath('/pay/l/abc/')).toBe('abc');
    expect(linkTokenFromPath('/pay/abc')).toBe('');
    expect(linkTokenFromPath('/pay/l/')).toBe('');
    expect(linkTokenFromPath('/pay/l/%E0%A4%A')).toBe('');
  });
});

describe('link texts', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const keys = Object.keys(linkEn).sort();

  it.each(LANGS)('%s has every English key, no empty text and the same placeholders', (lang) => {
    expect(Object.keys(LINK_TEXTS[lang]).sort()).toEqual(keys);
    for (const key of keys) {
      const text = LINK_TEXTS[lang][key as keyof typeof linkEn];
      expect(text.trim(), `${lang} ${key}`).not.toBe('');
      expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(linkEn[key as keyof typeof linkEn]));
    }
  });

  it('writes Serbian Cyrillic without Latin letters', () => {
    for (const [key, text] of Object.entries(LINK_TEXTS['sr-Cyrl'])) {
      expect(text.replace(/\{\w+\}/g, ''), key).not.toMatch(/[A-Za-zčćžšđČĆŽŠĐ]/);
    }
  });

  it('fills placeholders in the language asked for', () => {
    expect(linkText('en', 'link.error.required', { field: 'Full name' })).toBe('Fill in “Full name”.');
    expect(linkText('sr-Latn', 'link.error.required', { field: 'Ime i prezime' })).toBe('Popunite polje „Ime i prezime“.');
    expect(linkText('sr-Cyrl', 'link.continue')).toBe('Настави на плаћање');
  });
});
