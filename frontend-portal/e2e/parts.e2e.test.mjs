// Paying in parts, seen from the merchant's portal, against the real binary in Chromium: the new-invoice
// form offers parts (only with automatic charging) and a least first part; after the payer pays a part
// the order is "Partly paid" in the list and on its page, which tells what each part paid and what was
// left after it. In three languages at 360 and 1280 px, with no horizontal overflow and axe clean.
// Run: SECURELINK_BIN=/path/to/securelink npm run e2e (the binary must embed fresh builds of both SPAs).
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startSecurelink } from './harness.mjs';

const require = createRequire(import.meta.url);
const bin = process.env.SECURELINK_BIN;
const artifacts = new URL('./artifacts/parts/', import.meta.url).pathname;
const axeSource = await readFile(require.resolve('axe-core'), 'utf8');
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

const texts = {
  en: { badge: 'Partially paid', due: 'Left to pay', part: 'Part 1', allow: 'The customer may pay in parts', minFirst: /Least first part/ },
  'sr-Latn': { badge: 'Delimično plaćen', due: 'Preostalo za plaćanje', part: 'Deo 1', allow: 'Kupac može da plati u delovima', minFirst: /Najmanji prvi deo/ },
  'sr-Cyrl': { badge: 'Делимично плаћен', due: 'Преостало за плаћање', part: 'Део 1', allow: 'Купац може да плати у деловима', minFirst: /Најмањи први део/ },
};

describe('paying in parts in the portal', { skip: bin ? false : 'SECURELINK_BIN is not set' }, () => {
  let s, browser;

  const api = async (method, path, body) => {
    const r = await fetch(`${s.base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${s.demo.api_key}`, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await r.json();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };

  /** Pays amount of an invoice as the checkout does: the card goes to the gateway, its token to SecureLink. */
  const payPart = async (token, amount) => {
    const tok = await (
      await fetch(`${s.base}/gateway/v1/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ number: '4242424242424242', cvc: '123', exp_month: 12, exp_year: new Date().getFullYear() + 3 }),
      })
    ).json();
    const r = await fetch(`${s.base}/api/v1/checkout/${token}/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ terms_accepted: true, payment_token: tok.id, amount }),
    });
    const p = await r.json();
    assert.equal(p.status, 'captured', JSON.stringify(p));
  };

  const loggedIn = async (lang, width) => {
    const ctx = await browser.newContext({ locale: lang === 'en' ? 'en-GB' : 'sr-RS', viewport: { width, height: 800 } });
    await ctx.addInitScript((l) => localStorage.setItem('securelink.portal.locale', l), lang);
    const page = await ctx.newPage();
    await page.goto(`${s.base}/portal/login`);
    await page.locator('#login-email').fill(s.demo.email);
    await page.locator('#login-password').fill(s.demo.password);
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL(`${s.base}/portal/`);
    return { ctx, page };
  };

  const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  const axeClean = async (page, name) => {
    await page.evaluate(axeSource);
    const bad = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(bad, [], `${name}: axe`);
  };

  before(async () => {
    s = await startSecurelink(bin);
    await mkdir(artifacts, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  });

  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  test('the form creates an invoice payable in parts', async () => {
    const { ctx, page } = await loggedIn('en', 1280);
    await page.goto(`${s.base}/portal/invoices/new`);
    await page.getByLabel('Name', { exact: true }).fill('Ana Anić');
    await page.getByLabel('E-mail', { exact: true }).fill('ana@example.com');
    const item = page.getByRole('group', { name: 'Item 1' });
    await item.getByLabel('Description').fill('Kapara');
    await item.getByLabel(/Unit price/).fill('1000');
    // Parts are sales: with manual charging the option is off.
    await page.getByLabel('How to charge').selectOption('manual');
    assert.equal(await page.getByTestId('allow-partial').isDisabled(), true);
    await page.getByLabel('How to charge').selectOption('automatic');
    await page.getByLabel(texts.en.allow).check();
    await page.getByLabel(texts.en.minFirst).fill('1500');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await page.getByText('Enter an amount no larger than the total.').waitFor();
    await page.getByLabel(texts.en.minFirst).fill('300');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await page.getByRole('heading', { level: 1, name: /^Invoice .* is ready$/ }).waitFor();
    const list = await api('GET', '/invoices?limit=1');
    const inv = list.data[0];
    assert.equal(inv.allow_partial, true);
    assert.equal(inv.min_first_amount, 30000);
    await ctx.close();
  });

  test('a part paid shows as partly paid, with what each part paid, in three languages at 360 and 1280 px', async () => {
    const inv = await api('POST', '/invoices', {
      customer: { name: 'Petar Petrović', email: 'petar@example.com' },
      lines: [{ description: 'Kapara za salu', quantity: 1, unit_amount: 100000, vat_rate: 20 }],
      allow_partial: true,
      min_first_amount: 30000,
    });
    await payPart(inv.link.token, 40000);
    for (const lang of Object.keys(texts)) {
      const w = texts[lang];
      for (const width of [360, 1280]) {
        const { ctx, page } = await loggedIn(lang, width);
        await page.goto(`${s.base}/portal/invoices?status=partially_paid`);
        await page.locator(`[data-status="partially_paid"]`).first().waitFor();
        assert.equal(plain(await page.locator('[data-status="partially_paid"]').first().innerText()), w.badge);
        assert.ok(await fits(page), `${lang} orders at ${width} px overflows`);
        await page.screenshot({ path: `${artifacts}orders-${lang}-${width}.png`, fullPage: true });

        await page.goto(`${s.base}/portal/invoices/${inv.id}`);
        await page.getByTestId('part-line').waitFor();
        assert.match(plain(await page.getByTestId('amount-due').innerText()), /600[.,]00/);
        const part = plain(await page.getByTestId('part-line').innerText());
        assert.ok(part.startsWith(w.part), part);
        assert.match(part, /400[.,]00.*600[.,]00/);
        assert.match(plain(await page.locator('main').innerText()), new RegExp(w.due));
        assert.ok(await fits(page), `${lang} order at ${width} px overflows`);
        await axeClean(page, `${lang} order at ${width} px`);
        await page.screenshot({ path: `${artifacts}order-${lang}-${width}.png`, fullPage: true });
        await ctx.close();
      }
    }
  });
});
