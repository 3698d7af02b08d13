// The checkout paying through AllSecure Exchange: the real binary with PSP=exchange against
// `securelink exchange-sandbox`, in Chromium. The card number and security code are typed into the
// sandbox's payment.js frames; with and without 3-D Secure, and a payment the bank confirms later.
// Run: SECURELINK_BIN=/tmp/securelink node --test e2e/exchange-checkout.e2e.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ARTIFACTS, seriousViolations, startApp } from './harness.mjs';

const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 360, height: 780 };

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `securelink exchange-sandbox` with its default credentials. */
async function startSandbox() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logs = [];
  const proc = spawn(process.env.SECURELINK_BIN, ['exchange-sandbox', '--addr', `127.0.0.1:${port}`, '--pending-for', '2s'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stderr.on('data', (d) => logs.push(String(d)));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base + '/')).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 150) throw new Error('exchange-sandbox did not start:\n' + logs.join(''));
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, stop: () => proc.kill('SIGTERM') };
}

let sandbox;
let app;

before(async () => {
  sandbox = await startSandbox();
  app = await startApp({
    PSP: 'exchange',
    EXCHANGE_API_URL: sandbox.base,
    EXCHANGE_API_KEY: 'sandbox-api-key',
    EXCHANGE_USERNAME: 'sandbox-user',
    EXCHANGE_PASSWORD: 'sandbox-password',
    EXCHANGE_SHARED_SECRET: 'sandbox-shared-secret',
    EXCHANGE_PUBLIC_INTEGRATION_KEY: 'sandbox-public-integration-key',
  });
});

after(async () => {
  await app?.stop();
  sandbox?.stop();
});

