// End-to-end test of the merchant portal against the real securelink binary in Debian's Chromium.
// Run: SECURELINK_BIN=/tmp/securelink-portal npm run e2e (the binary must embed a fresh `npm run build`).
import { spawn, execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { freePort, waitHealthy } from './server.mjs';

const require = createRequire(import.meta.url);
const run = promisify(execFile);
const bin = process.env.SECURELINK_BIN;
const artifacts = new URL('./artifacts/', import.meta.url).pathname;
const password = 'correct horse battery';
const axeSource = await readFile(require.resolve('axe-core'), 'utf8');

describe('merchant portal end to end', () => {
  let dir, base, env, server, browser, context, page, receiver, receiverURL;
  const logs = [];
  // Every webhook delivery the receiver got: its Standard Webhooks headers and raw body.
  const received = [];
  const shots = [];

  const shot = async (name, p = page) => {
    const path = join(artifacts, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
    shots.push(path);
    await p.screenshot({ path, fullPage: true });
  };

  /** Runs axe-core on the current page and fails on serious or critical violations. */
  const axeCheck = async (name) => {
    // The portal's strict CSP refuses addScriptTag's inline script (as it should), so axe is evaluated
    // through the DevTools protocol, which a page's CSP does not govern.
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `axe violations on ${name}: ${JSON.stringify(bad, null, 2)}`);
  };

  before(async () => {
    if (!bin) return;
    dir = await mkdtemp(join(tmpdir(), 'securelink-portal-e2e-'));
    await mkdir(artifacts, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`,
      SECURELINK_ADDR: `127.0.0.1:${port}`,
      SECURELINK_BASE_URL: base,
      // The test's webhook receiver listens on loopback, which endpoints may reach only with this switch.
      SECURELINK_WEBHOOK_ALLOW_PRIVATE: 'true',
    };
    server = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout.on('data', (d) => logs.push(String(d)));
    server.stderr.on('data', (d) => logs.push(String(d)));
    await waitHealthy(base, server, logs);

    // A small webhook receiver on loopback that answers every delivery with 200.
    receiver = createHttpServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        received.push({
          id: req.headers['webhook-id'],
          timestamp: req.headers['webhook-timestamp'],
          signature: String(req.headers['webhook-signature'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
          path: req.url,
        });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"received":true}');
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    receiverURL = `http://127.0.0.1:${receiver.address().port}/hooks/securelink`;

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    context = await browser.newContext({ locale: 'en-GB', acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await context.newPage();
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}\n`));
  });

  after(async () => {
    await browser?.close();
    receiver?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Waits until the receiver holds a delivery matching the predicate; the webhook worker runs every few seconds. */
  const waitForDelivery = async (predicate, what) => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const hit = received.find(predicate);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no webhook delivery of ${what}; received: ${JSON.stringify(received.map((r) => r.id))}`);
  };

  /** True when one of the v1 signatures is HMAC-SHA256 of id.timestamp.body under the whsec_ secret (Standard Webhooks). */
  const signedWith = (delivery, secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const want = createHmac('sha256', key).update(`${delivery.id}.${delivery.timestamp}.${delivery.body}`).digest('base64');
    return delivery.signature.split(' ').some((s) => s === `v1,${want}`);
  };

  /** Creates an invoice through the form and returns its payment link. */
  const createInvoice = async ({ name, email, lines, capture = 'automatic', reference }) => {
    await page.getByRole('link', { name: 'New invoice' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New invoice' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('E-mail', { exact: true }).fill(email);
    for (let i = 0; i < lines.length; i++) {
      if (i > 0) await page.getByRole('button', { name: '+ Add an item' }).click();
      const item = page.getByRole('group', { name: `Item ${i + 1}` });
      await item.getByLabel('Description').fill(lines[i].description);
      await item.getByLabel('Quantity').fill(String(lines[i].quantity));
      await item.getByLabel(/Unit price/).fill(lines[i].price);
    }
    await page.getByLabel('How to charge').selectOption(capture);
    await page.getByLabel("Payer's language").selectOption('en');
    if (reference) await page.getByLabel('Your reference (optional)').fill(reference);
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await page.getByRole('heading', { level: 1, name: /^Invoice .* is ready$/ }).waitFor();
    return page.getByRole('textbox', { name: 'Payment link' }).inputValue();
  };

  /** Pays a link through the payer's checkout with the always-approved test card. */
  const payThroughCheckout = async (url, shotName, { declineFirst = false, card = '4242 4242 4242 4242' } = {}) => {
    const payer = await context.newPage();
    await payer.goto(url);
    await payer.getByRole('checkbox', { name: /accept the payment terms/i }).check();
    const expiry = `12/${String((new Date().getFullYear() + 3) % 100).padStart(2, '0')}`;
    if (declineFirst) {
      // A declined card first: the attempt is kept and the payer tries another card.
      await payer.getByLabel('Card number').fill('4000 0000 0000 0002');
      await payer.getByLabel(/Expiry date/).fill(expiry);
      await payer.getByLabel(/Security code/).fill('123');
      const holder = payer.getByLabel('Name on card');
      if (await holder.count()) await holder.fill('E2E PAYER');
      await payer.getByTestId('pay').click();
      await payer.getByTestId('declined').waitFor();
      await payer.getByTestId('retry').click();
    }
    await payer.getByLabel('Card number').fill(card);
    await payer.getByLabel(/Expiry date/).fill(expiry);
    await payer.getByLabel(/Security code/).fill('123');
    const nameField = payer.getByLabel('Name on card');
    if (await nameField.count()) await nameField.fill('E2E PAYER');
    await payer.getByTestId('pay').click();
    await payer.getByRole('heading', { name: /Receipt|reserved|authori[sz]ed|Thank you|paid/i }).first().waitFor({ timeout: 20_000 });
    if (shotName) await shot(shotName, payer);
    await payer.close();
  };

  /** Opens an order from the list by its customer. */
  const openOrder = async (customer) => {
    await page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await page.getByLabel('Search').fill(customer);
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.getByRole('row').filter({ hasText: customer });
    await row.first().waitFor();
    await row.first().getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /^Invoice / }).waitFor();
  };

  /** Confirms an action in the dialog, with an optional partial amount and reason. */
  const act = async (button, { amount, reason, confirm = button } = {}) => {
    await page.getByRole('button', typeof button === 'string' ? { name: button, exact: true } : { name: button }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    if (amount) {
      await dialog.getByLabel('Another amount').check();
      await dialog.getByLabel(/^Amount/).fill(amount);
    }
    if (reason) await dialog.getByLabel('Reason (optional)').fill(reason);
    await dialog.getByRole('button', typeof confirm === 'string' ? { name: confirm, exact: true } : { name: confirm }).click();
    await dialog.waitFor({ state: 'hidden' });
  };

  test('invitation, login, invoices, payments, refunds, list and export', { skip: bin ? false : 'SECURELINK_BIN is not set' }, async () => {
    // On failure, keep a screenshot of where it stopped and the server's log for the report.
    try {
      await scenario();
    } catch (err) {
      // Every open tab, so a failure inside the checkout is seen too.
      for (const [i, p] of context.pages().entries()) {
        await p.screenshot({ path: join(artifacts, `failure-${i}.png`), fullPage: true }).catch(() => {});
      }
      console.error(logs.slice(-40).join(''));
      throw err;
    }
  });

  async function scenario() {
    // The portal must be in the binary; a build without `npm run build` first would serve nothing.
    const index = await fetch(`${base}/portal/`);
    assert.equal(index.status, 200, 'GET /portal/ must serve the portal');
    assert.match(await index.text(), /\/portal\/assets\/index-[\w-]+\.js/, 'the portal is not built into the binary: npm run build, then go build');
    const checkout = await (await fetch(`${base}/pay/not-a-token`)).text();
    assert.match(checkout, /\/pay\/assets\//, 'the checkout is not built into the binary: build frontend-pay, then go build');

    // 1. The merchant's one-time invitation link comes from the CLI.
    const { stdout } = await run(bin, ['merchant', 'create', '--name', 'E2E Shop', '--email', 'owner@e2e.test'], { env });
    const invite = stdout.match(/https?:\/\/\S+\/portal\/invite\/\S+/)?.[0];
    assert.ok(invite, `no invitation link in: ${stdout}`);

    await page.goto(invite);
    await page.getByText('E2E Shop').first().waitFor();
    await page.getByText('owner@e2e.test').first().waitFor();
    await page.getByLabel('Your name').fill('Olivera Owner');
    await page.getByLabel('New password').fill('short');
    await page.getByLabel('Repeat the password').fill('short');
    await page.getByRole('button', { name: 'Set password and log in' }).click();
    await page.getByText('The password must have at least 10 characters.').waitFor();
    await page.getByLabel('New password').fill(password);
    await page.getByLabel('Repeat the password').fill(password);
    await shot('invitation');
    await page.getByRole('button', { name: 'Set password and log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await axeCheck('dashboard');

    // 2. Log out; a private address leads to login and, after it, back to that address.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in to the portal' }).waitFor();
    await page.goto(`${base}/portal/settings`);
    await page.waitForURL(/\/portal\/login\?next=%2Fportal%2Fsettings/);
    await page.getByLabel('E-mail').fill('owner@e2e.test');
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('The e-mail or password is not right.').waitFor();
    await axeCheck('login');
    await shot('login');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/portal/settings`);
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await axeCheck('settings');

    // Settings: profile, an API key shown once and revoked, a staff invitation link.
    await page.getByLabel('Payment terms shown to payers').fill('Refunds within 14 days. / Povraćaj u roku od 14 dana.');
    await page.getByRole('region', { name: 'Merchant profile' }).getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByLabel('Key name').fill('E2E integration');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByRole('textbox', { name: 'Secret key' }).inputValue();
    assert.match(secret, /^sk_test_[\w-]{20,}$/); // base64url: may start with "-"
    const keyRow = page.getByRole('row').filter({ hasText: 'E2E integration' });
    await keyRow.getByRole('button', { name: /Revoke/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
    await keyRow.getByText('Revoked').waitFor();
    // A second key stays active; the test uses it later like an integrator would.
    await page.getByLabel('Key name').fill('E2E bulk');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('row').filter({ hasText: 'E2E bulk' }).waitFor();
    const bulkKey = await page.getByRole('textbox', { name: 'Secret key' }).inputValue();
    assert.notEqual(bulkKey, secret);
    await page.getByLabel('E-mail of the new member').fill('staff@e2e.test');
    await page.getByRole('button', { name: 'Invite' }).click();
    assert.match(await page.getByRole('textbox', { name: 'Invitation link' }).inputValue(), /\/portal\/invite\/[\w-]+$/);
    await shot('settings');

    // An expired session: the next API call answers 401, login is shown, and after it the same page.
    await context.clearCookies();
    await page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await page.waitForURL(/\/portal\/login\?next=%2Fportal%2Finvoices$/);
    await page.getByText('Your session has ended. Log in again to continue.').waitFor();
    await page.getByLabel('E-mail').fill('owner@e2e.test');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/portal/invoices`);
    await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor();

    // 3. An invoice with two lines; the live total is exact.
    await page.getByRole('link', { name: 'New invoice' }).first().click();
    await axeCheck('new invoice');
    const saleLink = await createInvoice({
      name: 'Ana Anić',
      email: 'ana@example.com',
      reference: 'ORD-77',
      lines: [
        { description: 'Consulting, November', quantity: 2, price: '1,200.00' },
        { description: 'Delivery', quantity: 1, price: '350.50' },
      ],
    });
    assert.match(saleLink, /\/pay\/[\w-]+$/);
    await page.getByText('RSD 2,750.50').first().waitFor();
    await page.locator('svg.qr path').waitFor();
    await axeCheck('invoice created');
    await shot('invoice-created');

    // Copy puts exactly the link on the clipboard.
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), saleLink);
    const wa = await page.getByRole('link', { name: 'WhatsApp' }).getAttribute('href');
    assert.ok(wa.startsWith('https://wa.me/?text=') && decodeURIComponent(wa).includes(saleLink));
    await page.getByRole('button', { name: 'Send by e-mail' }).click();
    // No SMTP server here: the portal says the e-mail is only held, never that it is on its way.
    await page.getByText('E-mail delivery is off: the e-mail to ana@example.com is only held in the mailbox and reaches nobody.').waitFor();

    // 4. The customer pays through the checkout.
    await payThroughCheckout(saleLink, 'checkout-paid', { declineFirst: true });

    // 5. The order shows as paid with its sale transaction; refund part of it.
    await openOrder('Ana Anić');
    await page.getByRole('heading', { level: 1, name: /Paid/ }).waitFor();
    const txns = page.getByRole('table', { name: 'Transactions' });
    await txns.filter({ hasText: 'Succeeded' }).getByRole('row').filter({ hasText: 'Sale' }).filter({ hasText: 'RSD 2,750.50' }).waitFor();
    // The declined attempt is listed too, with its reason.
    assert.equal(await page.getByRole('heading', { level: 3, name: /^Attempt pay_/ }).count(), 2);
    await page.getByRole('article').filter({ hasText: 'Failed' }).getByText(/declined/i).first().waitFor();
    await axeCheck('order detail');
    await shot('order-paid');
    await act('Refund RSD 2,750.50', { amount: '500', reason: 'Damaged box', confirm: 'Refund' });
    await page.getByText('Refunded RSD 500.00 to the card.').waitFor();
    await page.getByRole('heading', { level: 1, name: /Partially refunded/ }).waitFor();
    await page.getByRole('table', { name: 'Refunds' }).getByText('Damaged box').waitFor();
    await shot('order-refunded');

    // 6. A pre-authorisation captured in part.
    const authLink = await createInvoice({
      name: 'Bojan Bojić',
      email: 'bojan@example.com',
      capture: 'manual',
      lines: [{ description: 'Hotel deposit', quantity: 1, price: '10,000' }],
    });
    await payThroughCheckout(authLink);
    await openOrder('Bojan Bojić');
    await page.getByRole('heading', { level: 1, name: /Authorised/ }).waitFor();
    await act('Capture', { amount: '7,500.00' });
    await page.getByText('Captured RSD 7,500.00.').waitFor();
    await page.getByRole('table', { name: 'Transactions' }).getByRole('row').filter({ hasText: 'Capture' }).filter({ hasText: 'RSD 7,500.00' }).waitFor();
    await shot('order-captured');

    // 7. Another pre-authorisation, voided.
    const voidLink = await createInvoice({
      name: 'Cvijeta Cvetić',
      email: 'cvijeta@example.com',
      capture: 'manual',
      lines: [{ description: 'Table booking', quantity: 4, price: '1,000' }],
    });
    await payThroughCheckout(voidLink);
    await openOrder('Cvijeta Cvetić');
    await act('Void authorisation');
    await page.getByText('The authorisation is voided.').waitFor();
    await page.getByText('Voided', { exact: true }).first().waitFor();
    await shot('order-voided');

    // 8. One more, left open, then the list: filter, search, export.
    const firstLink = await createInvoice({ name: 'Dragan "Gaga" Dragić, Jr.', email: 'gaga@example.com', lines: [{ description: 'Tickets', quantity: 3, price: '99.99' }] });

    // Link management on an open order: deactivate, issue a fresh one, resend the e-mail.
    await page.getByRole('link', { name: 'Open the invoice' }).click();
    await page.getByRole('heading', { level: 1, name: /^Invoice / }).waitFor();
    await page.getByRole('button', { name: 'Show QR code' }).click();
    await page.getByRole('img', { name: 'QR code of the payment link' }).waitFor();
    await act('Deactivate link');
    await page.getByText('The link is deactivated.').waitFor();
    await page.getByText('Deactivated', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Resend e-mail' }).count(), 0);
    await act('Issue a fresh link');
    await page.getByText('A fresh link is ready.').waitFor();
    const freshLink = await page.getByRole('textbox', { name: 'Payment link' }).inputValue();
    assert.notEqual(freshLink, firstLink);
    assert.match(freshLink, /\/pay\/[\w-]+$/);
    await act('Resend e-mail');
    await page.getByText('E-mail delivery is off: the e-mail to gaga@example.com is only held in the mailbox and reaches nobody.').waitFor();
    const oldCheckout = await context.newPage();
    await oldCheckout.goto(firstLink);
    await oldCheckout.getByRole('checkbox', { name: /accept the payment terms/i }).waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
    assert.equal(await oldCheckout.getByTestId('pay').count(), 0, 'a deactivated link must not offer payment');
    await oldCheckout.close();
    await page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor();
    await page.getByRole('row').nth(4).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 4);
    await axeCheck('orders');

    await page.getByLabel('Status').selectOption('partially_refunded');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/status=partially_refunded/);
    await page.locator('tbody tr').filter({ hasText: 'Ana Anić' }).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Search').fill('cvijeta@example.com');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=cvijeta/);
    await page.locator('tbody tr').filter({ hasText: 'Cvijeta Cvetić' }).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('tbody tr').nth(3).waitFor();
    await shot('orders');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.match(download.suggestedFilename(), /^securelink-orders-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'Number,Reference,Status,Customer,E-mail,Phone,Currency,Total,Paid,Refunded,Description,Created,Paid at,ID');
    assert.equal(lines.length, 5, csv);
    assert.ok(lines.some((l) => l.includes('ORD-77') && l.includes('Partially refunded') && l.includes(',2750.50,')), csv);
    assert.ok(lines.some((l) => l.includes('"Dragan ""Gaga"" Dragić, Jr."') && l.includes(',299.97,')), csv);

    // Date range: today holds all four, tomorrow none.
    const day = (offset) => {
      const d = new Date(Date.now() + offset * 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    await page.goto(`${base}/portal/invoices?from=${day(0)}&to=${day(0)}`);
    await page.locator('tbody tr').nth(3).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 4);
    await page.getByLabel('Created from').fill(day(1));
    await page.getByLabel('Created to').fill(day(1));
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No invoices match these filters.').waitFor();

    // Keyset pagination: 20 more invoices through the REST API make a second page.
    for (let i = 1; i <= 20; i++) {
      const r = await fetch(`${base}/api/v1/invoices`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bulkKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          customer: { name: `Bulk Customer ${i}`, email: `bulk${i}@example.com` },
          lines: [{ description: 'Item', quantity: 1, unit_amount: 1000 * i, vat_rate: 20 }],
        }),
      });
      assert.equal(r.status, 201, await r.text());
    }
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('tbody tr').nth(19).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 20);
    assert.match(await page.locator('tbody tr').first().innerText(), /Bulk Customer 20/);
    await page.getByRole('button', { name: /Next/ }).click();
    await page.getByText('Page 2').waitFor();
    await page.locator('tbody tr').filter({ hasText: 'Ana Anić' }).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 4);
    assert.ok(await page.getByRole('button', { name: /Next/ }).isDisabled());
    await page.getByRole('button', { name: /Previous/ }).click();
    await page.getByText('Page 1').waitFor();
    await page.locator('tbody tr').filter({ hasText: 'Bulk Customer 20' }).waitFor();

    // Cancel an open invoice; only then is nothing left to do on it.
    await openOrder('bulk7@example.com');
    await act('Cancel invoice');
    await page.getByText('The invoice is cancelled.').waitFor();
    await page.getByRole('heading', { level: 1, name: /Cancelled/ }).waitFor();
    await page.getByText('No action is possible in this state.').waitFor();

    // The e-mail sent with the link is in the outbox (the oldest of Ana's); its detail shows the plain-text part as text.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'E-mail outbox' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'ana@example.com' }).first().waitFor();
    await page.getByRole('row').filter({ hasText: 'ana@example.com' }).last().getByRole('link').click();
    await page.getByRole('heading', { level: 2, name: 'Plain text' }).waitFor();
    const mailText = await page.locator('pre.mail').innerText();
    assert.match(mailText, /\/pay\/[\w-]+/, mailText);
    assert.doesNotMatch(mailText, /<html|<table/i, 'the plain-text part must not be HTML');
    await page.getByRole('definition').filter({ hasText: 'ana@example.com' }).waitFor();
    await page.getByRole('definition').filter({ hasText: 'Payment link' }).waitFor();
    // The HTML part only ever lives in an empty sandbox, outside the portal's own document.
    await page.getByRole('button', { name: 'Show the HTML version' }).click();
    const htmlFrame = page.frameLocator('iframe[title="HTML version of the e-mail"]');
    await htmlFrame.getByText('E2E Shop').first().waitFor({ timeout: 5000 });
    assert.equal(await page.locator('iframe[sandbox=""]').count(), 1);
    assert.equal(await page.locator('main table[role="presentation"]').count(), 0, 'e-mail HTML must not be in the page');
    // Held because this SecureLink has no SMTP server: "Send now" says so in plain words.
    await page.getByRole('button', { name: 'Send now' }).click();
    await page.getByRole('alert').filter({ hasText: 'No SMTP server is configured' }).waitFor();
    await axeCheck('e-mail detail');
    await shot('email-detail');

    // Webhooks: an endpoint on the test's receiver gets the next invoice's event, signed with its secret.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Endpoint URL').fill(receiverURL);
    // Everything but cancellations, so re-delivering the earlier cancellation has nowhere to go.
    await page.getByRole('checkbox', { name: 'invoice.cancelled' }).uncheck();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const firstSecret = await page.getByRole('textbox', { name: 'Signing secret (shown once)' }).inputValue();
    assert.match(firstSecret, /^whsec_/);
    const endpointItem = page.getByRole('listitem').filter({ hasText: receiverURL });
    await endpointItem.getByText('Enabled', { exact: true }).waitFor();
    await createInvoice({ name: 'Hana Hook', email: 'hana@example.com', lines: [{ description: 'Webhook test', quantity: 1, price: '10' }] });
    const delivered = await waitForDelivery((d) => JSON.parse(d.body).type === 'invoice.created', 'invoice.created');
    assert.ok(signedWith(delivered, firstSecret), `signature ${delivered.signature} does not verify`);

    // The delivery log shows the event with its 2xx attempt and the receiver's answer.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'Webhook delivery log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhook delivery log' }).waitFor();
    const eventCard = page.getByRole('article').filter({ hasText: delivered.id });
    for (let i = 0; i < 20 && !(await eventCard.getByText('Delivered', { exact: true }).count()); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    await eventCard.getByText('Delivered', { exact: true }).waitFor();
    await eventCard.getByRole('heading', { name: 'invoice.created' }).waitFor();
    await eventCard.getByText('Attempt log (1)').click();
    const attemptRow = eventCard.getByRole('table').getByRole('row').nth(1);
    await attemptRow.getByText('200', { exact: true }).waitFor();
    assert.match(await attemptRow.locator('pre').innerText(), /"received":true/);
    await axeCheck('webhook delivery log');
    await shot('webhook-log');

    // Redeliver: the receiver gets the same event again under the same webhook-id.
    const before = received.filter((d) => d.id === delivered.id).length;
    await eventCard.getByRole('button', { name: /^Redeliver/ }).click();
    const redeliverDialog = page.getByRole('dialog');
    await redeliverDialog.getByText('same webhook-id').waitFor();
    await redeliverDialog.getByRole('button', { name: 'Redeliver', exact: true }).click();
    await redeliverDialog.waitFor({ state: 'hidden' });
    await page.getByRole('status').filter({ hasText: `Event ${delivered.id} is queued for delivery again.` }).waitFor();
    await waitForDelivery((d) => d.id === delivered.id && received.filter((x) => x.id === delivered.id).length > before, 'the redelivery');
    assert.equal(received.filter((d) => d.id === delivered.id).length, before + 1);
    for (let i = 0; i < 20 && !(await eventCard.getByText('Attempt log (2)').count()); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    await eventCard.getByText('Attempt log (2)').waitFor();

    // An event no endpoint is subscribed to: re-delivery is refused in plain words.
    const cancelledCard = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'invoice.cancelled' }) }).first();
    await cancelledCard.getByText('No endpoint was subscribed to this event when it happened.').waitFor();
    await cancelledCard.getByRole('button', { name: /^Redeliver/ }).click();
    await redeliverDialog.getByRole('button', { name: 'Redeliver', exact: true }).click();
    await redeliverDialog.getByRole('alert').filter({ hasText: 'No endpoint is subscribed to this event' }).waitFor();
    await redeliverDialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await redeliverDialog.waitFor({ state: 'hidden' });

    // Rotate the secret: a new one, shown once; deliveries from now on verify with it.
    await page.getByRole('link', { name: 'Back to settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await endpointItem.getByRole('button', { name: /^Rotate secret/ }).click();
    const rotateDialog = page.getByRole('dialog');
    await rotateDialog.getByText(/both the old and the new secret/).waitFor();
    await rotateDialog.getByRole('button', { name: 'Rotate secret', exact: true }).click();
    await rotateDialog.waitFor({ state: 'hidden' });
    const rotatedSecret = await page.getByRole('textbox', { name: 'New signing secret' }).inputValue();
    assert.match(rotatedSecret, /^whsec_/);
    assert.notEqual(rotatedSecret, firstSecret);
    assert.equal(await page.getByRole('textbox', { name: 'Signing secret (shown once)' }).count(), 0, 'the old secret is no longer shown');
    await axeCheck('settings with webhooks');
    await shot('webhook-rotated');
    const countBefore = received.length;
    await createInvoice({ name: 'Hana Hook', email: 'hana2@example.com', lines: [{ description: 'After rotation', quantity: 1, price: '10' }] });
    const afterRotation = await waitForDelivery((d) => received.indexOf(d) >= countBefore && JSON.parse(d.body).type === 'invoice.created', 'an event after rotation');
    assert.ok(signedWith(afterRotation, rotatedSecret), 'a delivery after rotation must verify with the new secret');

    // Disable the endpoint, then enable it again: the status follows, and deliveries resume.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await endpointItem.getByRole('button', { name: /^Disable/ }).click();
    await endpointItem.getByText('No more deliveries: Disabled by the merchant.').waitFor();
    await endpointItem.getByRole('button', { name: /^Enable/ }).click();
    await endpointItem.getByRole('button', { name: /^Disable/ }).waitFor();
    assert.equal(await endpointItem.getByText(/No more deliveries/).count(), 0, 'an enabled endpoint shows no reason');
    const countEnabled = received.length;
    await createInvoice({ name: 'Hana Hook', email: 'hana3@example.com', lines: [{ description: 'After enabling', quantity: 1, price: '10' }] });
    await waitForDelivery((d) => received.indexOf(d) >= countEnabled && JSON.parse(d.body).type === 'invoice.created', 'an event after enabling');

    // Edit: a new path on the same receiver, same secret; the next event goes there.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await endpointItem.getByRole('button', { name: /^Edit/ }).click();
    const editDialog = page.getByRole('dialog');
    await editDialog.getByLabel('Endpoint URL').fill(`${receiverURL}/v2`);
    await editDialog.getByText('The signing secret stays the same.').waitFor();
    await editDialog.getByRole('button', { name: 'Save', exact: true }).click();
    await editDialog.waitFor({ state: 'hidden' });
    await endpointItem.locator('.mono', { hasText: `${receiverURL}/v2` }).waitFor();
    const countEdited = received.length;
    await createInvoice({ name: 'Hana Hook', email: 'hana4@example.com', lines: [{ description: 'After editing', quantity: 1, price: '10' }] });
    const afterEdit = await waitForDelivery((d) => received.indexOf(d) >= countEdited && d.path === '/hooks/securelink/v2', 'an event at the edited URL');
    assert.ok(signedWith(afterEdit, rotatedSecret), 'an edited endpoint keeps signing with its secret');

    await page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor();

    // Dashboard: an authorisation waiting for capture with its age, counts per status, this month's total.
    const heldLink = await createInvoice({
      name: 'Đurđa Đurić',
      email: 'djurdja@example.com',
      capture: 'manual',
      lines: [{ description: 'Room hold', quantity: 1, price: '5,000' }],
    });
    await payThroughCheckout(heldLink);
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    const waiting = page.getByRole('region', { name: 'Authorisations waiting for capture' });
    const held = waiting.getByRole('listitem').filter({ hasText: 'Đurđa Đurić' });
    await held.getByText('RSD 5,000.00').waitFor();
    await held.getByText(/Authorised \d+ min ago/).waitFor();
    const byStatus = page.getByRole('region', { name: 'Invoices by status' });
    assert.match(await byStatus.getByRole('listitem').filter({ hasText: 'Partially refunded' }).innerText(), /\b1$/);
    assert.match(await byStatus.getByRole('listitem').filter({ hasText: 'Authorised' }).innerText(), /\b1$/);
    // 2,750.50 paid less 500.00 refunded, plus 7,500.00 captured of the pre-authorisation.
    const paid = page.getByRole('region', { name: 'Paid this month' });
    await paid.getByText(/^RSD\s9,750\.50$/).waitFor();
    await paid.getByText('2 paid invoices').waitFor();
    await axeCheck('dashboard with data');
    await shot('dashboard');

    // A card whose refunds the gateway refuses: the refusal is told in plain words.
    const refusedLink = await createInvoice({ name: 'Eva Odbijena', email: 'eva@example.com', lines: [{ description: 'Lamp', quantity: 1, price: '800' }] });
    await payThroughCheckout(refusedLink, null, { card: '4000 0000 0000 5126' });
    await openOrder('eva@example.com');
    await act(/^Refund RSD 800\.00$/, { confirm: /^Refund RSD 800\.00$/ });
    await page.getByText(/^The refund was refused \(\w+\)\. Nothing was returned to the card\.$/).waitFor();
    await page.getByRole('table', { name: 'Refunds' }).getByText('Failed', { exact: true }).waitFor();

    // 9. Serbian: amounts as 1.234,56 RSD and <html lang>.
    await page.goto(`${base}/portal/invoices?q=ORD-77`);
    await page.locator('tbody tr').filter({ hasText: 'Ana Anić' }).waitFor();
    await page.getByLabel('Language').selectOption('sr-Latn');
    await page.getByRole('heading', { level: 1, name: 'Računi' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'sr-Latn');
    await page.getByText(/2\.750,50\sRSD/).first().waitFor();
    await page.getByLabel('Jezik').selectOption('sr-Cyrl');
    await page.getByRole('heading', { level: 1, name: 'Рачуни' }).waitFor();
    await axeCheck('orders in Cyrillic');
    await shot('orders-cyrillic');

    // 10. A phone-sized screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('orders-mobile');
    assert.deepEqual(logs.filter((l) => l.startsWith('pageerror')), []);
  }
});
