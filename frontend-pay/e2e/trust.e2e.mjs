// "Trust at first sight", the payer's side, against the real binary in Debian's Chromium: who is
// paid (identity, logo, card brands), Serbian that reads right, one language at a time (3-D Secure
// page, the locale rule, no Latin month on a Cyrillic page), the phone checkout, what happened to
// the money, the receipt and its PDF (and a copy promised only when e-mails leave), link previews
// and what the first load costs.
// Run: SECURELINK_BIN=/tmp/securelink node --test e2e/trust.e2e.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { loadedWidth } from '../../frontend-shared/e2e/images.mjs';
import { smtpSink } from '../../frontend-shared/e2e/smtpsink.mjs';
import { ARTIFACTS, seriousViolations, startApp } from './harness.mjs';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };
const LOCALES = ['sr-Latn', 'sr-Cyrl', 'en'];
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
const LATIN_MONTHS = /januar|februar|mart|april|maj|jun|jul|avgust|septembar|septembra|oktob|novemb|decemb/i;

let app;
let logoURL;

/** A small PNG logo (a red band on white), written by hand: signature, IHDR, IDAT, IEND. */
function pngLogo(w = 48, h = 24) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3, 255);
    row[0] = 0;
    if (y > h / 3 && y < (2 * h) / 3) for (let x = 0; x < w; x++) row.writeUIntBE(0xc0392b, 1 + x * 3, 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const LOGO_PNG = pngLogo();

before(async () => {
  app = await startApp();
  const patch = await app.api('PATCH', '/merchant', {
    legal_name: 'Radnja Zora doo',
    address: 'Knez Mihailova 1, 11000 Beograd',
    pib: '100002887',
    mb: '12345676',
    support_email: 'kontakt@zora.example',
  });
  assert.equal(patch.status, 200, patch.text);
  const r = await fetch(`${app.base}/api/v1/merchant/logo`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${app.seed.api_key}`, 'Content-Type': 'image/png' },
    body: LOGO_PNG,
  });
  assert.equal(r.status, 200, await r.clone().text());
  logoURL = (await r.json()).url;
});

after(async () => {
  await app?.stop();
});

/** Creates an invoice on instance a (the shared one unless given). */
async function createInvoice(overrides = {}, a = app) {
  const r = await a.api('POST', '/invoices', {
    customer: { name: 'Ana Anić', email: 'ana@example.com' },
    currency: 'RSD',
    lines: [
      { description: 'Torta', quantity: 1, unit_amount: 2500050, vat_rate: 20 },
      { description: 'Dostava', quantity: 1, unit_amount: 350000, vat_rate: 20 },
    ],
    description: 'Rođendanska torta',
    reference: `TR-${Date.now().toString(36)}`,
    capture_mode: 'automatic',
    locale: 'sr-Latn',
    ...overrides,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

/** Pays a link of instance a through the API as the checkout does (tokenise at the gateway, then pay). */
async function payByAPI(inv, number = '4242424242424242', a = app) {
  const tok = await fetch(`${a.base}/gateway/v1/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ number, exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: '123' }),
  }).then((r) => r.json());
  const r = await fetch(`${a.base}/api/v1/checkout/${inv.link.token}/pay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-${Date.now().toString(36)}` },
    body: JSON.stringify({ terms_accepted: true, payment_token: tok.id }),
  });
  const p = await r.json();
  assert.equal(r.status, 200, JSON.stringify(p));
  return p;
}

async function openPage(url, viewport = DESKTOP, locale = 'en-US') {
  const context = await app.browser.newContext({ viewport, locale });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (req) => requests.push(req.url()));
  const response = await page.goto(url);
  return { page, context, problems, requests, response };
}

