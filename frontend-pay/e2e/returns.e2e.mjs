// End-to-end test of the way back to the merchant, against the real binary in Chromium: the
// checkout's cancel link and, after paying, "Return to <merchant>" with the automatic countdown,
// in three languages at 360 and 1280 px. A small shop server on loopback receives the payer and
// checks the signature as the README's Node snippet does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { ARTIFACTS, seriousViolations, startApp } from './harness.mjs';

const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

let app;
let shop;
let shopBase;
let secret;
let merchantName;
const arrivals = [];

before(async () => {
  app = await startApp();
  shop = createServer((req, res) => {
    // The browser also asks the shop for its favicon; only the pages count.
    if (!req.url.startsWith('/favicon')) arrivals.push(new URL(req.url, 'http://shop'));
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Shop</title><h1>Back at the shop</h1>');
  });
  await new Promise((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopBase = `http://127.0.0.1:${shop.address().port}`;
  const s = await app.api('POST', '/merchant/return-secret');
  assert.equal(s.status, 200, s.text);
  secret = s.json.secret;
  const m = await app.api('PATCH', '/merchant', { auto_return: true });
  assert.equal(m.status, 200, m.text);
  merchantName = m.json.name;
});

after(async () => {
  await app?.stop();
  shop?.close();
});

/** Whether a return URL's signature verifies with the merchant's secret (the README's rule). */
function verified(u) {
  const q = u.searchParams;
  const signed = ['ts', 'invoice', 'payment', 'status', 'amount', 'currency'].map((k) => q.get(k) ?? '').join('.');
  return createHmac('sha256', secret).update(signed).digest('hex') === q.get('signature');
}

const cases = [
  { locale: 'en', width: 1280, cancel: 'Cancel and return to', back: 'Return to', stay: 'Stay on this page' },
  { locale: 'en', width: 360, cancel: 'Cancel and return to', back: 'Return to', stay: 'Stay on this page' },
  { locale: 'sr-Latn', width: 1280, cancel: 'Odustanite i vratite se na sajt prodavca', back: 'Povratak na sajt prodavca', stay: 'Ostanite na ovoj stranici' },
  { locale: 'sr-Latn', width: 360, cancel: 'Odustanite i vratite se na sajt prodavca', back: 'Povratak na sajt prodavca', stay: 'Ostanite na ovoj stranici' },
  { locale: 'sr-Cyrl', width: 360, cancel: 'Одустаните и вратите се на сајт продавца', back: 'Повратак на сајт продавца', stay: 'Останите на овој страници' },
  { locale: 'sr-Cyrl', width: 1280, cancel: 'Одустаните и вратите се на сајт продавца', back: 'Повратак на сајт продавца', stay: 'Останите на овој страници' },
];

describe('back to the merchant', () => {
  for (const [i, c] of cases.entries()) {
    // The first case lets the countdown run out; the others stop it and follow the button.
    const automatic = i === 0;
    test(`${c.locale} at ${c.width} px: cancel link, then ${automatic ? 'the automatic return' : 'the return button'}`, async () => {
      const r = await app.api('POST', '/invoices', {
        customer: { name: 'Ana Anić', email: 'ana@example.com' },
        currency: 'RSD',
        lines: [{ description: 'Kifle i đevrek', quantity: 2, unit_amount: 120000, vat_rate: 20 }],
        locale: c.locale,
        success_url: `${shopBase}/thanks?order=${i}`,
        cancel_url: `${shopBase}/cart`,
      });
      assert.equal(r.status, 201, r.text);
      const inv = r.json;

      const context = await app.browser.newContext({ viewport: { width: c.width, height: 900 }, locale: 'en-US' });
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      // The countdown runs on a clock the test moves, so a slow machine cannot beat "Stay".
      await page.clock.install();
      await page.goto(inv.link.url);

      // While unpaid, the cancel link leads to the signed cancel URL.
      const cancel = page.getByTestId('cancel-link');
      await cancel.waitFor();
      assert.equal(plain(await cancel.innerText()), `${c.cancel} ${merchantName}`);
      const cancelURL = new URL(await cancel.getAttribute('href'));
      assert.equal(cancelURL.origin + cancelURL.pathname, `${shopBase}/cart`);
      assert.equal(cancelURL.searchParams.get('invoice'), inv.id);
      assert.ok(verified(cancelURL), 'the cancel URL is signed');
      let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the open page is ${overflow}px wider than the viewport`);
      assert.deepEqual(await seriousViolations(page), []);
      await page.screenshot({ path: join(ARTIFACTS, `return-open-${c.locale}-${c.width}.png`), fullPage: true });

      await page.getByRole('checkbox').check();
      await page.locator('#cc-number').pressSequentially('4242424242424242', { delay: 5 });
      await page.locator('#cc-exp').pressSequentially('12/30', { delay: 5 });
      await page.locator('#cc-csc').fill('123');
      if (await page.locator('#cc-name').count()) await page.locator('#cc-name').fill('ANA ANIC');
      await page.getByTestId('pay').click();

      const link = page.getByTestId('return-link');
      await link.waitFor({ timeout: 20_000 });
      assert.equal(plain(await link.innerText()), `${c.back} ${merchantName}`);
      await page.getByTestId('return-countdown').waitFor();
      if (automatic) {
        await page.clock.runFor(6000);
        await page.waitForURL(`${shopBase}/thanks?**`, { timeout: 20_000 });
      } else {
        await page.getByRole('button', { name: c.stay }).click();
        await page.clock.runFor(6000);
        assert.equal(await page.getByTestId('return-countdown').count(), 0, 'the countdown stopped');
        assert.equal(new URL(page.url()).origin, app.base, 'the payer stayed on the checkout');
        overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the receipt is ${overflow}px wider than the viewport`);
        assert.deepEqual(await seriousViolations(page), []);
        await page.screenshot({ path: join(ARTIFACTS, `return-paid-${c.locale}-${c.width}.png`), fullPage: true });
        await link.click();
        await page.waitForURL(`${shopBase}/thanks?**`);
      }
      // The browser also asks the shop for its favicon, sometimes after the page: skip that request.
      const landed = arrivals.filter((u) => u.pathname !== '/favicon.ico').at(-1);
      assert.equal(landed.pathname, '/thanks');
      assert.equal(landed.searchParams.get('order'), String(i));
      assert.equal(landed.searchParams.get('invoice'), inv.id);
      assert.equal(landed.searchParams.get('status'), 'captured');
      assert.equal(landed.searchParams.get('amount'), '240000');
      assert.equal(landed.searchParams.get('currency'), 'RSD');
      assert.ok(verified(landed), 'the return URL is signed with the merchant secret');
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});
