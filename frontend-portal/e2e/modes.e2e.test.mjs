// Test and live data in the portal, against the real binary in Debian's Chromium: a session starts
// in test mode with a band on every page saying so; the Test mode switch in the header shows the
// live data instead (and stays switched for the session); lists show one mode only. Checked at
// 1280 and 360 px in English, Serbian Latin and Cyrillic (no overflow, axe clean, screenshots).
// Run: SECURELINK_BIN=/path/to/securelink npm run e2e (the binary must embed a fresh `npm run build`).
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startSecurelink } from './harness.mjs';

const require = createRequire(import.meta.url);
const bin = process.env.SECURELINK_BIN;
const artifacts = new URL('./artifacts/', import.meta.url).pathname;
const axeSource = await readFile(require.resolve('axe-core'), 'utf8');
// Names in base 36: a run of digits could read as a card number and be refused.
const tag = Date.now().toString(36);
const testCustomer = `Probni Kupac ${tag}`;
const liveCustomer = `Pravi Kupac ${tag}`;

const bands = {
  en: 'Test mode: you are viewing test data',
  'sr-Latn': 'Test režim: pregledate probne podatke',
  'sr-Cyrl': 'Тест режим: прегледате пробне податке',
};

describe('test and live data in the portal', { skip: bin ? false : 'SECURELINK_BIN is not set' }, () => {
  let app, browser, context, page;

  async function post(path, body, headers) {
    const r = await fetch(`${app.base}/api/v1${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = await r.json();
    assert.ok(r.ok, `${path}: ${r.status} ${JSON.stringify(json)}`);
    return { json, headers: r.headers };
  }

  const invoice = (name) => ({
    customer: { name, email: 'kupac@example.rs' },
    lines: [{ description: 'Torta', quantity: 1, unit_amount: 120000, vat_rate: 20 }],
  });

  /**
   * A live key: the owner logs in outside the browser, switches that session to live and creates one,
   * and connects a live Stripe account (live invoices need a real provider; nothing is paid here).
   */
  async function liveKey() {
    const login = await post('/auth/login', { email: app.demo.email, password: app.demo.password });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const session = { Cookie: cookie, 'X-CSRF-Token': login.json.csrf_token };
    await post('/auth/mode', { livemode: true }, session);
    const key = (await post('/api-keys', { name: 'live' }, session)).json;
    assert.match(key.secret, /^sk_live_/);
    const connect = await fetch(`${app.base}/api/v1/provider-accounts/live`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key.secret}` },
      body: JSON.stringify({ provider: 'stripe', values: { secret_key: 'sk_live_e2e0000000000', publishable_key: 'pk_live_e2e0000000000' } }),
    });
    assert.equal(connect.status, 200, await connect.text());
    return key.secret;
  }

  const axeCheck = async (name) => {
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `axe violations on ${name}: ${JSON.stringify(bad)}`);
  };

  const noOverflow = async (name) => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} is ${overflow}px wider than the window`);
  };

  const setLang = async (lang) => {
    await page.locator('#lang').selectOption(lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  };

  const ordersShown = async () => {
    await page.goto(`${app.base}/portal/invoices`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    return page.locator('main').innerText();
  };

  /** Clicks the switch and waits for the pages to come back in the other mode. */
  const flip = async (toLive) => {
    const sw = page.getByTestId('mode-switch');
    await Promise.all([page.waitForEvent('load'), sw.click()]);
    await page.getByTestId('mode-switch').waitFor();
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid="mode-switch"]')?.getAttribute('aria-checked') === want,
      String(!toLive),
    );
  };

  before(async () => {
    if (!bin) return;
    await mkdir(artifacts, { recursive: true });
    app = await startSecurelink(bin);
    await post('/invoices', invoice(testCustomer), { Authorization: `Bearer ${app.demo.api_key}` });
    await post('/invoices', invoice(liveCustomer), { Authorization: `Bearer ${await liveKey()}` });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${app.base}/portal/login`);
    await page.getByLabel('E-mail').fill(app.demo.email);
    await page.getByLabel('Password').fill(app.demo.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/portal\/?$/);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('a session starts in test mode: the band is on every page and lists hold test data only', async () => {
    const band = page.getByTestId('test-band');
    await band.waitFor();
    assert.equal(await page.getByTestId('mode-switch').getAttribute('aria-checked'), 'true');
    for (const path of ['/portal/', '/portal/invoices', '/portal/settings', '/portal/logs']) {
      await page.goto(`${app.base}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      assert.equal((await band.getByTestId('test-band-text').innerText()).trim(), bands.en, `band on ${path}`);
    }
    const orders = await ordersShown();
    assert.ok(orders.includes(testCustomer), 'the test invoice is listed');
    assert.ok(!orders.includes(liveCustomer), 'the live invoice is not');
  });

  for (const lang of ['en', 'sr-Latn', 'sr-Cyrl']) {
    test(`the band and the switch in ${lang}, at 1280 and 360 px`, async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await ordersShown();
      await setLang(lang);
      const band = page.getByTestId('test-band');
      assert.equal((await band.getByTestId('test-band-text').innerText()).trim(), bands[lang]);
      await noOverflow(`orders in ${lang} at 1280 px`);
      await axeCheck(`orders in ${lang}`);
      await page.screenshot({ path: join(artifacts, `modes-test-${lang}-1280.png`), fullPage: true });
      await page.setViewportSize({ width: 360, height: 800 });
      await page.waitForTimeout(200);
      await noOverflow(`orders in ${lang} at 360 px`);
      const sw = await page.getByTestId('mode-switch').boundingBox();
      assert.ok(sw && sw.x >= 0 && sw.x + sw.width <= 360, `the switch fits at 360 px: ${JSON.stringify(sw)}`);
      await page.screenshot({ path: join(artifacts, `modes-test-${lang}-360.png`), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
    });
  }

  test('the switch shows live data, stays switched for the session, and switches back', async () => {
    await setLang('en');
    await ordersShown();
    await flip(true);
    assert.equal(await page.getByTestId('test-band').count(), 0, 'no band in live mode');
    let orders = await ordersShown();
    assert.ok(orders.includes(liveCustomer), 'the live invoice is listed');
    assert.ok(!orders.includes(testCustomer), 'the test invoice is not');
    await axeCheck('orders in live mode');
    await page.screenshot({ path: join(artifacts, 'modes-live-en-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.waitForTimeout(200);
    await noOverflow('live orders at 360 px');
    await page.screenshot({ path: join(artifacts, 'modes-live-en-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // The switch is kept with the session: a new page load is still live.
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await page.getByTestId('mode-switch').getAttribute('aria-checked'), 'false');

    await flip(false);
    await page.getByTestId('test-band').waitFor();
    orders = await ordersShown();
    assert.ok(orders.includes(testCustomer) && !orders.includes(liveCustomer), 'back to test data');
  });
});
