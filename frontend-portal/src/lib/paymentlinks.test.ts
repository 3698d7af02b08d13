import { beforeAll, describe, expect, it } from 'vitest';
import { setCurrencies } from '@shared/money';
import { checkEditForm, checkLinkForm, editFieldOf, editFormOf, fieldKey, fixedTotal, formFieldOf, linkActions, localDateTimeValue, priceOf, returnUrlOk, type LinkForm } from './paymentlinks';

// The server's table decides the decimals: RSD 2, JPY 0 here, as GET /currencies would say.
beforeAll(() =>
  setCurrencies([
    { code: 'RSD', exponent: 2, name: 'Serbian dinar' },
    { code: 'EUR', exponent: 2, name: 'Euro' },
    { code: 'JPY', exponent: 0, name: 'Japanese yen' },
  ]),
);

const now = Date.parse('2026-12-02T12:00:00Z');

const form = (over: Partial<LinkForm> = {}): LinkForm => ({
  title: '  Čas joge  ',
  description: '',
  pricing: 'fixed',
  lines: [{ key: 1, description: 'Čas', quantity: '1', price: '1.500,00', vat: '20' }],
  adjustable: false,
  qtyMin: '1',
  qtyMax: '10',
  amountMin: '',
  amountMax: '',
  amountSuggested: '',
  currency: 'RSD',
  locale: 'sr-Latn',
  captureMode: 'automatic',
  maxPayments: '',
  expires: '',
  collectName: true,
  collectPhone: false,
  collectAddress: false,
  customFields: [],
  successUrl: '',
  cancelUrl: '',
  ...over,
});

describe('checkLinkForm: fixed lines', () => {
  it('makes the request body in minor units, with e-mail always collected', () => {
    const { errors, body } = checkLinkForm(form(), ',', now);
    expect(errors).toEqual({});
    expect(body).toEqual({
      title: 'Čas joge',
      currency: 'RSD',
      pricing: 'fixed',
      locale: 'sr-Latn',
      capture_mode: 'automatic',
      lines: [{ description: 'Čas', quantity: 1, unit_amount: 150000, vat_rate: 20 }],
      collect: { name: true, email: true, phone: false, address: false },
      custom_fields: [],
    });
  });

  it('adds the adjustable quantity, the limits and the return addresses', () => {
    const { errors, body } = checkLinkForm(
      form({
        adjustable: true,
        qtyMin: '2',
        qtyMax: '8',
        maxPayments: '50',
        expires: '2026-12-31T18:00',
        successUrl: 'https://shop.example.com/thanks',
        cancelUrl: 'http://localhost:3000/back',
        description: ' Grupni čas ',
      }),
      ',',
      now,
    );
    expect(errors).toEqual({});
    expect(body.adjustable_quantity).toEqual({ enabled: true, min: 2, max: 8 });
    expect(body.max_payments).toBe(50);
    expect(body.expires_at).toBe(new Date('2026-12-31T18:00').toISOString());
    expect(body.success_url).toBe('https://shop.example.com/thanks');
    expect(body.cancel_url).toBe('http://localhost:3000/back');
    expect(body.description).toBe('Grupni čas');
    expect(body.amount_min).toBeUndefined();
  });

  it('marks each bad field by name', () => {
    const { errors } = checkLinkForm(
      form({
        title: ' ',
        lines: [
          { key: 7, description: '', quantity: '0', price: '12,345', vat: '20' },
          { key: 8, description: 'x', quantity: '1', price: 'abc', vat: '10' },
        ],
        adjustable: true,
        qtyMin: '5',
        qtyMax: '3',
        maxPayments: '-1',
        expires: '2026-12-01T10:00',
        successUrl: 'http://shop.example.com/',
      }),
      ',',
      now,
    );
    expect(Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.key]))).toEqual({
      title: 'new.err_required',
      'desc-7': 'new.err_required',
      'qty-7': 'new.err_quantity',
      'price-7': 'new.err_decimals',
      'price-8': 'new.err_amount',
      qtyMax: 'plink.err_max_below_min',
      maxPayments: 'new.err_quantity',
      expires: 'new.err_expiry',
      success_url: 'new.err_url',
    });
    expect(errors['price-7'].vars).toEqual({ n: 2 });
  });

  it('reads amounts by the currency the server names, with the locale’s separator', () => {
    const yen = checkLinkForm(form({ currency: 'JPY', lines: [{ key: 1, description: 'x', quantity: '3', price: '1,500', vat: '0' }] }), '.', now);
    expect(yen.errors).toEqual({});
    expect(yen.body.lines).toEqual([{ description: 'x', quantity: 3, unit_amount: 1500, vat_rate: 0 }]);
    const decimals = checkLinkForm(form({ currency: 'JPY', lines: [{ key: 1, description: 'x', quantity: '1', price: '10.5', vat: '0' }] }), '.', now);
    expect(decimals.errors['price-1']).toEqual({ key: 'new.err_decimals', vars: { n: 0 } });
    const en = checkLinkForm(form({ currency: 'EUR', lines: [{ key: 1, description: 'x', quantity: '1', price: '1,234.56', vat: '20' }] }), '.', now);
    expect(en.body.lines?.[0].unit_amount).toBe(123456);
  });

  it('refuses a zero price and more than the limits allow', () => {
    const { errors } = checkLinkForm(form({ lines: [{ key: 1, description: 'x', quantity: '1', price: '0', vat: '20' }], adjustable: true, qtyMin: '1', qtyMax: '5000' }), ',', now);
    expect(errors['price-1'].key).toBe('new.err_amount');
    expect(errors.qtyMax).toEqual({ key: 'plink.err_qty_max', vars: { n: 1000 } });
    expect(checkLinkForm(form({ title: 'x'.repeat(201) }), ',', now).errors.title.key).toBe('plink.err_too_long');
  });
});

