// End-to-end test of the merchant's brand colour on the checkout, against the real binary in
// Chromium: the header and the pay button take the colour with the text colour the server chose
// (black on a light colour, white on a dark one), axe finds no contrast problem, and the page has
// no CSP violation, in three languages at 360 and 1280 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, seriousViolations, startApp } from './harness.mjs';

let app;

before(async () => {
  app = await startApp();
});

after(async () => {
  await app?.stop();
});

const cases = [
  { color: '#ffd400', rgb: 'rgb(255, 212, 0)', ink: 'rgb(0, 0, 0)', locale: 'en', width: 1280 },
  { color: '#ffd400', rgb: 'rgb(255, 212, 0)', ink: 'rgb(0, 0, 0)', locale: 'sr-Latn', width: 360 },
  { color: '#0b3d2e', rgb: 'rgb(11, 61, 46)', ink: 'rgb(255, 255, 255)', locale: 'sr-Cyrl', width: 360 },
  { color: '#0b3d2e', rgb: 'rgb(11, 61, 46)', ink: 'rgb(255, 255, 255)', locale: 'en', width: 360 },
  { color: '#0b3d2e', rgb: 'rgb(11, 61, 46)', ink: 'rgb(255, 255, 255)', locale: 'sr-Latn', width: 1280 },
  { color: '#ffd400', rgb: 'rgb(255, 212, 0)', ink: 'rgb(0, 0, 0)', locale: 'sr-Cyrl', width: 1280 },
];

describe('brand colour on the checkout', () => {
  for (const c of cases) {
    test(`${c.color} in ${c.locale} at ${c.width} px`, async () => {
      const m = await app.api('PATCH', '/merchant', { brand_color: c.color.toUpperCase() });
      assert.equal(m.status, 200, m.text);
      const r = await app.api('POST', '/invoices', {
        customer: { name: 'Ana Anić', email: 'ana@example.com' },
        currency: 'RSD',
        lines: [{ description: 'Kifle i đevrek', quantity: 2, unit_amount: 120000, vat_rate: 20 }],
        locale: c.locale,
      });
      assert.equal(r.status, 201, r.text);
      const context = await app.browser.newContext({ viewport: { width: c.width, height: 900 }, locale: 'en-US' });
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
      });
      await page.goto(r.json.link.url);
      await page.getByRole('checkbox').check();
      const pay = page.getByTestId('pay');
      await pay.waitFor();
      await page.waitForFunction(() => document.documentElement.classList.contains('branded'));
      const styles = await page.evaluate(() => {
        const top = getComputedStyle(document.querySelector('header.top'));
        const btn = getComputedStyle(document.querySelector('[data-testid="pay"]'));
        return { topBg: top.backgroundColor, topInk: top.color, payBg: btn.backgroundColor, payInk: btn.color };
      });
      assert.deepEqual(styles, { topBg: c.rgb, topInk: c.ink, payBg: c.rgb, payInk: c.ink });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the viewport`);
      assert.deepEqual(await seriousViolations(page), []);
      assert.deepEqual(problems, []);
      await page.screenshot({ path: join(ARTIFACTS, `brand-${c.color.slice(1)}-${c.locale}-${c.width}.png`), fullPage: true });
      await context.close();
    });
  }
});
