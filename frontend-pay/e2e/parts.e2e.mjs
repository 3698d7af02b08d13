// End-to-end test of paying an invoice in parts on the checkout, against the real binary in
// Chromium: the payer chooses the first part (refused below the merchant's minimum), pays it,
// sees what is left and pays the rest through the same link; in three languages at 360 and 1280 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, seriousViolations, startApp } from './harness.mjs';

const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

let app;

before(async () => {
  app = await startApp();
});

after(async () => {
  await app?.stop();
});

// The decimal mark and the texts the payer reads in each language.
const cases = [
  { locale: 'en', width: 1280, mark: '.', label: 'Amount to pay', invalid: 'Enter an amount from', rest: 'Pay the rest', paid: 'Paid so far' },
  { locale: 'en', width: 360, mark: '.', label: 'Amount to pay', invalid: 'Enter an amount from', rest: 'Pay the rest', paid: 'Paid so far' },
  { locale: 'sr-Latn', width: 360, mark: ',', label: 'Iznos za plaćanje', invalid: 'Unesite iznos od', rest: 'Plati ostatak', paid: 'Do sada plaćeno' },
  { locale: 'sr-Latn', width: 1280, mark: ',', label: 'Iznos za plaćanje', invalid: 'Unesite iznos od', rest: 'Plati ostatak', paid: 'Do sada plaćeno' },
  { locale: 'sr-Cyrl', width: 360, mark: ',', label: 'Износ за плаћање', invalid: 'Унесите износ од', rest: 'Плати остатак', paid: 'До сада плаћено' },
  { locale: 'sr-Cyrl', width: 1280, mark: ',', label: 'Износ за плаћање', invalid: 'Унесите износ од', rest: 'Плати остатак', paid: 'До сада плаћено' },
];

async function payWithVisa(page) {
  await page.locator('#cc-number').pressSequentially('4242424242424242', { delay: 5 });
  await page.locator('#cc-exp').pressSequentially('12/30', { delay: 5 });
  await page.locator('#cc-csc').fill('123');
  await page.getByTestId('pay').click();
  await page.getByTestId('success').waitFor({ timeout: 20_000 });
}

async function noOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('paying in parts', () => {
  for (const c of cases) {
    test(`${c.locale} at ${c.width} px: two parts pay the invoice`, async () => {
      const r = await app.api('POST', '/invoices', {
        customer: { name: 'Ana Anić', email: 'ana@example.com' },
        currency: 'RSD',
        lines: [{ description: 'Kapara za venčanje', quantity: 1, unit_amount: 100000, vat_rate: 20 }],
        allow_partial: true,
        min_first_amount: 30000,
        locale: c.locale,
      });
      assert.equal(r.status, 201, r.text);
      const inv = r.json;
      const tag = `parts-${c.locale}-${c.width}`;

      const context = await app.browser.newContext({ viewport: { width: c.width, height: 900 }, locale: 'en-US' });
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(inv.link.url);
      await page.getByRole('checkbox').check();
      const input = page.getByTestId('part-amount');
      await input.waitFor();
      // Everything due is offered first, written with the language's decimal mark.
      assert.equal(await input.inputValue(), `1000${c.mark}00`);
      assert.match(plain(await page.getByTestId('part').innerText()), new RegExp(c.label));

      // Below the first part's minimum: refused in the page, nothing is paid.
      await input.fill('200');
      await page.locator('#cc-number').pressSequentially('4242424242424242', { delay: 5 });
      await page.locator('#cc-exp').pressSequentially('12/30', { delay: 5 });
      await page.locator('#cc-csc').fill('123');
      await page.getByTestId('pay').click();
      await page.getByRole('alert').filter({ hasText: c.invalid }).waitFor();
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      assert.equal((await app.api('GET', `/invoices/${inv.id}`)).json.status, 'open');

      await input.fill(`400${c.mark}50`);
      assert.match(plain(await page.getByTestId('pay').innerText()), /400[.,]50/);
      await page.screenshot({ path: join(ARTIFACTS, `${tag}-first.png`), fullPage: true });
      await page.getByTestId('pay').click();
      await page.getByTestId('success').waitFor({ timeout: 20_000 });
      assert.match(plain(await page.getByTestId('part-due').innerText()), /599[.,]50/);
      assert.ok(await noOverflow(page), 'no horizontal overflow after the first part');
      await page.screenshot({ path: join(ARTIFACTS, `${tag}-part-paid.png`), fullPage: true });
      let after = (await app.api('GET', `/invoices/${inv.id}`)).json;
      assert.equal(after.status, 'partially_paid');
      assert.equal(after.amount_paid, 40050);

      // The rest, through the same link: the summary says what was paid and what is left.
      await page.getByRole('button', { name: c.rest }).click();
      await page.getByRole('checkbox').check();
      await input.waitFor();
      assert.equal(await input.inputValue(), `599${c.mark}50`);
      const paidDue = plain(await page.getByTestId('paid-due').innerText());
      assert.match(paidDue, new RegExp(c.paid));
      assert.match(paidDue, /400[.,]50/);
      assert.deepEqual(await seriousViolations(page), []);
      assert.ok(await noOverflow(page), 'no horizontal overflow on the second part');
      await page.screenshot({ path: join(ARTIFACTS, `${tag}-second.png`), fullPage: true });
      await payWithVisa(page);
      assert.equal(await page.getByTestId('part-due').count(), 0, 'nothing left to pay');
      after = (await app.api('GET', `/invoices/${inv.id}`)).json;
      assert.equal(after.status, 'paid');
      assert.equal(after.amount_paid, 100000);
      assert.equal(after.payments.length, 2);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});