describe('checkLinkForm: the payer chooses the amount', () => {
  it('sends min, max and the suggestion in minor units and no lines', () => {
    const { errors, body } = checkLinkForm(form({ pricing: 'custom', amountMin: '1.000', amountMax: '50.000,00', amountSuggested: '2.500' }), ',', now);
    expect(errors).toEqual({});
    expect(body.amount_min).toBe(100000);
    expect(body.amount_max).toBe(5000000);
    expect(body.amount_suggested).toBe(250000);
    expect(body.lines).toBeUndefined();
    expect(body.adjustable_quantity).toBeUndefined();
  });

  it('leaves the suggestion out when empty', () => {
    const { body } = checkLinkForm(form({ pricing: 'custom', amountMin: '100', amountMax: '200' }), ',', now);
    expect(body.amount_suggested).toBeUndefined();
  });

  it('checks that max is not below min and the suggestion lies between them', () => {
    const a = checkLinkForm(form({ pricing: 'custom', amountMin: '500', amountMax: '100', amountSuggested: '50' }), ',', now).errors;
    expect(a.amountMax.key).toBe('plink.err_max_below_min');
    expect(a.amountSuggested.key).toBe('plink.err_suggested');
    const b = checkLinkForm(form({ pricing: 'custom', amountMin: '', amountMax: '0' }), ',', now).errors;
    expect(b.amountMin.key).toBe('new.err_required');
    expect(b.amountMax.key).toBe('new.err_amount');
  });
});

describe('custom fields', () => {
  it('takes up to three, with keys made from the labels when none is typed', () => {
    const { errors, body } = checkLinkForm(
      form({
        collectPhone: true,
        customFields: [
          { key: 1, label: 'Veličina majice', name: '', required: true },
          { key: 2, label: 'Napomena', name: 'note', required: false },
          { key: 3, label: 'Ђак', name: '', required: false },
        ],
      }),
      ',',
      now,
    );
    expect(errors).toEqual({});
    expect(body.collect).toEqual({ name: true, email: true, phone: true, address: false });
    expect(body.custom_fields).toEqual([
      { key: 'velicina_majice', label: 'Veličina majice', required: true },
      { key: 'note', label: 'Napomena', required: false },
      { key: 'field_3', label: 'Ђак', required: false },
    ]);
  });

  it('refuses a fourth field, a bad key, a repeated key and an empty label', () => {
    const { errors } = checkLinkForm(
      form({
        customFields: [
          { key: 1, label: 'A', name: 'Size!', required: false },
          { key: 2, label: 'B', name: 'b', required: false },
          { key: 3, label: 'C', name: 'b', required: false },
          { key: 4, label: '', name: 'd', required: false },
        ],
      }),
      ',',
      now,
    );
    expect(errors.customFields.key).toBe('plink.err_too_many_fields');
    expect(errors['cf-name-1'].key).toBe('plink.err_field_key');
    expect(errors['cf-name-3'].key).toBe('plink.err_field_key_taken');
    expect(errors['cf-label-4'].key).toBe('new.err_required');
  });

  it('fieldKey folds Serbian letters and keeps 40 characters', () => {
    expect(fieldKey('Đačka šifra, ćošak & žir')).toBe('djacka_sifra_cosak_zir');
    expect(fieldKey('  ')).toBe('');
    expect(fieldKey('a'.repeat(50)).length).toBe(40);
  });
});

describe('formFieldOf', () => {
  const f = { lines: [{ key: 4, description: '', quantity: '', price: '', vat: '' }], customFields: [{ key: 9, label: '', name: '', required: false }] };
  it('places the server’s field names on the form', () => {
    expect(formFieldOf('amount_max', f)).toBe('amountMax');
    expect(formFieldOf('lines[0].unit_amount', f)).toBe('price-4');
    expect(formFieldOf('custom_fields[0].key', f)).toBe('cf-name-9');
    expect(formFieldOf('custom_fields[0].label', f)).toBe('cf-label-9');
    expect(formFieldOf('custom_fields[3].key', f)).toBeNull();
    expect(formFieldOf('unknown', f)).toBeNull();
  });
});

