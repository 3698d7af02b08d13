// Amounts in currencies with 2 (RSD), 0 (JPY) and 3 (KWD) decimals, end to end against the real binary in
// Chromium: the checkout and the e-mails show them with the currency's decimals, and a partial refund
// typed in the portal in major units reaches the API as the right number of minor units.
// Run: SECURELINK_BIN=/path/to/securelink npm run e2e (the binary must embed fresh builds of both SPAs).
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { freePort, waitHealthy } from './server.mjs';

const run = promisify(execFile);
const bin = process.env.SECURELINK_BIN;
const artifacts = new URL('./artifacts/', import.meta.url).pathname;
// Intl separates groups and codes with no-break spaces; compare with plain ones.
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money in three currencies', { skip: bin ? false : 'SECURELINK_BIN is not set' }, () => {
  let dir, base, env, server, browser, context, creds;
  const logs = [];

  /** Calls the API with the demo merchant's key. */
  const api = async (method, path, body) => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${creds.api_key}`, 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-${Math.random().toString(36).slice(2)}` },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await r.json();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'securelink-money-e2e-'));
    await mkdir(artifacts, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`, SECURELINK_ADDR: `127.0.0.1:${port}`, SECURELINK_BASE_URL: base };
    server = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout.on('data', (d) => logs.push(String(d)));
    server.stderr.on('data', (d) => logs.push(String(d)));
    await waitHealthy(base, server, logs);
    creds = JSON.parse((await run(bin, ['demo', '--json'], { env })).stdout);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // Each currency: the invoice's one line in minor units, how the checkout, the e-mails and the portal
  // show it, the partial refund typed in major units and the minor units the API must receive.
  const cases = [
    { currency: 'RSD', minor: 123456, checkout: 'RSD 1,234.56', mail: 'RSD 1,234.56', mailSr: '1.234,56 RSD', portal: 'RSD 1,234.56', refund: '10.5', refundMinor: 1050 },
    { currency: 'JPY', minor: 1234567, checkout: 'JP¥1,234,567', mail: 'JPY 1,234,567', mailSr: '1.234.567 JPY', portal: 'JPY 1,234,567', refund: '1000', refundMinor: 1000 },
    { currency: 'KWD', minor: 1234567, checkout: 'KWD 1,234.567', mail: 'KWD 1,234.567', mailSr: '1.234,567 KWD', portal: 'KWD 1,234.567', refund: '12.5', refundMinor: 12500 },
  ];

  test('the checkout, the e-mails and the portal show each currency with its decimals; partial refunds reach the API in minor units', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${base}/portal/login`);
      await page.getByLabel('E-mail').fill(creds.email);
      await page.getByLabel('Password').fill(creds.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

      for (const c of cases) {
        const inv = await api('POST', '/invoices', {
          customer: { name: `Payer ${c.currency}`, email: `payer-${c.currency.toLowerCase()}@example.com` },
          currency: c.currency,
          lines: [{ description: 'Goods', quantity: 1, unit_amount: c.minor, vat_rate: 0 }],
          capture_mode: 'automatic',
          locale: 'en',
          send_email: true,
        });

        // The checkout shows the total with the currency's decimals, then takes the payment.
        const payer = await context.newPage();
        await payer.goto(inv.link.url);
        const terms = payer.getByRole('checkbox', { name: /accept the payment terms/i });
        await terms.waitFor();
        assert.ok(plain(await payer.locator('body').innerText()).includes(c.checkout), `checkout of ${c.currency} lacks ${c.checkout}`);
        await terms.check();
        await payer.getByLabel('Card number').fill('4242 4242 4242 4242');
        await payer.getByLabel(/Expiry date/).fill(`12/${String((new Date().getFullYear() + 3) % 100).padStart(2, '0')}`);
        await payer.getByLabel(/Security code/).fill('123');
        const holder = payer.getByLabel('Name on card');
        if (await holder.count()) await holder.fill('E2E PAYER');
        await payer.getByTestId('pay').click();
        await payer.getByTestId('receipt-amount').waitFor({ timeout: 20_000 });
        assert.equal(plain(await payer.getByTestId('receipt-amount').innerText()), c.checkout);
        await payer.screenshot({ path: join(artifacts, `money-checkout-${c.currency}.png`), fullPage: true });
        await payer.close();

        // The e-mails (the payer's in English, the merchant's copy in Serbian) show the amount the same way.
        // The dispatcher writes them in the background: wait until the link's e-mail and both receipts are there.
        const wanted = ['payment_link', 'receipt', 'receipt_copy'];
        let emails = [];
        for (let tries = 0; tries < 100; tries++) {
          emails = (await api('GET', `/emails?limit=100`)).data.filter((e) => e.invoice_id === inv.id);
          if (wanted.every((k) => emails.some((e) => e.kind === k))) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        for (const k of wanted) assert.ok(emails.some((e) => e.kind === k), `no ${k} e-mail for the ${c.currency} invoice`);
        for (const e of emails) {
          const want = e.locale === 'en' ? c.mail : c.mailSr;
          assert.ok(e.text.includes(want), `${e.kind} e-mail of ${c.currency} lacks ${want}:\n${e.text}`);
        }

        // The portal shows the order's total and refunds part of it, typed in major units.
        await page.goto(`${base}/portal/invoices/${inv.id}`);
        await page.getByRole('heading', { level: 1, name: /Paid/ }).waitFor();
        assert.ok(plain(await page.locator('main').innerText()).includes(c.portal), `portal order of ${c.currency} lacks ${c.portal}`);
        // The button states what it can refund.
        await page.getByRole('button', { name: `Refund ${c.portal}`, exact: true }).first().click();
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel('Another amount').check();
        await dialog.getByLabel(/^Amount/).fill(c.refund);
        const sent = page.waitForRequest((r) => r.method() === 'POST' && /\/api\/v1\/payments\/[^/]+\/refunds$/.test(r.url()));
        await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
        assert.equal((await sent).postDataJSON().amount, c.refundMinor, `refund of ${c.refund} ${c.currency}`);
        await page.getByRole('heading', { level: 1, name: /Partially refunded/ }).waitFor();
        await page.screenshot({ path: join(artifacts, `money-portal-${c.currency}.png`), fullPage: true });
      }
    } catch (err) {
      await page.screenshot({ path: join(artifacts, 'money-failure.png'), fullPage: true }).catch(() => {});
      console.error(logs.slice(-40).join(''));
      throw err;
    }
  });
});
