// Reusable payment links in the portal, against the real binary in Debian's Chromium: a link with fixed
// items (quantity the payer may change, a limit, a custom field) and one where the payer chooses the
// amount are made in the form, listed, paused, resumed, edited and ended; an order made through the public
// checkout API (and paid) shows on the link with its totals, and the order names its link. Every
// screen at 360 and 1280 px in English, Serbian Latin and Cyrillic, with axe.
// Run: SECURELINK_BIN=/path/to/securelink npm run e2e (the binary must embed fresh builds of both SPAs).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPortal } from './harness.mjs';

const bin = process.env.SECURELINK_BIN;
const artifacts = new URL('./artifacts/paymentlinks/', import.meta.url).pathname;
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').trim();
const tag = () => Math.random().toString(36).slice(2, 10);
const languages = ['en', 'sr-Latn', 'sr-Cyrl'];

describe('payment links in the portal', { skip: bin ? false : 'SECURELINK_BIN is not set' }, () => {
  let portal, app, page, api, axeCheck, noOverflow, setLang;
  const made = {};

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    portal = await openPortal(bin);
    ({ app, page, api, axeCheck, noOverflow, setLang } = portal);
  });

  after(async () => {
    await portal?.close();
  });

  /** Every screen in the three languages at both widths: no sideways scrolling, axe clean, a screenshot. */
  async function sweep(name) {
    for (const lang of languages) {
      await setLang(lang);
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await noOverflow(`${name} ${lang} ${width}`);
        await axeCheck(`${name} ${lang} ${width}`);
        await page.screenshot({ path: join(artifacts, `${name}-${lang}-${width}.png`), fullPage: true });
      }
    }
    await setLang('en');
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const badge = () => page.locator('h1 .badge');

  test('the list starts empty and the form refuses what the server would', async () => {
    await page.goto(`${app.base}/portal/`);
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Payment links' }).click();
    await page.getByRole('heading', { name: 'Payment links', level: 1 }).waitFor();
    await page.getByText('No payment links yet.').waitFor();
    await page.getByRole('link', { name: 'New payment link' }).click();
    await page.getByRole('heading', { name: 'New payment link' }).waitFor();
    await page.getByRole('button', { name: 'Create payment link' }).click();
    await page.getByText('Please correct the marked fields.').waitFor();
    assert.equal(await page.locator('#pl-title').getAttribute('aria-invalid'), 'true');
    // The payer chooses: the largest below the least is refused before any request.
    await page.getByLabel('The payer chooses the amount').check();
    await page.getByLabel('Least amount (RSD)').fill('500');
    await page.getByLabel('Largest amount (RSD)').fill('100');
    await page.getByRole('button', { name: 'Create payment link' }).click();
    await page.locator('#pl-amount-max-err').getByText('It must not be less than the least.').waitFor();
    await sweep('new-errors');
    assert.equal((await api('GET', '/payment-links')).json.data.length, 0, 'nothing was created');
  });

  test('a link with fixed items: quantity, limit and a custom field', async () => {
    await page.goto(`${app.base}/portal/payment-links/new`);
    await page.getByLabel('Title (payers see it)').fill('Yoga class');
    await page.getByLabel('Description (optional)').fill('Sixty minutes, mat included');
    await page.locator('input[id^=line-desc-]').fill('Class');
    await page.locator('input[id^=line-price-]').fill('1,500.00');
    await page.getByTestId('live-total').getByText('RSD 1,500.00').waitFor();
    await page.getByTestId('adjustable').check();
    await page.getByLabel('Least quantity').fill('1');
    await page.getByLabel('Largest quantity').fill('5');
    await page.getByLabel('Most payments (optional)').fill('10');
    await page.getByLabel('Phone').check();
    // This instance sends no e-mail (no SMTP server), so the form does not promise a receipt now.
    assert.match(await page.locator('#pl-email-hint').innerText(), /once e-mail delivery is on/);
    await page.getByRole('button', { name: 'Add a field' }).click();
    await page.getByLabel('Question the payer sees').fill('T-shirt size');
    await page.getByLabel('The payer must fill it in').check();
    await page.getByRole('button', { name: 'Create payment link' }).click();
    await page.getByRole('heading', { name: 'Yoga class' }).waitFor();
    assert.equal(await badge().getAttribute('data-status'), 'open');
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const link = (await api('GET', `/payment-links/${id}`)).json;
    assert.equal(link.pricing, 'fixed');
    assert.deepEqual(link.lines.map((l) => [l.description, l.quantity, l.unit_amount, l.vat_rate]), [['Class', 1, 150000, 20]]);
    assert.deepEqual({ min: link.adjustable_quantity.min, max: link.adjustable_quantity.max }, { min: 1, max: 5 });
    assert.equal(link.max_payments, 10);
    assert.deepEqual(link.collect, { name: true, email: true, phone: true, address: false });
    assert.deepEqual(link.custom_fields.map((f) => [f.key, f.label, f.required]), [['t_shirt_size', 'T-shirt size', true]]);
    // The URL with Copy, share and QR as for an invoice's link.
    assert.equal(await page.getByLabel('Payment link', { exact: true }).inputValue(), link.url);
    await page.getByRole('button', { name: 'Show QR code' }).click();
    await page.getByRole('img', { name: 'QR code of the payment link' }).waitFor();
    const sms = await page.getByRole('link', { name: 'SMS' }).getAttribute('href');
    assert.ok(decodeURIComponent(sms).includes(link.url), sms);
    made.fixed = link;
  });

  test('a link where the payer chooses the amount', async () => {
    await page.goto(`${app.base}/portal/payment-links/new`);
    await page.getByLabel('Title (payers see it)').fill('Donation');
    await page.getByLabel('The payer chooses the amount').check();
    await page.getByLabel('Least amount (RSD)').fill('100');
    await page.getByLabel('Largest amount (RSD)').fill('50,000');
    await page.getByLabel('Suggested amount (RSD, optional)').fill('2,500');
    await page.getByRole('button', { name: 'Create payment link' }).click();
    await page.getByRole('heading', { name: 'Donation' }).waitFor();
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const link = (await api('GET', `/payment-links/${id}`)).json;
    assert.equal(link.pricing, 'custom');
    assert.deepEqual([link.amount_min, link.amount_max, link.amount_suggested], [10000, 5000000, 250000]);
    assert.match(plain(await page.getByTestId('plink-price').innerText()), /^Payer chooses: RSD 100\.00 to RSD 50,000\.00$/);
    made.custom = link;
  });

  test('the list shows both, with price, availability, payments and collected', async () => {
    await page.goto(`${app.base}/portal/payment-links`);
    const rows = page.getByTestId('plink-row');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    const fixed = rows.filter({ hasText: 'Yoga class' });
    assert.match(plain(await fixed.innerText()), /RSD 1,500\.00 each/);
    assert.match(plain(await fixed.innerText()), /0 of 10/);
    assert.equal(await fixed.locator('.badge').getAttribute('data-status'), 'open');
    const custom = rows.filter({ hasText: 'Donation' });
    assert.match(plain(await custom.innerText()), /Payer chooses: RSD 100\.00 to RSD 50,000\.00/);
    await sweep('list');
  });

  test('pause and resume; the checkout sees it', async () => {
    await page.goto(`${app.base}/portal/payment-links/${made.fixed.id}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('The link is paused.').waitFor();
    assert.equal(await badge().getAttribute('data-status'), 'paused');
    await page.getByTestId('plink-unavailable').waitFor();
    assert.equal((await api('GET', `/payment-links/${made.fixed.id}`)).json.status, 'paused');
    const paused = await fetch(`${app.base}/api/v1/checkout-links/${made.fixed.token}`).then((r) => r.json());
    assert.equal(paused.availability, 'paused');
    await sweep('detail-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('The link takes payments again.').waitFor();
    assert.equal(await badge().getAttribute('data-status'), 'open');
    assert.equal((await api('GET', `/payment-links/${made.fixed.id}`)).json.status, 'active');
  });

  test('an order through the public API shows on the link, with its totals, and names its link', async () => {
    // The payer's page answers at the link's URL.
    assert.equal((await fetch(made.fixed.url)).status, 200);
    const r = await fetch(`${app.base}/api/v1/checkout-links/${made.fixed.token}/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `order-${tag()}` },
      body: JSON.stringify({ quantity: 2, customer: { name: 'Ana Anić', email: 'ana@example.com', phone: '+381 64 123 4567' }, custom_fields: { t_shirt_size: 'M' }, locale: 'sr-Latn' }),
    });
    const order = await r.json();
    assert.equal(r.status, 201, JSON.stringify(order));
    // Paid as the checkout pays: the card goes to the test gateway, its token to SecureLink.
    const tok = await fetch(`${app.base}/gateway/v1/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ number: '4242424242424242', cvc: '123', name: 'E2E PAYER', exp_month: 12, exp_year: new Date().getFullYear() + 3 }),
    }).then((x) => x.json());
    const paid = await fetch(`${app.base}/api/v1/checkout/${order.checkout_token}/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `pay-${tag()}` },
      body: JSON.stringify({ terms_accepted: true, payment_token: tok.id }),
    });
    assert.ok(paid.ok, `${paid.status} ${await paid.text()}`);
    const inv = (await api('GET', `/invoices/${order.invoice_id}`)).json;
    assert.equal(inv.payment_link_id, made.fixed.id);
    assert.equal(inv.amount_total, 300000);

    await page.goto(`${app.base}/portal/payment-links/${made.fixed.id}`);
    const row = page.getByTestId('plink-order');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.match(plain(await row.innerText()), new RegExp(`${inv.number}[\\s\\S]*Ana Anić[\\s\\S]*RSD 3,000\\.00`));
    assert.equal(plain(await page.getByTestId('plink-count').innerText()), '1 of 10');
    assert.equal(plain(await page.getByTestId('plink-collected').innerText()), 'RSD 3,000.00');
    assert.equal(plain(await page.getByTestId('plink-money').locator('.big').innerText()), 'RSD 3,000.00');
    await sweep('detail');

    // The order names its link, and leads back to it.
    await row.getByRole('link', { name: inv.number }).click();
    const from = page.getByTestId('from-payment-link');
    await from.getByRole('link', { name: 'Yoga class' }).waitFor();
    assert.equal(plain(await from.innerText()), 'From payment link Yoga class');
    // The payer's answer to the link's own question is on the order, under the merchant's label.
    assert.equal(plain(await page.getByTestId('custom-answer').innerText()), 'M');
    await page.locator('dt').filter({ hasText: 'T-shirt size' }).waitFor();
    await sweep('order');
    await from.getByRole('link', { name: 'Yoga class' }).click();
    await page.getByRole('heading', { name: 'Yoga class' }).waitFor();

    // The list adds it up too.
    await page.goto(`${app.base}/portal/payment-links`);
    const listed = page.getByTestId('plink-row').filter({ hasText: 'Yoga class' });
    await listed.waitFor();
    assert.match(plain(await listed.innerText()), /1 of 10\s+RSD 3,000\.00/);
  });

  test('ending asks first, is final, and the checkout refuses new orders', async () => {
    await page.goto(`${app.base}/portal/payment-links/${made.custom.id}`);
    await page.getByRole('button', { name: 'End the link' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('An ended link cannot be opened again.').waitFor();
    await dialog.getByRole('button', { name: 'Keep the link' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await api('GET', `/payment-links/${made.custom.id}`)).json.status, 'active');
    await page.getByRole('button', { name: 'End the link' }).click();
    await dialog.getByRole('button', { name: 'End the link' }).click();
    await page.getByText('The link has ended.').waitFor();
    assert.equal(await badge().getAttribute('data-status'), 'ended');
    await page.getByText('This link has ended and takes no more payments.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Resume' }).count(), 0);
    assert.equal((await api('GET', `/payment-links/${made.custom.id}`)).json.status, 'ended');
    const refused = await fetch(`${app.base}/api/v1/checkout-links/${made.custom.token}/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `order-${tag()}` },
      body: JSON.stringify({ amount: 100000, customer: { name: 'Ana', email: 'ana@example.com' } }),
    });
    assert.equal(refused.status, 409);
    assert.equal((await refused.json()).error.code, 'link_ended');
    await sweep('detail-ended');
    // The status filter keeps to the address.
    await page.goto(`${app.base}/portal/payment-links?status=ended`);
    await page.getByTestId('plink-row').first().waitFor();
    assert.deepEqual(await page.getByTestId('plink-row').locator('.c-title').allInnerTexts(), ['Donation']);
  });

  test('test mode as for invoices: the band, and a switch leaves a link page for the list of the other mode', async () => {
    await page.goto(`${app.base}/portal/payment-links/${made.fixed.id}`);
    await page.getByRole('heading', { name: 'Yoga class' }).waitFor();
    await page.getByTestId('test-band').waitFor();
    const flip = async (live) => {
      await Promise.all([page.waitForEvent('load'), page.getByTestId('mode-switch').click()]);
      await page.waitForFunction((want) => document.querySelector('[data-testid="mode-switch"]')?.getAttribute('aria-checked') === want, String(!live));
    };
    await flip(true);
    assert.equal(new URL(page.url()).pathname, '/portal/payment-links');
    await page.getByText('No payment links yet.').waitFor();
    assert.equal(await page.getByTestId('test-band').count(), 0);
    await flip(false);
    await page.getByTestId('test-band').waitFor();
    await page.getByTestId('plink-row').nth(1).waitFor();
    assert.deepEqual(app.logs.filter((l) => l.startsWith('pageerror')), []);
  });

  test('editing a link: prefilled, checked per field, saved with PATCH and shown at once', async () => {
    await page.goto(`${app.base}/portal/payment-links/${made.fixed.id}`);
    await page.getByRole('heading', { name: 'Yoga class' }).waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.locator('#plink-edit');
    await form.waitFor();
    assert.equal(await form.getByLabel('Title (payers see it)').inputValue(), 'Yoga class');
    assert.equal(await form.getByLabel('Description (optional)').inputValue(), 'Sixty minutes, mat included');
    assert.equal(await form.getByLabel('Most payments (optional)').inputValue(), '10');
    assert.equal(await form.getByLabel('Open until (optional)').inputValue(), '');
    // Mistakes are marked on their own inputs before any request.
    await form.getByLabel('Title (payers see it)').fill(' ');
    await form.getByLabel('Most payments (optional)').fill('0');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#edit-max-payments-err').getByText('Enter a whole number from 1 to 1000000, or leave it empty.').waitFor();
    assert.equal(await page.locator('#edit-title').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#edit-max-payments').getAttribute('aria-invalid'), 'true');
    assert.equal((await api('GET', `/payment-links/${made.fixed.id}`)).json.title, 'Yoga class');
    await sweep('edit-errors');

    await form.getByLabel('Title (payers see it)').fill('Yoga class, Tuesdays');
    await form.getByLabel('Most payments (optional)').fill('25');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    await form.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'Yoga class, Tuesdays' }).waitFor();
    assert.equal(plain(await page.getByTestId('plink-count').innerText()), '1 of 25');
    let seen = (await api('GET', `/payment-links/${made.fixed.id}`)).json;
    assert.equal(seen.title, 'Yoga class, Tuesdays');
    assert.equal(seen.max_payments, 25);
    assert.equal(seen.description, 'Sixty minutes, mat included');

    // An emptied maximum removes the limit; an end date is set and shown.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await form.getByLabel('Most payments (optional)').fill('');
    // More than 366 days ahead: the server's 400 is shown on the end date's input.
    await form.getByLabel('Open until (optional)').fill('2035-06-30T18:00');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#edit-expires-err').getByText('The server does not accept this value.').waitFor();
    assert.equal(await page.locator('#edit-expires').getAttribute('aria-invalid'), 'true');
    await page.getByTestId('plink-edit-error').getByText('expires_at').waitFor();
    const ahead = new Date(Date.now() + 30 * 86400_000);
    const p2 = (n) => String(n).padStart(2, '0');
    const local = `${ahead.getFullYear()}-${p2(ahead.getMonth() + 1)}-${p2(ahead.getDate())}T18:00`;
    await form.getByLabel('Open until (optional)').fill(local);
    await sweep('edit-form');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'hidden' });
    assert.equal(plain(await page.getByTestId('plink-count').innerText()), '1');
    seen = (await api('GET', `/payment-links/${made.fixed.id}`)).json;
    assert.ok(!seen.max_payments, `max_payments ${seen.max_payments}`);
    assert.equal(new Date(seen.expires_at).getTime(), new Date(local).getTime());
    assert.equal(await page.getByText('No end date').count(), 0);

    // An ended link offers no editing.
    await page.goto(`${app.base}/portal/payment-links/${made.custom.id}`);
    await page.getByText('This link has ended and takes no more payments.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Edit', exact: true }).count(), 0);
    assert.deepEqual(app.logs.filter((l) => l.startsWith('pageerror')), []);
  });
});
