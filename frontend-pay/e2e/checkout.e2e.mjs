// End-to-end tests of the payer's checkout against the real binary in Debian's Chromium.
// Run: SECURELINK_BIN=/tmp/securelink npm run e2e
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, seriousViolations, startApp } from './harness.mjs';

const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 360, height: 780 };
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

let app;
// The API accepts an expiry at least a minute ahead, so this invoice is made first and its
// expired link is checked by the last test.
let expiring;

before(async () => {
  app = await startApp();
  const expiresAt = new Date(Date.now() + 62_000).toISOString();
  const r = await app.api('POST', '/invoices', {
    customer: { name: 'Ana Anić', email: 'ana@example.com' },
    currency: 'RSD',
    lines: [{ description: 'Usluga', quantity: 1, unit_amount: 10000, vat_rate: 20 }],
    expires_at: expiresAt,
    locale: 'en',
  });
  expiring = { status: r.status, text: r.text, invoice: r.json, expiresAt: Date.parse(expiresAt) };
});

after(async () => {
  await app?.stop();
});

/** Creates an invoice through the API and returns it (with link.url). */
async function createInvoice(overrides = {}) {
  const body = {
    customer: { name: 'Ana Anić', email: 'ana@example.com' },
    currency: 'RSD',
    lines: [
      { description: 'Konsultacije', quantity: 2, unit_amount: 50000, vat_rate: 20 },
      { description: 'Putni troškovi', quantity: 1, unit_amount: 23456, vat_rate: 20 },
    ],
    description: 'Savetovanje, novembar',
    // Base 36: a 13-digit timestamp can be Luhn-valid, and card numbers are refused in every field.
    reference: `E2E-${Date.now().toString(36)}`,
    capture_mode: 'automatic',
    locale: 'sr-Latn',
    ...overrides,
  };
  const r = await app.api('POST', '/invoices', body);
  assert.equal(r.status, 201, `create invoice: ${r.text}`);
  assert.ok(r.json.link?.url, 'the invoice has a link url');
  return r.json;
}