async function createInvoice(locale = 'en') {
  const r = await app.api('POST', '/invoices', {
    customer: { name: 'Ana Anić', email: 'ana@example.com' },
    currency: 'RSD',
    lines: [{ description: 'Konsultacije', quantity: 1, unit_amount: 125000, vat_rate: 20 }],
    capture_mode: 'automatic',
    locale,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function invoiceStatus(id) {
  const r = await app.api('GET', `/invoices/${id}`);
  return r.json.status;
}

async function waitForStatus(id, want) {
  for (let i = 0; i < 100; i++) {
    if ((await invoiceStatus(id)) === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await invoiceStatus(id), want);
}

async function openCheckout(url, viewport = DESKTOP) {
  const context = await app.browser.newContext({ viewport, locale: 'en-US' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.getByRole('checkbox').check();
  // The pay button is enabled once payment.js has mounted both frames.
  await page.locator('[data-testid="pay"]:not([disabled])').waitFor();
  return { page, context, problems };
}

async function fillCard(page, number, cvv = '123') {
  await page.frameLocator('#exchange-number iframe').locator('input').fill(number);
  await page.locator('#exchange-exp').fill('12/30');
  await page.frameLocator('#exchange-cvv iframe').locator('input').fill(cvv);
  await page.locator('#exchange-name').fill('ANA ANIC');
}

describe('checkout with AllSecure Exchange', () => {
  test('the test-mode band lists the sandbox\'s own test cards', async () => {
    const inv = await createInvoice('en');
    const cards = (await app.api('GET', `/checkout/${inv.link.token}`)).json.test_cards;
    assert.ok(cards.some((c) => c.number === '4000008400001629'), 'the API lists the sandbox\'s 3-D Secure failure card');
    const { page, context, problems } = await openCheckout(inv.link.url, MOBILE);
    const list = page.getByTestId('test-mode-band').getByTestId('test-cards');
    await list.locator('summary').click();
    const rows = list.locator('li');
    await rows.first().waitFor();
    assert.equal(await rows.count(), cards.length);
    const texts = (await rows.allInnerTexts()).map((s) => s.replace(/\s+/g, ' '));
    assert.ok(texts.some((s) => s.startsWith('4000 0084 0000 1629')), texts.join(' | '));
    assert.ok(texts.some((s) => s.startsWith('9891 0000 0000 0003') && s.includes('DinaCard')), texts.join(' | '));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the viewport`);
    await page.screenshot({ path: join(ARTIFACTS, 'exchange-testcards-en-360.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('pays through the gateway frames without 3-D Secure', async () => {
    const inv = await createInvoice('en');
    const { page, context, problems } = await openCheckout(inv.link.url);
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src).filter(Boolean));
    assert.ok(scripts.some((s) => s.startsWith(sandbox.base + '/js/integrated/payment.1.3.min.js')), `payment.js not loaded: ${scripts}`);
    assert.equal(await page.frameLocator('#exchange-number iframe').locator('input').count(), 1);
    assert.deepEqual(await seriousViolations(page), []);
    await fillCard(page, '4242 4242 4242 4242');
    await page.locator('[data-testid="pay"]').click();
    await waitForStatus(inv.id, 'paid');
    await page.locator('#page-heading').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a decline is shown, and another card pays', async () => {
    const inv = await createInvoice('en');
    const { page, context, problems } = await openCheckout(inv.link.url);
    await fillCard(page, '4000 0000 0000 9995');
    await page.locator('[data-testid="pay"]').click();
    await page.locator('[data-testid="declined"]').waitFor();
    assert.match(await page.locator('[data-testid="declined"]').innerText(), /not enough funds/);
    await page.locator('[data-testid="retry"]').click();
    await page.locator('[data-testid="pay"]:not([disabled])').waitFor();
    await fillCard(page, '5555 5555 5555 4444');
    await page.locator('[data-testid="pay"]').click();
    await waitForStatus(inv.id, 'paid');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('pays with 3-D Secure at the sandbox bank and comes back', async () => {
    const inv = await createInvoice('en');
    const { page, context, problems } = await openCheckout(inv.link.url);
    await fillCard(page, '4000 0000 0000 3220');
    await page.locator('[data-testid="pay"]').click();
    await page.waitForURL(`${sandbox.base}/sandbox/3ds/**`);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL(`${app.base}/pay/**`);
    await waitForStatus(inv.id, 'paid');
    await page.locator('#page-heading').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a failed 3-D Secure is a decline the payer can retry', async () => {
    const inv = await createInvoice('en');
    const { page, context } = await openCheckout(inv.link.url);
    await fillCard(page, '4000 0000 0000 3220');
    await page.locator('[data-testid="pay"]').click();
    await page.waitForURL(`${sandbox.base}/sandbox/3ds/**`);
    await page.getByRole('button', { name: 'Fail authentication' }).click();
    await page.waitForURL(`${app.base}/pay/**`);
    await page.locator('[data-testid="declined"]').waitFor();
    assert.equal(await invoiceStatus(inv.id), 'open');
    await context.close();
  });

  test('a payment the bank confirms later says so until it settles', async () => {
    const inv = await createInvoice('en');
    const { page, context, problems } = await openCheckout(inv.link.url);
    await fillCard(page, '4000 0000 0000 0259');
    await page.locator('[data-testid="pay"]').click();
    const status = page.locator('[data-testid="pay-panel"] .status');
    await page.getByText('We are confirming your payment').waitFor();
    assert.equal(await page.locator('[data-testid="pay"]').isDisabled(), true, 'the card form waits');
    await waitForStatus(inv.id, 'paid');
    // The checkout settles by itself: the paid page replaces the form.
    await page.locator('[data-testid="pay-panel"]').waitFor({ state: 'detached' });
    assert.equal(await status.count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the card form at 360 and 1280 px in three languages', async () => {
    for (const locale of ['en', 'sr-Latn', 'sr-Cyrl']) {
      const inv = await createInvoice(locale);
      for (const [name, viewport] of [['phone', MOBILE], ['desktop', DESKTOP]]) {
        const { page, context, problems } = await openCheckout(inv.link.url, viewport);
        await page.locator('[data-testid="pay-panel"]').scrollIntoViewIfNeeded();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${locale} ${name}: ${overflow}px of horizontal overflow`);
        await page.screenshot({ path: join(ARTIFACTS, `exchange-${locale}-${name}.png`), fullPage: true });
        assert.deepEqual(problems, []);
        await context.close();
      }
    }
  });
});
