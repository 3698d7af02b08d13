// End-to-end test of what integrators see beside the API itself, against the real securelink binary in
// Debian's Chromium: the API reference at /api/docs (offline, grouped, Markdown, nested schemas,
// examples, curl) and the portal's Logs page of API requests, at 1280 and 360 px in every language.
// Run: SECURELINK_BIN=/tmp/securelink npm run e2e (the binary must embed a fresh `npm run build`).
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

describe('API reference and request logs end to end', { skip: !bin && 'SECURELINK_BIN is not set' }, () => {
  let app, base, browser, context, page, demo;
  // Requests the pages tried to make to any other origin: the reference must work without a network.
  const foreign = [];

  const axeCheck = async (name) => {
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `axe violations on ${name}: ${JSON.stringify(bad, null, 2)}`);
  };

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    app = await startSecurelink(bin);
    ({ base, demo } = app);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    await context.route('**/*', (route) => {
      if (new URL(route.request().url()).origin !== base) {
        foreign.push(route.request().url());
        return route.abort();
      }
      return route.continue();
    });
    page = await context.newPage();
    page.on('pageerror', (e) => app.logs.push(`pageerror: ${e.message}\n`));
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('the reference renders the public API offline', async () => {
    await page.goto(`${base}/api/docs`);
    await page.locator('#createInvoice').waitFor();
    // Tags in their order, internal groups hidden.
    const tags = await page.locator('main h2.tag').allTextContents();
    assert.deepEqual(tags.slice(0, 4), ['Invoices', 'Payment links', 'Reusable payment links', 'Payments']);
    assert.ok(tags.includes('Webhook events') && !tags.includes('Checkout') && !tags.includes('Portal session'), tags.join(', '));
    assert.equal(await page.locator('#payCheckout').count(), 0, 'the checkout is not in the public reference');
    // Markdown: backticks become code, not literal backticks.
    assert.ok((await page.locator('#intro code').count()) > 0, 'the intro renders `code`');
    assert.ok(!(await page.locator('#intro').textContent()).includes('`'));
    // A curl snippet with a placeholder key, nested schemas opened in place, an example response.
    const op = page.locator('#createInvoice');
    const curl = await op.locator('pre.curl').textContent();
    assert.match(curl, /curl -X POST '.*\/api\/v1\/invoices'/);
    assert.match(curl, /Authorization: Bearer sk_test_YOUR_KEY/);
    assert.match(curl, /"unit_amount"/);
    await op.locator('details.nested > summary', { hasText: 'Customer fields' }).first().click();
    await op.locator('details.nested[open] code', { hasText: 'email' }).first().waitFor();
    await op.locator('details.example > summary').first().click();
    assert.match(await op.locator('details.example[open] pre').first().textContent(), /"amount_total"/);
    // Webhook events are documented with their payload.
    assert.match(await page.locator('#webhook-invoice-paid').textContent(), /amount_paid/);
    await page.screenshot({ path: join(artifacts, 'api-docs-1280.png') });
    await axeCheck('API reference');
    await page.setViewportSize({ width: 360, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the reference scrolls sideways at 360 px by ${overflow}px`);
    await page.screenshot({ path: join(artifacts, 'api-docs-360.png') });
    assert.deepEqual(foreign, [], 'the reference asked for other origins');
  });

  test('the Logs page lists the API requests of the merchant', async () => {
    const auth = { Authorization: `Bearer ${demo.api_key}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${base}/api/v1/invoices`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ customer: { name: 'Ana Anić', email: 'ana@example.com' }, lines: [{ description: 'Torta', quantity: 1, unit_amount: 120000, vat_rate: 20 }] }),
    });
    assert.equal(created.status, 201);
    const createdID = created.headers.get('x-request-id');
    const missing = await fetch(`${base}/api/v1/invoices/inv_missing`, { headers: auth });
    assert.equal(missing.status, 404);
    const login = await context.request.post(`${base}/api/v1/auth/login`, { data: { email: demo.email, password: demo.password } });
    assert.equal(login.status(), 200);

    await page.setViewportSize({ width: 1280, height: 900 });
    // The log is written in batches every second: reload until the requests show.
    const deadline = Date.now() + 15_000;
    for (;;) {
      await page.goto(`${base}/portal/logs`);
      await page.locator('h1').waitFor();
      if ((await page.locator('td', { hasText: createdID }).count()) > 0 || Date.now() > deadline) break;
      await page.waitForTimeout(500);
    }
    assert.equal(await page.locator('h1').textContent(), 'Request logs');
    const row = page.locator('tr', { hasText: createdID });
    assert.match(await row.textContent(), /POST\s*\/api\/v1\/invoices/);
    assert.match(await row.textContent(), /201/);
    assert.ok((await page.locator('tr', { hasText: '/api/v1/invoices/inv_missing' }).count()) > 0);
    assert.equal(await page.locator('nav a[aria-current="page"]').textContent(), 'Logs');
    await page.screenshot({ path: join(artifacts, 'logs-en-1280.png'), fullPage: true });
    await axeCheck('Logs');

    await page.getByLabel('Only failed requests').check();
    await page.locator('tr', { hasText: createdID }).waitFor({ state: 'detached' });
    assert.ok((await page.locator('tr', { hasText: '404' }).count()) > 0);

    await page.setViewportSize({ width: 360, height: 800 });
    for (const [locale, heading] of [['sr-Latn', 'Log zahteva'], ['sr-Cyrl', 'Лог захтева']]) {
      await page.evaluate((l) => localStorage.setItem('securelink.portal.locale', l), locale);
      await page.goto(`${base}/portal/logs`);
      await page.locator('h1', { hasText: heading }).waitFor();
      await page.locator('td', { hasText: createdID }).waitFor();
      // The page's own content must fit; the shared header is measured by the portal's own test.
      const overflow = await page.evaluate(() => {
        const shown = [...document.querySelectorAll('#main *')].filter((e) => !e.closest('thead, .visually-hidden'));
        return Math.max(...shown.map((e) => e.getBoundingClientRect().right)) - window.innerWidth;
      });
      assert.ok(overflow <= 1, `the Logs page is wider than the screen at 360 px in ${locale} by ${overflow}px`);
      await page.screenshot({ path: join(artifacts, `logs-${locale}-360.png`), fullPage: true });
    }
    assert.deepEqual(foreign, [], 'the portal asked for other origins');
  });
});