describe('a link as shown', () => {
  it('tells a fixed price by its lines and a chosen one by its range', () => {
    expect(fixedTotal([{ quantity: 2, unit_amount: 1250 }, { quantity: 1, unit_amount: 100, amount_total: 100 }])).toBe(2600);
    expect(priceOf({ pricing: 'fixed', lines: [{ description: 'x', quantity: 3, unit_amount: 1000, vat_rate: 20, amount_total: 3000, amount_vat: 500 }], amount_min: 0, amount_max: 0 })).toEqual({ kind: 'fixed', total: 3000 });
    expect(priceOf({ pricing: 'custom', lines: [], amount_min: 100, amount_max: 900 })).toEqual({ kind: 'range', min: 100, max: 900 });
  });

  it('offers pause, resume and end by status', () => {
    expect(linkActions({ status: 'active' })).toEqual({ pause: true, resume: false, end: true });
    expect(linkActions({ status: 'paused' })).toEqual({ pause: false, resume: true, end: true });
    expect(linkActions({ status: 'ended' })).toEqual({ pause: false, resume: false, end: false });
  });

  it('accepts https and loopback http return addresses only', () => {
    expect(returnUrlOk('https://a.example/x')).toBe(true);
    expect(returnUrlOk('http://127.0.0.1:8080/')).toBe(true);
    expect(returnUrlOk('http://a.example/')).toBe(false);
    expect(returnUrlOk('https://u:p@a.example/')).toBe(false);
    expect(returnUrlOk('javascript:alert(1)')).toBe(false);
  });
});

describe('checkEditForm: the edit form into the PATCH body', () => {
  const link = { title: 'Čas joge', description: 'Utorkom', max_payments: 20, expires_at: '2027-01-31T23:00:00Z' };
  const was = editFormOf(link);

  it('fills the form with the link as it is', () => {
    expect(was).toEqual({ title: 'Čas joge', description: 'Utorkom', maxPayments: '20', expires: localDateTimeValue('2027-01-31T23:00:00Z') });
    expect(new Date(was.expires).toISOString()).toBe('2027-01-31T23:00:00.000Z');
    expect(editFormOf({ title: 'A', description: '', max_payments: 0, expires_at: null })).toEqual({ title: 'A', description: '', maxPayments: '', expires: '' });
  });

  it('sends only what changed', () => {
    expect(checkEditForm({ ...was }, was, now)).toEqual({ errors: {}, body: {} });
    const { errors, body } = checkEditForm({ ...was, title: '  Joga  ', maxPayments: ' 30 ' }, was, now);
    expect(errors).toEqual({});
    expect(body).toEqual({ title: 'Joga', max_payments: 30 });
  });

  it('an emptied end date is sent as "" and an emptied maximum as 0', () => {
    const { errors, body } = checkEditForm({ ...was, maxPayments: '', expires: '', description: '' }, was, now);
    expect(errors).toEqual({});
    expect(body).toEqual({ max_payments: 0, expires_at: '', description: '' });
  });

  it('a new end date is sent as an instant', () => {
    const { body } = checkEditForm({ ...was, expires: '2027-03-01T10:30' }, was, now);
    expect(body).toEqual({ expires_at: new Date('2027-03-01T10:30').toISOString() });
  });

  it('names the field of each mistake', () => {
    const { errors, body } = checkEditForm({ title: ' ', description: 'x'.repeat(1001), maxPayments: '0', expires: '2026-12-01T10:00' }, was, now);
    expect(Object.keys(errors).sort()).toEqual(['description', 'expires', 'maxPayments', 'title']);
    expect(errors.title.key).toBe('new.err_required');
    expect(errors.maxPayments).toEqual({ key: 'plink.err_max_payments', vars: { n: 1_000_000 } });
    expect(errors.expires.key).toBe('new.err_expiry');
    expect(body).toEqual({});
    expect(checkEditForm({ ...was, maxPayments: '1000001' }, was, now).errors.maxPayments).toBeDefined();
    expect(checkEditForm({ ...was, maxPayments: '2,5' }, was, now).errors.maxPayments).toBeDefined();
  });

  it('an end date already past may stay when other fields change', () => {
    const old = editFormOf({ ...link, expires_at: '2026-11-01T10:00:00Z' });
    expect(checkEditForm({ ...old, title: 'Novo' }, old, now)).toEqual({ errors: {}, body: { title: 'Novo' } });
  });

  it('places the server field names on the form', () => {
    expect(editFieldOf('title')).toBe('title');
    expect(editFieldOf('max_payments')).toBe('maxPayments');
    expect(editFieldOf('expires_at')).toBe('expires');
    expect(editFieldOf('status')).toBeNull();
  });
});
