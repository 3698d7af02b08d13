// End-to-end test of paying by NBS IPS QR on the checkout, against the real binary in Chromium:
// the panel beside the card with the server-drawn QR code, the payment-order data with copy
// buttons and the steps, in three languages at 360 and 1280 px, and the invoice PDF link.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadedWidth } from '../../frontend-shared/e2e/images.mjs';
import { ARTIFACTS, seriousViolations, startApp } from './harness.mjs';

const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

let app;

before(async () => {
  app = await startApp();
  const r = await app.api('PATCH', '/merchant', {
    ips_enabled: true,
    ips_account: '160-0000000123456-54',
    ips_payee: 'Pekara Đurić, Novi Sad',
    pib: '100002887',
    mb: '07014638',
  });
  assert.equal(r.status, 200, `enable IPS: ${r.text}`);
});

after(async () => {
  await app?.stop();
});

const cases = [
  { locale: 'en', width: 1280, heading: 'Pay by IPS QR (instant transfer)', copy: 'Copy' },
  { locale: 'sr-Latn', width: 360, heading: 'Plaćanje IPS QR kodom (instant transfer)', copy: 'Kopiraj' },
  { locale: 'sr-Cyrl', width: 360, heading: 'Плаћање ИПС QR кодом (инстант трансфер)', copy: 'Копирај' },
  { locale: 'sr-Cyrl', width: 1280, heading: 'Плаћање ИПС QR кодом (инстант трансфер)', copy: 'Копирај' },
];

describe('IPS QR on the checkout', () => {
  for (const c of cases) {
    test(`${c.locale} at ${c.width} px shows the QR code, the payment-order data and the steps`, async () => {
      const r = await app.api('POST', '/invoices', {
        customer: { name: 'Ana Anić', email: 'ana@example.com' },
        currency: 'RSD',
        lines: [{ description: 'Kifle i đevrek', quantity: 2, unit_amount: 240000, vat_rate: 20 }],
        locale: c.locale,
      });
      assert.equal(r.status, 201, r.text);
      const inv = r.json;
      assert.ok(inv.ips_qr?.payload.startsWith('K:PR|V:01|C:1|R:160000000012345654|'), inv.ips_qr?.payload);

      const context = await app.browser.newContext({ viewport: { width: c.width, height: 900 }, locale: 'en-US' });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.base });
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      await page.goto(inv.link.url);
      const panel = page.getByTestId('ips-panel');
      await panel.waitFor();
      assert.equal(plain(await panel.getByRole('heading', { level: 2 }).innerText()), c.heading);

      // The code is the server's SVG and it loaded.
      const img = panel.locator('img.qr');
      assert.ok((await loadedWidth(img)) > 0, 'the QR image loaded');
      assert.match(await img.getAttribute('src'), /\/api\/v1\/checkout\/.+\/ips-qr\.svg$/);

      // The same data as text for a payment order.
      assert.equal(await panel.getByTestId('ips-account').innerText(), '160-0000000123456-54');
      assert.equal(await panel.getByTestId('ips-reference').innerText(), `${inv.ips_qr.model} ${inv.ips_qr.reference_number}`);
      assert.equal(await panel.getByTestId('ips-payee').innerText(), 'Pekara Đurić, Novi Sad');
      assert.equal(await panel.getByTestId('ips-code').innerText(), '221');
      assert.match(plain(await panel.getByTestId('ips-amount').innerText()), /4[.,]800[.,]00/);
      assert.equal(await panel.locator('ol.steps li').count(), 3);

      // Copy puts the value on the clipboard and says so.
      await panel.getByRole('button', { name: new RegExp(c.copy) }).nth(1).click();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '160-0000000123456-54');

      // The card form is still offered, and nothing is wider than the screen.
      await page.getByRole('checkbox').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the viewport`);

      // The invoice PDF is one link away.
      const href = await page.getByTestId('pdf-link').getAttribute('href');
      const pdf = await page.request.get(new URL(href, app.base).toString());
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');

      assert.deepEqual(await seriousViolations(page), []);
      assert.deepEqual(problems, []);
      await page.screenshot({ path: join(ARTIFACTS, `ips-${c.locale}-${c.width}.png`), fullPage: true });
      await context.close();
    });
  }
});
