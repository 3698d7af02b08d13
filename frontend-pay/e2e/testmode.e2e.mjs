// End-to-end test of test mode on the checkout, against the real binary in Chromium: a test
// invoice shows "Test mode: no real money moves" and the test cards the API lists (three languages,
// 360 and 1280 px), pays with one of them and still says test on the receipt; a live invoice shows
// none of it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, seriousViolations, startApp } from './harness.mjs';

const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

let app;
let liveKey;

/**
 * A live secret key of the demo merchant: its owner logs in, switches the session to live and creates
 * one, and connects a live Stripe account (live invoices need a real provider; nothing is paid here).
 */
async function createLiveKey() {
  const login = await fetch(`${app.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: app.seed.email, password: app.seed.password }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf } = await login.json();
  const call = async (path, body) => {
    const r = await fetch(`${app.base}/api/v1${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
      body: JSON.stringify(body),
    });
    const json = await r.json();
    assert.ok(r.ok, `${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  await call('/auth/mode', { livemode: true });
  const key = await call('/api-keys', { name: 'live e2e' });
  assert.match(key.secret, /^sk_live_/);
  const connect = await fetch(`${app.base}/api/v1/provider-accounts/live`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key.secret}` },
    body: JSON.stringify({ provider: 'stripe', values: { secret_key: 'sk_live_e2e0000000000', publishable_key: 'pk_live_e2e0000000000' } }),
  });
  assert.equal(connect.status, 200, await connect.text());
  return key.secret;
}

before(async () => {
  app = await startApp();
  liveKey = await createLiveKey();
});

after(async () => {
  await app?.stop();
});

const invoice = (locale) => ({
  customer: { name: 'Ana Anić', email: 'ana@example.com' },
  currency: 'RSD',
  lines: [{ description: 'Torta sa višnjama', quantity: 1, unit_amount: 480000, vat_rate: 20 }],
  locale,
});

const cases = [
  { locale: 'en', band: 'Test mode: no real money moves', cards: 'Test cards', succeeds: 'Payment succeeds' },
  { locale: 'sr-Latn', band: 'Test režim: pravi novac se ne prenosi', cards: 'Test kartice', succeeds: 'Plaćanje uspeva' },
  { locale: 'sr-Cyrl', band: 'Тест режим: прави новац се не преноси', cards: 'Тест картице', succeeds: 'Плаћање успева' },
];