async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function noOverflow(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${what}: ${overflow}px wider than the screen`);
}

describe('who am I paying', () => {
  for (const locale of LOCALES) {
    for (const [vpName, viewport] of [
      ['360', PHONE],
      ['1280', DESKTOP],
    ]) {
      test(`identity, logo and card brands on the checkout (${locale}, ${vpName} px)`, async () => {
        const inv = await createInvoice({ locale });
        const { page, context, problems } = await openPage(inv.link.url, viewport);
        await page.getByTestId('total').waitFor();
        assert.equal(await page.getByTestId('merchant-logo').getAttribute('src'), logoURL);
        assert.ok((await loadedWidth(page.getByTestId('merchant-logo'))) > 0, 'the logo loads');
        assert.match(plain(await page.getByTestId('merchant-legal').innerText()), /Radnja Zora doo · (PIB|ПИБ|Tax ID \(PIB\)) 100002887/);
        if (viewport === PHONE) await page.getByTestId('summary-toggle').click();
        const identity = plain(await page.getByTestId('merchant-identity').innerText());
        for (const want of ['Radnja Zora doo', 'Knez Mihailova 1, 11000 Beograd', '100002887', '12345676', 'kontakt@zora.example']) {
          assert.ok(identity.includes(want), `identity lacks ${want}: ${identity}`);
        }
        const brands = page.getByTestId('brands');
        assert.equal(await brands.locator('[role="img"]').count(), 5, 'five card brands before the card form');
        assert.equal(await page.locator('#cc-number').count(), 0, 'the brands show before the card form');
        assert.deepEqual(await seriousViolations(page), []);
        await noOverflow(page, `checkout ${locale} ${vpName}`);
        // The language switch shows its whole label (Chromium draws the arrow in about 16 px).
        const label = await page.locator('#lang-select').evaluate((sel) => {
          const cs = getComputedStyle(sel);
          const ctx = document.createElement('canvas').getContext('2d');
          ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          const text = sel.options[sel.selectedIndex].text;
          return { text, need: ctx.measureText(text).width, room: sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16 };
        });
        assert.ok(label.need <= label.room, `${locale} ${vpName}: the language switch cuts "${label.text}" (${label.need} px in ${label.room} px)`);
        await shot(page, `trust-checkout-${locale}-${vpName}`);
        // After the terms: the card form is there, fits the screen and stays clean.
        await page.getByTestId('terms').check();
        await page.locator('#cc-number').waitFor();
        await noOverflow(page, `checkout after the terms ${locale} ${vpName}`);
        assert.deepEqual(await seriousViolations(page), []);
        await shot(page, `trust-after-terms-${locale}-${vpName}`);
        assert.deepEqual(problems, []);
        await context.close();
      });
    }
  }
});

describe('the phone checkout leads to paying', () => {
  test('compact summary that expands; ticking the terms brings the card form into view with focus; no name field', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const { page, context, problems } = await openPage(inv.link.url, PHONE);
    await page.getByTestId('total').waitFor();
    assert.equal(await page.getByTestId('summary-details').isVisible(), false, 'lines wait behind the toggle');
    const terms = page.getByTestId('terms');
    const box = await terms.boundingBox();
    assert.ok(box && box.y + box.height <= PHONE.height, `the terms checkbox is on the first screen (y=${box?.y})`);
    await shot(page, 'trust-phone-first-screen-en-360');
    await page.getByTestId('summary-toggle').click();
    assert.equal(await page.getByTestId('summary-toggle').getAttribute('aria-expanded'), 'true');
    assert.match(plain(await page.getByTestId('summary-details').innerText()), /Torta/);
    await page.getByTestId('summary-toggle').click();

    await terms.check();
    await page.waitForFunction(() => document.activeElement?.id === 'cc-number');
    await page.waitForFunction(() => {
      const r = document.getElementById('cc-number')?.getBoundingClientRect();
      return !!r && r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.equal(await page.locator('#cc-name').count(), 0, 'the test gateway needs no name on the card');
    // No large empty gaps: the pay button follows the last field closely.
    const gap = await page.evaluate(() => {
      const cvc = document.getElementById('cc-csc')?.getBoundingClientRect();
      const pay = document.querySelector('[data-testid="pay"]')?.getBoundingClientRect();
      return pay && cvc ? pay.top - cvc.bottom : 999;
    });
    assert.ok(gap < 80, `${gap}px between the last field and the pay button`);
    await shot(page, 'trust-phone-card-form-en-360');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('money told truthfully to the payer', () => {
  test('a partly refunded order says how much came back and when', async () => {
    const inv = await createInvoice({ locale: 'sr-Latn' });
    const p = await payByAPI(inv);
    const rf = await app.api('POST', `/payments/${p.id}/refunds`, { amount: 500000 });
    assert.ok(rf.status === 200 || rf.status === 201, rf.text);
    for (const [vpName, viewport] of [
      ['360', PHONE],
      ['1280', DESKTOP],
    ]) {
      const { page, context } = await openPage(inv.link.url, viewport);
      await page.getByTestId('status-partlyRefunded').waitFor();
      assert.match(plain(await page.getByTestId('status-text').innerText()), /Od plaćenih 28\.500,50 RSD na vašu karticu je vraćeno 5\.000,00 RSD\./);
      await page.getByTestId('receipt').waitFor();
      const refund = plain(await page.getByTestId('receipt-refund').innerText());
      assert.match(refund, /Vraćeno \d{1,2}\. [a-z]+a \d{4}\./);
      assert.match(refund, /5\.000,00 RSD/);
      assert.deepEqual(await seriousViolations(page), []);
      await noOverflow(page, 'partly refunded');
      await shot(page, `trust-partly-refunded-sr-Latn-${vpName}`);
      await context.close();
    }
  });

  test('a voided hold says the reserved amount was released', async () => {
    const inv = await createInvoice({ locale: 'en', capture_mode: 'manual' });
    const p = await payByAPI(inv);
    const v = await app.api('POST', `/payments/${p.id}/void`);
    assert.equal(v.status, 200, v.text);
    const { page, context } = await openPage(inv.link.url, PHONE);
    await page.getByTestId('status-released').waitFor();
    assert.match(plain(await page.getByTestId('status-text').innerText()), /The RSD 28,500.50 reserved on your card was released on \d{1,2} \w+ \d{4}\. It will not be charged\./);
    await page.getByTestId('receipt-released').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await shot(page, 'trust-released-en-360');
    await context.close();
  });

  test('a partially captured payment shows the amount charged', async () => {
    const inv = await createInvoice({ locale: 'sr-Cyrl', capture_mode: 'manual' });
    const p = await payByAPI(inv);
    const c = await app.api('POST', `/payments/${p.id}/capture`, { amount: 2000000 });
    assert.equal(c.status, 200, c.text);
    const { page, context } = await openPage(inv.link.url, DESKTOP);
    await page.getByTestId('receipt').waitFor();
    assert.equal(plain(await page.getByTestId('receipt-amount').innerText()), '20.000,00 RSD');
    assert.match(plain(await page.getByTestId('receipt-partial').innerText()), /28\.500,50 RSD.*20\.000,00 RSD/);
    await shot(page, 'trust-partial-capture-sr-Cyrl-1280');
    await context.close();
  });
});

describe('a receipt worth keeping', () => {
  for (const locale of LOCALES) {
    test(`paying shows lines, VAT, merchant, payer and a PDF, and without SMTP promises no copy (${locale})`, async () => {
      const inv = await createInvoice({ locale });
      const { page, context, problems } = await openPage(inv.link.url, PHONE);
      await page.getByTestId('terms').check();
      await page.locator('#cc-number').pressSequentially('4242424242424242', { delay: 5 });
      await page.locator('#cc-exp').pressSequentially('1230', { delay: 5 });
      await page.locator('#cc-csc').fill('123');
      await page.getByTestId('pay').click();
      await page.getByTestId('receipt').waitFor({ timeout: 20_000 });
      const text = plain(await page.getByTestId('receipt').innerText());
      for (const want of ['Torta', 'Dostava', 'Radnja Zora doo', '100002887', 'Ana Anić']) {
        assert.ok(text.includes(want), `receipt lacks ${want}: ${text}`);
      }
      // This SecureLink has no SMTP server: the receipt is only held, so no copy is promised.
      assert.equal(await page.getByTestId('receipt-emailed').count(), 0, `a copy is promised without SMTP: ${text}`);
      assert.ok(!text.includes('a•••@example.com'), `the receipt names where a copy goes without SMTP: ${text}`);
      assert.ok(/PDV|ПДВ|VAT/.test(text), 'VAT shown');
      const href = await page.getByTestId('receipt-pdf').getAttribute('href');
      const pdf = await fetch(new URL(href, app.base));
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.deepEqual(await seriousViolations(page), []);
      await noOverflow(page, `receipt ${locale}`);
      await shot(page, `trust-receipt-${locale}-360`);
      await page.setViewportSize(DESKTOP);
      await shot(page, `trust-receipt-${locale}-1280`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});

describe('a copy of the receipt is promised only when e-mails leave', () => {
  let mailing;
  let sink;
  before(async () => {
    sink = await smtpSink();
    mailing = await startApp({ SMTP_URL: sink.url, SMTP_FROM: 'SecureLink <no-reply@securelink.test>' });
  });
  after(async () => {
    await mailing?.stop();
    sink?.close();
  });

  /** A paid invoice of instance a, in the payer's locale. */
  async function paidInvoice(a, locale) {
    const inv = await createInvoice({ locale }, a);
    await payByAPI(inv, undefined, a);
    return inv;
  }

  const copyLine = {
    'sr-Latn': 'Kopija ove potvrde šalje se e-poštom na a•••@example.com.',
    'sr-Cyrl': 'Копија ове потврде шаље се е-поштом на a•••@example.com.',
    en: 'A copy of this receipt goes by e-mail to a•••@example.com.',
  };
  for (const locale of LOCALES) {
    test(`with an SMTP server the receipt says where the copy goes, and it goes (${locale})`, async () => {
      const toAna = () => sink.messages.filter((m) => /^To:.*ana@example\.com/im.test(m)).length;
      const before = toAna();
      const inv = await paidInvoice(mailing, locale);
      const context = await mailing.browser.newContext({ viewport: PHONE, locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(inv.link.url);
      const line = page.getByTestId('receipt-emailed');
      await line.waitFor({ timeout: 20_000 });
      assert.equal(plain(await line.innerText()), copyLine[locale]);
      await shot(page, `trust-receipt-copy-${locale}-360`);
      await context.close();
      // The promise is kept: the receipt reaches the SMTP server.
      const deadline = Date.now() + 20_000;
      while (toAna() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      assert.ok(toAna() > before, `no receipt for ${inv.number} reached the SMTP server`);
    });

    test(`without an SMTP server the receipt says nothing about a copy (${locale})`, async () => {
      const inv = await paidInvoice(app, locale);
      const { page, context, problems } = await openPage(inv.link.url, PHONE);
      await page.getByTestId('receipt').waitFor({ timeout: 20_000 });
      const text = plain(await page.getByTestId('receipt').innerText());
      assert.equal(await page.getByTestId('receipt-emailed').count(), 0, `a copy is promised without SMTP: ${text}`);
      assert.ok(!/a•••@example\.com|copy of this receipt|Kopija ove potvrde|Копија ове потврде/.test(text), text);
      await shot(page, `trust-receipt-nocopy-${locale}-360`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  test('a reusable link promises the receipt by e-mail only when e-mails leave', async () => {
    for (const [a, promised] of [[mailing, true], [app, false]]) {
      const l = await a.api('POST', '/payment-links', {
        title: 'Čas joge',
        currency: 'RSD',
        locale: 'sr-Latn',
        lines: [{ description: 'Čas', quantity: 1, unit_amount: 150000, vat_rate: 20 }],
      });
      assert.equal(l.status, 201, l.text);
      const context = await a.browser.newContext({ viewport: PHONE, locale: 'sr-Latn' });
      const page = await context.newPage();
      await page.goto(l.json.url);
      await page.getByTestId('continue').waitFor();
      const promise = page.getByTestId('receipt-promise');
      assert.equal(await promise.count(), promised ? 1 : 0, `receipt promised: ${promised}`);
      if (promised) assert.equal(plain(await promise.innerText()), 'Potvrda o plaćanju stiže na vašu e-adresu.');
      await shot(page, `trust-link-${promised ? 'promise' : 'no-promise'}-sr-Latn-360`);
      await context.close();
    }
  });
});

describe('one language at a time', () => {
  test('the 3-D Secure page speaks the invoice language with checkout-style amounts', async () => {
    // The "For" row shows the invoice's own text, or else "invoice <number>" in the invoice's language.
    for (const [locale, title, amount, description, forRow] of [
      ['sr-Cyrl', 'Потврдите плаћање', '28.500,50 RSD', undefined, /За\s+Рачун \S+/],
      ['sr-Latn', 'Potvrdite plaćanje', '28.500,50 RSD', 'Rođendanska torta', /Za\s+Rođendanska torta/],
      ['en', 'Confirm your payment', 'RSD 28,500.50', undefined, /For\s+Invoice \S+/],
    ]) {
      const inv = await createInvoice({ locale, description });
      const { page, context } = await openPage(inv.link.url, PHONE);
      await page.getByTestId('terms').check();
      await page.locator('#cc-number').pressSequentially('4000000000003220', { delay: 5 });
      await page.locator('#cc-exp').pressSequentially('1230', { delay: 5 });
      await page.locator('#cc-csc').fill('123');
      await page.getByTestId('pay').click();
      await page.waitForURL(/\/gateway\/v1\/3ds\//, { timeout: 20_000 });
      assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
      const body = plain(await page.locator('main').innerText());
      assert.ok(body.includes(title), `${locale}: ${body}`);
      assert.ok(body.includes(amount), `${locale}: amount in ${body}`);
      assert.doesNotMatch(body, /28500\.50/);
      assert.match(body, forRow, `${locale}: the "For" row in ${body}`);
      if (locale !== 'en') assert.doesNotMatch(body, /Invoice/, `${locale}: English in ${body}`);
      await shot(page, `trust-3ds-${locale}-360`);
      await page.setViewportSize(DESKTOP);
      await noOverflow(page, `3-D Secure ${locale} 1280`);
      await shot(page, `trust-3ds-${locale}-1280`);
      await page.locator('button.complete').click();
      await page.getByTestId('success').waitFor({ timeout: 20_000 });
      await context.close();
    }
  });

  test('plain "sr" and "sr-RS" browsers get Cyrillic, "sr-Latn" Latin, in the checkout and the portal alike', async () => {
    for (const [browser, want] of [
      ['sr', 'sr-Cyrl'],
      ['sr-RS', 'sr-Cyrl'],
      ['sr-Latn-RS', 'sr-Latn'],
      ['en-GB', 'en'],
    ]) {
      // An unknown link has no invoice language: the browser's decides.
      const { page, context } = await openPage(`${app.base}/pay/unknown-link`, PHONE, browser);
      await page.getByTestId('status-unknown').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), want, `checkout for ${browser}`);
      await page.goto(`${app.base}/portal/`);
      await page.waitForFunction(() => document.documentElement.lang && document.querySelector('h1, form'));
      assert.equal(await page.evaluate(() => document.documentElement.lang), want, `portal for ${browser}`);
      await context.close();
    }
  });

  test('a Cyrillic page never shows a Latin month, however slowly the texts arrive', async () => {
    const inv = await createInvoice({ locale: 'sr-Cyrl' });
    for (let round = 0; round < 3; round++) {
      const context = await app.browser.newContext({ viewport: PHONE, locale: 'sr-Latn-RS' });
      const page = await context.newPage();
      // The language chunks answer late, in the order that once let a Latin date slip in.
      await page.route(/messages-sr-(latn|cyrl)-.*\.js$/, async (route) => {
        await new Promise((r) => setTimeout(r, /cyrl/.test(route.request().url()) ? 400 : 50 + round * 150));
        await route.continue();
      });
      await page.goto(inv.link.url);
      await page.getByTestId('total').waitFor();
      await page.getByTestId('summary-toggle').click();
      // The dates on the page (the merchant's own terms may be in any script).
      const dates = async () => plain(await page.locator('.expires').innerText());
      const text = await dates();
      assert.match(text, /^Линк важи до \d{1,2}\. [\u0400-\u04ff]+а \d{4}\.$/, text);
      assert.doesNotMatch(text, LATIN_MONTHS, `round ${round}: ${text}`);
      // Switching Latin and back quickly ends in Cyrillic texts with a Cyrillic date.
      await page.locator('#lang-select').selectOption('sr-Latn');
      await page.locator('#lang-select').selectOption('sr-Cyrl');
      await page.waitForFunction(() => document.documentElement.lang === 'sr-Cyrl');
      await page.waitForTimeout(700);
      const after = await dates();
      assert.match(after, /^Линк важи до /, `after switching: ${after}`);
      assert.doesNotMatch(after, LATIN_MONTHS, `after switching: ${after}`);
      assert.match(await page.locator('main').innerText(), /Укупно/);
      await context.close();
    }
  });

  test('switching languages quickly while the page loads always ends in one script, dates included', async () => {
    const inv = await createInvoice({ locale: 'sr-Cyrl' });
    const CYRILLIC_MONTH = /^Линк важи до \d{1,2}\. [\u0400-\u04ff]+а \d{4}\.$/;
    const LATIN_MONTH = /^Link važi do \d{1,2}\. [a-zčćđšž]+a \d{4}\.$/;
    // Each round: the dictionaries answer after different delays, the payer switches two to four
    // times with no pause as soon as the switch is there, sometimes reloading in the middle.
    const rounds = [
      { delays: { latn: 300, cyrl: 20, en: 150 }, picks: ['sr-Latn', 'en', 'sr-Cyrl'], want: 'sr-Cyrl' },
      { delays: { latn: 20, cyrl: 400, en: 20 }, picks: ['sr-Latn', 'sr-Cyrl'], want: 'sr-Cyrl' },
      { delays: { latn: 250, cyrl: 250, en: 0 }, picks: ['en', 'sr-Latn', 'sr-Cyrl', 'sr-Latn'], want: 'sr-Latn' },
      { delays: { latn: 0, cyrl: 350, en: 500 }, picks: ['en', 'sr-Cyrl'], want: 'sr-Cyrl', reload: true },
      { delays: { latn: 450, cyrl: 0, en: 0 }, picks: ['sr-Latn', 'sr-Cyrl', 'sr-Latn'], want: 'sr-Latn', reload: true },
      { delays: { latn: 100, cyrl: 600, en: 100 }, picks: ['sr-Latn', 'en', 'sr-Latn', 'sr-Cyrl'], want: 'sr-Cyrl' },
    ];
    for (const [i, round] of rounds.entries()) {
      const context = await app.browser.newContext({ viewport: DESKTOP, locale: i % 2 ? 'en-GB' : 'sr-Latn-RS' });
      const page = await context.newPage();
      await page.route(/messages-(sr-latn|sr-cyrl|en)-.*\.js$/, async (route) => {
        const which = /sr-latn/.test(route.request().url()) ? 'latn' : /sr-cyrl/.test(route.request().url()) ? 'cyrl' : 'en';
        await new Promise((r) => setTimeout(r, round.delays[which]));
        await route.continue();
      });
      await page.goto(inv.link.url, { waitUntil: 'commit' });
      const select = page.locator('#lang-select');
      await select.waitFor();
      for (const [n, pick] of round.picks.entries()) {
        if (round.reload && n === 1) {
          await page.reload({ waitUntil: 'commit' });
          await select.waitFor();
        }
        await select.selectOption(pick, { timeout: 2000 });
      }
      await page.waitForFunction((want) => document.documentElement.lang === want, round.want);
      await page.waitForTimeout(800); // every delayed dictionary has answered by now
      assert.equal(await page.evaluate(() => document.documentElement.lang), round.want, `round ${i}`);
      assert.equal(await select.inputValue(), round.want, `round ${i}: the switch shows another language`);
      const expires = plain(await page.locator('.expires').innerText());
      const main = await page.locator('main').innerText();
      if (round.want === 'sr-Cyrl') {
        assert.match(expires, CYRILLIC_MONTH, `round ${i}`);
        assert.match(main, /Укупно/, `round ${i}`);
        assert.doesNotMatch(main, /Ukupno|Total\b/, `round ${i}`);
      } else {
        assert.match(expires, LATIN_MONTH, `round ${i}`);
        assert.match(main, /Ukupno/, `round ${i}`);
        assert.doesNotMatch(main, /Укупно|Total\b/, `round ${i}`);
      }
      if (i === rounds.length - 1) await shot(page, 'trust-lang-race-sr-Cyrl-1280');
      await context.close();
    }
  });

  test('no dictionary is fetched for a language the page does not show', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const { page, context, requests } = await openPage(inv.link.url, PHONE, 'sr-RS');
    await page.getByTestId('total').waitFor();
    const dictionaries = requests.filter((u) => /messages-/.test(u)).map((u) => u.replace(/.*\/(messages-[a-z-]+)-.*/, '$1'));
    assert.deepEqual(dictionaries, ['messages-en']);
    assert.equal(requests.filter((u) => u.includes('/api/v1/checkout/')).length, 0, 'the invoice paints from the page itself');
    assert.equal(requests.filter((u) => u.includes('/api/v1/currencies')).length, 0, 'the currency comes with the page');
    await context.close();
  });
});

describe('links that preview and a light first load', () => {
  test('a WhatsApp-like fetch (plain GET, no JavaScript) gets the title and og: tags, never the customer', async () => {
    const inv = await createInvoice({ locale: 'sr-Latn', customer: { name: 'Petar Tajni', email: 'petar@example.com' } });
    const r = await fetch(inv.link.url, { headers: { 'User-Agent': 'WhatsApp/2.24.1.6 A' } });
    const html = await r.text();
    const head = html.slice(0, html.indexOf('<script type="application/json"'));
    assert.match(head, /<title>Demo[^<]*: Rođendanska torta – 28\.500,50 RSD<\/title>/);
    assert.match(head, /<meta property="og:title" content="[^"]*Rođendanska torta – 28\.500,50 RSD" \/>/);
    assert.match(head, new RegExp(`<meta property="og:description" content="Račun ${inv.number} · 28\\.500,50 RSD`));
    assert.match(head, new RegExp(`<meta property="og:image" content="${app.base}${logoURL}" />`));
    assert.doesNotMatch(head, /Petar|petar@/);
  });

  test('assets come precompressed, and the plain file to a client that accepts neither', async () => {
    const inv = await createInvoice({ locale: 'en' });
    const html = await (await fetch(inv.link.url)).text();
    const js = /src="(\/pay\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(js, 'the page names its script');
    const raw = async (enc) => {
      const r = await fetch(app.base + js, { headers: { 'Accept-Encoding': enc } });
      await r.arrayBuffer();
      return r.headers;
    };
    assert.equal((await raw('gzip, deflate, br')).get('content-encoding'), 'br');
    assert.equal((await raw('gzip')).get('content-encoding'), 'gzip');
    const identity = await raw('identity');
    assert.equal(identity.get('content-encoding'), null);
    assert.match(identity.get('vary') ?? '', /Accept-Encoding/);
  });

  test('the checkout’s first load stays under 40 KB on the wire', async () => {
    const inv = await createInvoice({ locale: 'sr-Latn' });
    const context = await app.browser.newContext({ viewport: PHONE, locale: 'sr-RS' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
    await page.goto(inv.link.url);
    await page.getByTestId('total').waitFor();
    await page.waitForLoadState('networkidle');
    assert.ok(bytes > 10_000 && bytes <= 40 * 1024, `${bytes} bytes on the wire`);
    await context.close();
  });
});
