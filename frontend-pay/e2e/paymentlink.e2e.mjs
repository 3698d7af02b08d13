// End-to-end test of reusable payment links on the checkout, against the real binary in Chromium:
// links made through the merchant API (fixed lines with a quantity the payer changes, an amount
// the payer chooses, a link with one payment at most), paid through /pay/l/{token} and the order's
// own checkout with a test card (the order is paid, the receipt shows); the sold-out page for the
// second payer, the paused page, and the form's checks, the browser's and the server's; in three
// languages at 360 and 1280 px, with axe.
// Run: SECURELINK_BIN=/tmp/securelink node --test e2e/paymentlink.e2e.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, seriousViolations, startApp } from './harness.mjs';

const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

let app;

before(async () => {
  app = await startApp();
  // The merchant's brand colour paints the link page's header and buttons as it does the invoice's.
  const m = await app.api('PATCH', '/merchant', {
    brand_color: '#0B6E4F',
    support_email: 'studio@example.com',
    terms: 'Classes booked are not refunded, but they may be moved.',
  });
  assert.equal(m.status, 200, m.text);
});

after(async () => {
  await app?.stop();
});

async function createLink(body) {
  const r = await app.api('POST', '/payment-links', body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function ordersOf(link) {
  const r = await app.api('GET', `/invoices?payment_link=${encodeURIComponent(link.id)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}

async function open(url, { width = 360, locale = 'en-US' } = {}) {
  const context = await app.browser.newContext({ viewport: { width, height: 900 }, locale });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { context, page, problems };
}

async function noOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** On the order's checkout: terms, the test gateway's Visa, pay, and the receipt. */
async function payByCard(page) {
  await page.waitForURL((u) => /^\/pay\/[^/]+$/.test(u.pathname) && !u.pathname.startsWith('/pay/l/'));
  await page.getByTestId('terms').check();
  await page.locator('#cc-number').pressSequentially('4242424242424242', { delay: 5 });
  await page.locator('#cc-exp').pressSequentially('12/30', { delay: 5 });
  await page.locator('#cc-csc').fill('123');
  await page.getByTestId('pay').click();
  await page.getByTestId('success').waitFor({ timeout: 20_000 });
  await page.getByTestId('receipt').waitFor();
}

// What the payer reads in each language.
const words = {
  en: {
    quantity: 'Quantity',
    name: 'Full name',
    required: (f) => `Fill in “${f}”.`,
    email: 'Enter a valid e-mail address in “E-mail address”',
    emailCheck: 'E-mail address',
    terms: 'Accept the payment terms to continue.',
    continue: 'Continue to payment',
    success: 'Payment successful',
    soldOut: 'This payment link has reached its maximum number of payments.',
    notCharged: 'Your card was not charged.',
    paused: 'This payment link is paused',
    amountRange: 'The amount must be from',
    mark: '.',
  },
  'sr-Latn': {
    quantity: 'Količina',
    name: 'Ime i prezime',
    required: (f) => `Popunite polje „${f}“.`,
    email: 'Unesite ispravnu e-adresu u polje „E-adresa“',
    emailCheck: 'E-adresa',
    terms: 'Prihvatite uslove plaćanja da biste nastavili.',
    continue: 'Nastavi na plaćanje',
    success: 'Plaćanje je uspešno',
    soldOut: 'Ovaj link za plaćanje je dostigao najveći broj plaćanja.',
    notCharged: 'Kartica nije zadužena.',
    paused: 'Ovaj link za plaćanje je pauziran',
    amountRange: 'Iznos mora biti od',
    mark: ',',
  },
  'sr-Cyrl': {
    quantity: 'Количина',
    name: 'Име и презиме',
    required: (f) => `Попуните поље „${f}“.`,
    email: 'Унесите исправну е-адресу у поље „Е-адреса“',
    emailCheck: 'Е-адреса',
    terms: 'Прихватите услове плаћања да бисте наставили.',
    continue: 'Настави на плаћање',
    success: 'Плаћање је успешно',
    soldOut: 'Овај линк за плаћање је достигао највећи број плаћања.',
    notCharged: 'Картица није задужена.',
    paused: 'Овај линк за плаћање је паузиран',
    amountRange: 'Износ мора бити од',
    mark: ',',
  },
};

const cases = [
  { locale: 'en', width: 360 },
  { locale: 'en', width: 1280 },
  { locale: 'sr-Latn', width: 360 },
  { locale: 'sr-Latn', width: 1280 },
  { locale: 'sr-Cyrl', width: 360 },
  { locale: 'sr-Cyrl', width: 1280 },
];

describe('a link with fixed lines and a quantity', () => {
  for (const c of cases) {
    test(`${c.locale} at ${c.width} px: checks the form, then three of it are paid by card`, async () => {
      const w = words[c.locale];
      const link = await createLink({
        title: 'Joga, mesečna karta',
        description: 'Osam časova u parku',
        currency: 'RSD',
        lines: [
          { description: 'Čas joge', quantity: 1, unit_amount: 150000, vat_rate: 20 },
          { description: 'Prostirka', quantity: 1, unit_amount: 20000, vat_rate: 20 },
        ],
        adjustable_quantity: { enabled: true, min: 1, max: 5 },
        collect: { name: true, phone: true },
        custom_fields: [
          { key: 'size', label: 'T-shirt size', required: true },
          { key: 'note', label: 'Note for the teacher' },
        ],
        locale: c.locale,
      });
      assert.equal(link.url, `${app.base}/pay/l/${link.token}`);
      const tag = `link-fixed-${c.locale}-${c.width}`;
      const { context, page, problems } = await open(link.url, c);

      await page.getByTestId('link-form').waitFor();
      await page.waitForFunction(() => document.documentElement.classList.contains('branded'));
      assert.equal(await page.evaluate(() => document.documentElement.lang), c.locale);
      assert.match(plain(await page.getByTestId('summary').innerText()), /Joga, mesečna karta/);
      assert.match(plain(await page.getByTestId('total').innerText()), /1[.,]700[.,]00/);

      // Sent empty: every required field says what it wants, by name, and the terms too.
      await page.getByTestId('continue').click();
      const nameInput = page.getByTestId('field-customer.name');
      assert.equal(await nameInput.getAttribute('aria-invalid'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'field-customer.name');
      assert.equal(plain(await page.locator('#pl-customer-name-error').innerText()), w.required(w.name));
      assert.equal(plain(await page.locator('#pl-custom_fields-size-error').innerText()), w.required('T-shirt size'));
      assert.equal(await page.getByTestId('field-custom_fields.note').getAttribute('aria-invalid'), 'false', 'an optional field may stay empty');
      assert.match(plain(await page.locator('#terms-error').innerText()), new RegExp(w.terms));
      await page.screenshot({ path: join(ARTIFACTS, `${tag}-errors.png`), fullPage: true });

      // The quantity stays within the link's limits; the total follows it.
      const quantity = page.getByTestId('quantity');
      assert.equal(await page.getByTestId('quantity-minus').isDisabled(), true);
      await page.getByTestId('quantity-plus').click();
      await page.getByTestId('quantity-plus').click();
      assert.equal(await quantity.inputValue(), '3');
      assert.match(plain(await page.getByTestId('total').innerText()), /5[.,]100[.,]00/);
      await quantity.fill('9');
      await quantity.blur();
      assert.match(plain(await page.locator('#pl-quantity-error').innerText()), /5/);
      await quantity.fill('3');

      await nameInput.fill('Ana Anić');
      await page.getByTestId('field-customer.email').fill('ana@example');
      await page.getByTestId('field-customer.email').blur();
      assert.match(plain(await page.locator('#pl-customer-email-error').innerText()), new RegExp(w.email));
      await page.getByTestId('field-customer.email').fill('ana@example.com');
      await page.getByTestId('field-customer.phone').fill('+381 64 123 4567');
      await page.getByTestId('field-custom_fields.size').fill('M');
      await page.getByTestId('terms').check();
      assert.match(plain(await page.getByTestId('continue').innerText()), new RegExp(`${w.continue} · .*5[.,]100[.,]00`));
      assert.deepEqual(await seriousViolations(page), []);
      assert.ok(await noOverflow(page), 'no horizontal overflow');
      await page.screenshot({ path: join(ARTIFACTS, `${tag}-filled.png`), fullPage: true });

      await page.getByTestId('continue').click();
      await payByCard(page);
      assert.match(plain(await page.locator('main').innerText()), new RegExp(w.success));
      assert.match(plain(await page.getByTestId('receipt-amount').innerText()), /5[.,]100[.,]00/);
      await page.screenshot({ path: join(ARTIFACTS, `${tag}-receipt.png`), fullPage: true });

      const [listed] = await ordersOf(link);
      const inv = (await app.api('GET', `/invoices/${listed.id}`)).json;
      assert.equal(inv.status, 'paid');
      assert.equal(inv.payment_link_id, link.id);
      assert.equal(inv.amount_total, 510000);
      assert.equal(inv.locale, c.locale);
      assert.deepEqual(inv.lines.map((l) => l.quantity), [3, 3]);
      assert.equal(inv.customer.name, 'Ana Anić');
      assert.equal(inv.customer.phone, '+381 64 123 4567');
      assert.deepEqual(inv.custom_fields.map((f) => [f.key, f.value]), [['size', 'M']]);
      const after = (await app.api('GET', `/payment-links/${link.id}`)).json;
      assert.equal(after.payments_count, 1);
      assert.equal(after.amount_collected, 510000);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});

describe('a link whose payer chooses the amount', () => {
  for (const c of [cases[0], cases[3], cases[4]]) {
    test(`${c.locale} at ${c.width} px: the suggested amount first, the bounds in the currency's format`, async () => {
      const w = words[c.locale];
      const link = await createLink({
        title: 'Donacija za azil',
        pricing: 'custom',
        currency: 'RSD',
        amount_min: 100000,
        amount_max: 5000000,
        amount_suggested: 250000,
        locale: c.locale,
      });
      const tag = `link-custom-${c.locale}-${c.width}`;
      const { context, page, problems } = await open(link.url, c);
      const amount = page.getByTestId('amount');
      await amount.waitFor();
      assert.equal(await amount.inputValue(), `2500${w.mark}00`);
      const hint = plain(await page.getByTestId('amount-hint').innerText());
      assert.match(hint, c.locale === 'en' ? /RSD 1,000\.00.*RSD 50,000\.00/ : /1\.000,00 RSD.*50\.000,00 RSD/);

      // Above the maximum: said in the page, nothing is ordered.
      await amount.fill('60000');
      await page.getByTestId('field-customer.email').fill('donor@example.com');
      await page.getByTestId('terms').check();
      await page.getByTestId('continue').click();
      assert.match(plain(await page.locator('#pl-amount-error').innerText()), new RegExp(w.amountRange));
      assert.equal(await amount.getAttribute('aria-invalid'), 'true');
      assert.equal((await ordersOf(link)).length, 0);
      await amount.fill(`1234${w.mark}5`);
      assert.match(plain(await page.getByTestId('total').innerText()), /1[.,]234[.,]50/);
      assert.deepEqual(await seriousViolations(page), []);
      assert.ok(await noOverflow(page), 'no horizontal overflow');
      await page.screenshot({ path: join(ARTIFACTS, `${tag}.png`), fullPage: true });
      await page.getByTestId('continue').click();
      await payByCard(page);
      const [inv] = await ordersOf(link);
      assert.equal(inv.status, 'paid');
      assert.equal(inv.amount_total, 123450);
      assert.equal(inv.customer.email, 'donor@example.com');
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});

describe('a link with one payment at most', () => {
  test('the first payer pays; the second, whose order was made meanwhile, is refused with no charge; later payers see it sold out', async () => {
    const link = await createLink({
      title: 'Last ticket',
      currency: 'RSD',
      lines: [{ description: 'Concert ticket', quantity: 1, unit_amount: 300000, vat_rate: 20 }],
      max_payments: 1,
      locale: 'en',
    });
    const first = await open(link.url, { width: 1280 });
    const second = await open(link.url, { width: 360 });
    for (const [{ page }, email] of [
      [first, 'first@example.com'],
      [second, 'second@example.com'],
    ]) {
      await page.getByTestId('field-customer.email').fill(email);
      await page.getByTestId('terms').check();
      await page.getByTestId('continue').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/pay/l/'));
    }
    await payByCard(first.page);

    // The second order's payment: refused before the provider hears of it.
    const { page } = second;
    await page.getByTestId('terms').check();
    await page.locator('#cc-number').pressSequentially('4242424242424242', { delay: 5 });
    await page.locator('#cc-exp').pressSequentially('12/30', { delay: 5 });
    await page.locator('#cc-csc').fill('123');
    await page.getByTestId('pay').click();
    await page.getByTestId('status-soldOut').waitFor({ timeout: 20_000 });
    const text = plain(await page.getByTestId('status-soldOut').innerText());
    assert.match(text, /This payment link has reached its maximum number of payments\./);
    assert.match(text, /Your card was not charged\./);
    assert.deepEqual(await seriousViolations(page), []);
    await page.screenshot({ path: join(ARTIFACTS, 'link-soldout-paying-en-360.png'), fullPage: true });

    const orders = await ordersOf(link);
    assert.equal(orders.length, 2);
    const byEmail = Object.fromEntries(orders.map((o) => [o.customer.email, o]));
    assert.equal(byEmail['first@example.com'].status, 'paid');
    assert.notEqual(byEmail['second@example.com'].status, 'paid');
    assert.deepEqual(byEmail['second@example.com'].payments ?? [], [], 'no payment, no charge');
    const after = (await app.api('GET', `/payment-links/${link.id}`)).json;
    assert.equal(after.availability, 'sold_out');
    assert.equal(after.payments_count, 1);
    assert.deepEqual([...first.problems, ...second.problems], []);
    await first.context.close();
    await second.context.close();

    // Anyone opening the link now: the same message, no form.
    for (const c of cases) {
      const w = words[c.locale];
      const later = await open(link.url, c);
      await later.page.getByTestId('link-sold_out').waitFor();
      if (c.locale !== 'en') await later.page.locator('#lang-select').selectOption(c.locale);
      await later.page.locator('h1', { hasText: w.soldOut }).waitFor();
      assert.equal(await later.page.getByTestId('link-form').count(), 0);
      assert.equal(plain(await later.page.locator('h1').innerText()), w.soldOut);
      assert.deepEqual(await seriousViolations(later.page), []);
      assert.ok(await noOverflow(later.page), 'no horizontal overflow');
      await later.page.screenshot({ path: join(ARTIFACTS, `link-soldout-${c.locale}-${c.width}.png`), fullPage: true });
      assert.deepEqual(later.problems, []);
      await later.context.close();
    }
  });
});

describe('a paused link', () => {
  test('says so instead of the form, also to a payer whose form was already open; resumed, it takes orders again', async () => {
    const link = await createLink({
      title: 'Pottery workshop',
      currency: 'RSD',
      lines: [{ description: 'Workshop', quantity: 1, unit_amount: 450000, vat_rate: 20 }],
      locale: 'sr-Latn',
    });
    const early = await open(link.url, { width: 360 });
    await early.page.getByTestId('link-form').waitFor();

    const paused = await app.api('PATCH', `/payment-links/${link.id}`, { status: 'paused' });
    assert.equal(paused.status, 200, paused.text);
    assert.equal(paused.json.availability, 'paused');

    for (const c of cases) {
      const w = words[c.locale];
      // The payer's own choice of language wins over the link's.
      const { context, page, problems } = await open(link.url, c);
      if (c.locale !== 'sr-Latn') await page.locator('#lang-select').selectOption(c.locale);
      await page.getByTestId('link-paused').waitFor();
      await page.locator('h1', { hasText: w.paused }).waitFor();
      assert.equal(await page.getByTestId('link-form').count(), 0);
      assert.deepEqual(await seriousViolations(page), []);
      assert.ok(await noOverflow(page), 'no horizontal overflow');
      await page.screenshot({ path: join(ARTIFACTS, `link-paused-${c.locale}-${c.width}.png`), fullPage: true });
      assert.deepEqual(problems, []);
      await context.close();
    }

    // The form opened before the pause: the order is refused (409 link_paused) and the page says why.
    await early.page.getByTestId('field-customer.email').fill('early@example.com');
    await early.page.getByTestId('terms').check();
    await early.page.getByTestId('continue').click();
    await early.page.getByTestId('link-paused').waitFor();
    assert.equal((await ordersOf(link)).length, 0);
    assert.deepEqual(early.problems, []);
    await early.context.close();

    const resumed = await app.api('PATCH', `/payment-links/${link.id}`, { status: 'active' });
    assert.equal(resumed.json.availability, 'open');
    const again = await open(link.url, { width: 1280 });
    await again.page.getByTestId('link-form').waitFor();
    await again.context.close();
  });
});

describe('the server’s word on a field', () => {
  test('an e-mail address the page let through but the API refuses is shown on the e-mail field', async () => {
    const link = await createLink({
      title: 'Gift card',
      currency: 'RSD',
      lines: [{ description: 'Gift card', quantity: 1, unit_amount: 500000, vat_rate: 0 }],
      locale: 'en',
    });
    const { context, page, problems } = await open(link.url, { width: 360 });
    const email = page.getByTestId('field-customer.email');
    await email.fill('ana..b@example.com');
    await page.getByTestId('terms').check();
    await page.getByTestId('continue').click();
    await page.locator('#pl-customer-email-error', { hasText: 'E-mail address' }).waitFor();
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'field-customer.email');
    assert.equal((await ordersOf(link)).length, 0);
    // Edited, the field's message goes and the order is made.
    await email.fill('ana.b@example.com');
    assert.equal(await email.getAttribute('aria-invalid'), 'false');
    await page.getByTestId('continue').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/pay/l/'));
    assert.equal((await ordersOf(link)).length, 1);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('an unknown link says it was not found', async () => {
    const { context, page, problems } = await open(`${app.base}/pay/l/no-such-link-token-000000`, { width: 360 });
    await page.getByTestId('status-unknown').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});