async function invoice(id) {
  const r = await app.api('GET', `/invoices/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/** A page that fails the test on CSP violations and uncaught errors. */
async function openPage(url, viewport = DESKTOP, locale = 'en-US') {
  const context = await app.browser.newContext({ viewport, locale });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  const response = await page.goto(url);
  return { page, context, problems, response };
}

async function acceptTerms(page) {
  await page.getByRole('checkbox').check();
  await page.locator('#cc-number').waitFor();
}

async function fillCard(page, number, { exp = '12/30', cvc = '123', name = 'ANA ANIC' } = {}) {
  await page.locator('#cc-number').fill('');
  await page.locator('#cc-number').pressSequentially(number, { delay: 5 });
  await page.locator('#cc-exp').fill('');
  await page.locator('#cc-exp').pressSequentially(exp, { delay: 5 });
  await page.locator('#cc-csc').fill(cvc);
  // The name on the card is asked only where the provider needs it (the test gateway does not).
  if (await page.locator('#cc-name').count()) await page.locator('#cc-name').fill(name);
}

async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('checkout', () => {
  let paidInvoice;

  test('shows the invoice and pays with 4242 (automatic capture); a double click pays once', async () => {
    const inv = await createInvoice();
    const { page, context, problems, response } = await openPage(inv.link.url);
    assert.equal(response.status(), 200);
    await page.getByTestId('total').waitFor();
    const body = plain(await page.locator('main').innerText());
    assert.match(body, /Konsultacije/);
    assert.match(body, /Putni troškovi/);
    assert.match(body, /Ana Anić/);
    assert.match(body, /Savetovanje, novembar/);
    assert.ok(inv.number && body.includes(inv.number), 'invoice number shown');
    assert.equal(plain(await page.getByTestId('total').innerText()), '1.234,56 RSD');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'sr-Latn');
    // No card form before the terms are accepted.
    assert.equal(await page.locator('#cc-number').count(), 0);
    await shot(page, 'open-desktop');

    await acceptTerms(page);
    await fillCard(page, '4242424242424242');
    assert.equal(await page.locator('#cc-number').inputValue(), '4242 4242 4242 4242');
    assert.equal(await page.locator('.with-mark .mark-visa').count(), 1, 'Visa mark shown');
    await shot(page, 'card-filled-desktop');
    await page.getByTestId('pay').dblclick();
    await page.getByTestId('success').waitFor({ timeout: 20_000 });
    const receipt = plain(await page.locator('main').innerText());
    assert.match(receipt, /Plaćanje je uspešno/);
    assert.match(plain(await page.getByTestId('receipt-card').innerText()), /Visa .*4242/);
    assert.equal(plain(await page.getByTestId('receipt-amount').innerText()), '1.234,56 RSD');
    assert.notEqual((await page.getByTestId('receipt-reference').innerText()).trim(), '', 'a reference for support');
    await shot(page, 'receipt-desktop');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('button', { name: /Odštampaj/ }).isVisible(), false, 'no buttons on paper');
    await shot(page, 'receipt-print');
    await page.emulateMedia({ media: 'screen' });

    const after = await invoice(inv.id);
    assert.equal(after.status, 'paid');
    assert.equal((after.payments ?? []).length, 1, 'a double click made exactly one payment');
    assert.deepEqual(problems, []);
    paidInvoice = inv;
    await context.close();
  });

  test('manual capture authorises and shows the receipt', async () => {
    const inv = await createInvoice({ capture_mode: 'manual', locale: 'en' });
    const { page, context, problems } = await openPage(inv.link.url);
    await acceptTerms(page);
    assert.match(await page.getByTestId('pay').innerText(), /Authorise/);
    await fillCard(page, '5555555555554444');
    await page.getByTestId('pay').click();
    await page.getByTestId('success').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('#page-heading').innerText(), /authorised/i);
    assert.match(plain(await page.getByTestId('receipt-card').innerText()), /Mastercard .*4444/);
    const after = await invoice(inv.id);
    assert.equal(after.status, 'authorized');
    assert.equal(after.payments?.[0]?.status, 'authorized');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a declined card explains why, then another card pays', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const { page, context, problems } = await openPage(inv.link.url, MOBILE);
    await acceptTerms(page);
    await fillCard(page, '4000000000000002');
    await page.getByTestId('pay').click();
    await page.getByTestId('declined').waitFor({ timeout: 20_000 });
    assert.match(await page.getByTestId('declined').innerText(), /bank declined/i);
    assert.deepEqual(await seriousViolations(page), []);
    await shot(page, 'declined-360');
    await page.getByTestId('retry').click();
    assert.equal(await page.locator('#cc-number').inputValue(), '', 'the card number is cleared');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cc-number');
    await fillCard(page, '378282246310005', { cvc: '1234' });
    assert.equal(await page.locator('#cc-number').inputValue(), '3782 822463 10005');
    await page.getByTestId('pay').click();
    await page.getByTestId('success').waitFor({ timeout: 20_000 });
    const after = await invoice(inv.id);
    assert.equal(after.status, 'paid');
    assert.deepEqual((after.payments ?? []).map((p) => p.status).sort(), ['captured', 'failed']);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('3-D Secure completed at the challenge page pays', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const { page, context, problems } = await openPage(inv.link.url);
    await acceptTerms(page);
    await fillCard(page, '4000000000003220');
    await page.getByTestId('pay').click();
    await page.getByRole('button', { name: /Complete/ }).click({ timeout: 20_000 });
    await page.getByTestId('success').waitFor({ timeout: 20_000 });
    assert.doesNotMatch(page.url(), /payment=/, 'the return parameters are removed from the address');
    const after = await invoice(inv.id);
    assert.equal(after.status, 'paid');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('3-D Secure failed at the challenge page is a decline with another try', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const { page, context, problems } = await openPage(inv.link.url);
    await acceptTerms(page);
    await fillCard(page, '4000008400001629');
    await page.getByTestId('pay').click();
    await page.getByRole('button', { name: /Fail/ }).click({ timeout: 20_000 });
    await page.getByTestId('declined').waitFor({ timeout: 20_000 });
    assert.match(await page.getByTestId('declined').innerText(), /3-D Secure|not confirmed/i);
    await page.getByTestId('retry').click();
    await page.locator('#cc-number').waitFor();
    const after = await invoice(inv.id);
    assert.equal(after.status, 'open');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a lost answer is retried with the same idempotency key and pays once', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const { page, context } = await openPage(inv.link.url);
    const keys = [];
    let first = true;
    await page.route('**/api/v1/checkout/*/pay', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (first) {
        // The server gets the request and pays, but the answer never reaches the browser.
        first = false;
        await route.fetch();
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await acceptTerms(page);
    await fillCard(page, '4242424242424242');
    await page.getByTestId('pay').click();
    await page.getByText(/could not reach the server/).waitFor({ timeout: 20_000 });
    await page.getByTestId('pay').click();
    await page.getByTestId('success').waitFor({ timeout: 20_000 });
    assert.equal(keys.length, 2);
    assert.ok(keys[0], 'an Idempotency-Key is sent');
    assert.equal(keys[1], keys[0], 'the retry repeats the same attempt');
    const after = await invoice(inv.id);
    assert.equal((after.payments ?? []).length, 1, 'one payment, however many tries');
    await context.close();
  });

  test('too many attempts (429) are explained in plain words', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const { page, context } = await openPage(inv.link.url);
    await page.route('**/api/v1/checkout/*/pay', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({ error: { type: 'rate_limit_error', code: 'rate_limited', message: 'Too many requests' } }),
      }),
    );
    await acceptTerms(page);
    await fillCard(page, '4242424242424242');
    await page.getByTestId('pay').click();
    await page.getByText(/Too many attempts/).waitFor();
    assert.equal(await page.getByTestId('pay').isEnabled(), true, 'the payer may try again later');
    await context.close();
  });

  test('an already paid link shows the receipt and no form', async () => {
    assert.ok(paidInvoice, 'needs the paid invoice of the first test');
    const { page, context } = await openPage(paidInvoice.link.url, MOBILE);
    await page.getByTestId('status-paid').waitFor();
    assert.equal(await page.locator('#cc-number').count(), 0);
    assert.equal(await page.getByRole('checkbox').count(), 0);
    assert.deepEqual(await seriousViolations(page), []);
    await shot(page, 'already-paid-360');
    await context.close();
  });

  test('a cancelled invoice and an unknown link show clear pages', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const c = await app.api('POST', `/invoices/${inv.id}/cancel`);
    assert.equal(c.status, 200, c.text);
    const { page, context } = await openPage(inv.link.url);
    await page.locator('[data-testid="status-cancelled"], [data-testid="status-deactivated"]').first().waitFor();
    assert.equal(await page.locator('#cc-number').count(), 0);
    await page.goto(`${app.base}/pay/this-token-does-not-exist`);
    await page.getByTestId('status-unknown').waitFor();
    await shot(page, 'unknown-desktop');
    await context.close();
  });

  for (const [locale, lang, totalWord, amount] of [
    ['sr-Latn', 'sr-Latn', 'Ukupno', '1.234,56 RSD'],
    ['sr-Cyrl', 'sr-Cyrl', 'Укупно', '1.234,56 RSD'],
    ['en', 'en', 'Total', 'RSD 1,234.56'],
  ]) {
    test(`speaks ${locale} and passes axe`, async () => {
      const inv = await createInvoice({ locale });
      const { page, context, problems } = await openPage(inv.link.url, MOBILE);
      await page.getByTestId('total').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      assert.match(await page.locator('main').innerText(), new RegExp(totalWord));
      assert.equal(plain(await page.getByTestId('total').innerText()), amount);
      await acceptTerms(page);
      assert.deepEqual(await seriousViolations(page), []);
      await shot(page, `open-${locale}-360`);
      // Nothing is wider than a 360 px screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  test('the language switcher changes texts and <html lang>', async () => {
    const inv = await createInvoice({ locale: 'sr-Latn' });
    const { page, context } = await openPage(inv.link.url);
    await page.getByTestId('total').waitFor();
    await page.locator('#lang-select').selectOption('sr-Cyrl');
    await page.waitForFunction(() => document.documentElement.lang === 'sr-Cyrl');
    assert.match(await page.locator('main').innerText(), /Укупно/);
    await page.locator('#lang-select').selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await page.locator('main').innerText(), /Total/);
    assert.equal(plain(await page.getByTestId('total').innerText()), 'RSD 1,234.56');
    await context.close();
  });

  test('live validation: Luhn, expiry and CVC messages, keyboard only', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const { page, context } = await openPage(inv.link.url);
    await page.getByTestId('total').waitFor();
    // Reach the terms checkbox by keyboard and tick it with the space bar.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.getAttribute('type') === 'checkbox')) break;
    }
    await page.keyboard.press('Space');
    // Ticking the terms leads on to the card form: the card number takes the focus.
    await page.waitForFunction(() => document.activeElement?.id === 'cc-number');
    await page.keyboard.type('4242424242424241');
    assert.match(await page.locator('#cc-number-error').innerText(), /not valid/);
    assert.equal(await page.locator('#cc-number').getAttribute('aria-invalid'), 'true');
    await page.locator('#cc-exp').fill('');
    await page.locator('#cc-exp').pressSequentially('0120');
    assert.match(await page.locator('#cc-exp-error').innerText(), /expired/);
    await page.locator('#cc-number').fill('378282246310005');
    await page.locator('#cc-csc').fill('123');
    await page.locator('#cc-exp').focus();
    assert.match(await page.locator('#cc-csc-error').innerText(), /4 digits/);
    // Submitting with errors focuses the first bad field and pays nothing.
    await page.getByTestId('pay').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cc-exp');
    assert.equal(((await invoice(inv.id)).payments ?? []).length, 0);
    await context.close();
  });

  test('an expired link shows a clear page with no form', async () => {
    assert.equal(expiring.status, 201, `create an invoice expiring in 62 s: ${expiring.text}`);
    const wait = expiring.expiresAt + 1500 - Date.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    const { page, context } = await openPage(expiring.invoice.link.url);
    await page.getByTestId('status-expired').waitFor();
    assert.equal(await page.locator('#cc-number').count(), 0);
    await shot(page, 'expired-desktop');
    await context.close();
  });

  test('security headers on the checkout page', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const r = await fetch(inv.link.url);
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
    assert.match(r.headers.get('cache-control') ?? '', /no-cache|no-store/);
  });
});