describe('test mode on the checkout', () => {
  for (const c of cases) {
    for (const width of [360, 1280]) {
      test(`${c.locale} at ${width} px: a test invoice says so and lists the test cards`, async () => {
        const r = await app.api('POST', '/invoices', invoice(c.locale));
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.livemode, false);
        const checkout = await app.api('GET', `/checkout/${r.json.link.token}`);
        const cards = checkout.json.test_cards;
        assert.ok(cards.length >= 4, 'the API lists the test cards');

        const context = await app.browser.newContext({ viewport: { width, height: 900 }, locale: 'en-US' });
        const page = await context.newPage();
        const problems = [];
        page.on('pageerror', (e) => problems.push(e.message));
        await page.goto(r.json.link.url);
        const band = page.getByTestId('test-mode-band');
        await band.waitFor();
        assert.equal(plain(await band.locator('#testband-title').innerText()), c.band);

        // The cards are the API's, one row each, with what they do.
        const list = band.getByTestId('test-cards');
        await list.locator('summary').click();
        assert.equal(plain(await list.locator('summary').innerText()), c.cards);
        const rows = list.locator('li');
        await rows.first().waitFor();
        assert.equal(await rows.count(), cards.length);
        const first = plain(await rows.first().innerText());
        assert.ok(first.startsWith('4242 4242 4242 4242'), first);
        assert.ok(first.includes(c.succeeds), first);
        const amex = cards.findIndex((k) => k.brand === 'amex');
        assert.ok(plain(await rows.nth(amex).innerText()).startsWith('3782 822463 10005'));

        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the viewport`);
        assert.deepEqual(await seriousViolations(page), []);
        await page.screenshot({ path: join(ARTIFACTS, `testmode-${c.locale}-${width}.png`), fullPage: true });
        assert.deepEqual(problems, []);
        await context.close();
      });
    }
  }

  test('a paid test invoice still says test on its receipt', async () => {
    const r = await app.api('POST', '/invoices', invoice('en'));
    assert.equal(r.status, 201, r.text);
    const context = await app.browser.newContext({ viewport: { width: 360, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(r.json.link.url);
    await page.getByRole('checkbox').check();
    await page.locator('#cc-number').pressSequentially('4242424242424242', { delay: 5 });
    await page.locator('#cc-exp').pressSequentially('12/30', { delay: 5 });
    await page.locator('#cc-csc').fill('123');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByTestId('success').waitFor();
    const band = page.getByTestId('test-mode-band');
    assert.equal(plain(await band.innerText()), 'Test mode: no real money moves');
    assert.equal(await band.getByTestId('test-cards').count(), 0, 'no card list once paid');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the receipt is ${overflow}px wider than the viewport`);
    await page.screenshot({ path: join(ARTIFACTS, 'testmode-receipt-en-360.png'), fullPage: true });
    await context.close();
  });

  test('a live invoice shows no test band and no test cards', async () => {
    const r = await app.api('POST', '/invoices', invoice('en'), { Authorization: `Bearer ${liveKey}` });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.livemode, true);
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(r.json.link.url);
    await page.getByRole('checkbox').waitFor();
    assert.equal(await page.getByTestId('test-mode-band').count(), 0);
    assert.ok(!(await page.locator('body').innerText()).includes('Test mode'), 'no word of test mode');
    await page.screenshot({ path: join(ARTIFACTS, 'testmode-live-en-1280.png'), fullPage: true });
    await context.close();
  });

  // Last: it disconnects the live account the other tests use, and connects it again after.
  test('a live invoice whose provider account was removed gets a calm page in the payer\'s language', async () => {
    const live = { Authorization: `Bearer ${liveKey}` };
    const r = await app.api('POST', '/invoices', invoice('en'), live);
    assert.equal(r.status, 201, r.text);
    const gone = await fetch(`${app.base}/api/v1/provider-accounts/live`, { method: 'DELETE', headers: live });
    assert.equal(gone.status, 204, await gone.text());
    try {
      const api = await app.api('GET', `/checkout/${r.json.link.token}`);
      assert.equal(api.status, 409);
      assert.equal(api.json.error.code, 'live_provider_missing');
      const raw = api.json.error.message;
      for (const [browserLocale, title, width] of [
        ['en-US', 'Card payment is not available right now', 1280],
        ['sr-Latn-RS', 'Plaćanje karticom trenutno nije dostupno', 360],
        ['sr-RS', 'Плаћање картицом тренутно није доступно', 360],
      ]) {
        const context = await app.browser.newContext({ viewport: { width, height: 900 }, locale: browserLocale });
        const page = await context.newPage();
        const problems = [];
        page.on('pageerror', (e) => problems.push(e.message));
        await page.goto(r.json.link.url);
        const status = page.getByTestId('status-unavailable');
        await status.waitFor();
        assert.equal(plain(await status.getByRole('heading', { level: 1 }).innerText()), title);
        const body = await page.locator('body').innerText();
        assert.ok(!body.includes(raw) && !/provider account|provider-accounts/i.test(body), `no word meant for the merchant: ${body}`);
        assert.equal(await page.getByRole('checkbox').count(), 0, 'no form to pay with');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the viewport`);
        assert.deepEqual(await seriousViolations(page), []);
        await page.screenshot({ path: join(ARTIFACTS, `unavailable-${browserLocale}-${width}.png`), fullPage: true });
        assert.deepEqual(problems, []);
        await context.close();
      }
    } finally {
      const again = await fetch(`${app.base}/api/v1/provider-accounts/live`, {
        method: 'PUT',
        headers: { ...live, 'Content-Type': 'application/json' },
        body: JSON.stringify({ provider: 'stripe', values: { secret_key: 'sk_live_e2e0000000000', publishable_key: 'pk_live_e2e0000000000' } }),
      });
      assert.equal(again.status, 200, await again.text());
    }
  });
});
