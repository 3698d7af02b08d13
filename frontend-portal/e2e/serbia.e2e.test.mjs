// End-to-end test of the portal's Serbian features against the real securelink binary in Debian's
// Chromium: IPS, PIB and matični broj settings, recording a bank transfer that pays an invoice, the
// invoice PDF, and a bank statement import; at 1280 and 360 px, in English, Serbian Latin and Cyrillic.
// Run: SECURELINK_BIN=/tmp/securelink npm run e2e (the binary must embed a fresh `npm run build`).
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { freePort } from './server.mjs';

const require = createRequire(import.meta.url);
const run = promisify(execFile);
const bin = process.env.SECURELINK_BIN;
const artifacts = new URL('./artifacts/', import.meta.url).pathname;
const axeSource = await readFile(require.resolve('axe-core'), 'utf8');

describe('Serbia in the portal', { skip: bin ? false : 'SECURELINK_BIN is not set' }, () => {
  let dir, base, server, browser, context, page, demo;
  const logs = [];

  async function api(method, path, body) {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${demo.api_key}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null, text };
  }

  const axeCheck = async (name, p = page) => {
    if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(axeSource);
    const result = await p.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `axe violations on ${name}: ${JSON.stringify(bad)}`);
  };

  const shot = async (name, p = page) => p.screenshot({ path: join(artifacts, `serbia-${name}.png`), fullPage: true });

  /** Shows the page at 360 px too: nothing may be wider than the screen. */
  const at360 = async (name, { reload = true } = {}) => {
    await page.setViewportSize({ width: 360, height: 800 });
    // Loaded afresh at this width, without the toasts of the wide page (unless the page holds state).
    if (reload) {
      await page.reload();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
    } else {
      await page.waitForTimeout(300);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    // What sticks out, outside any scrolling box, for the message.
    const culprits = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => {
          if (e.getBoundingClientRect().right <= window.innerWidth) return false;
          for (let a = e.parentElement; a; a = a.parentElement) if (['auto', 'hidden', 'scroll'].includes(getComputedStyle(a).overflowX)) return false;
          return true;
        })
        .slice(0, 5)
        .map((e) => `${e.tagName}.${e.className} «${(e.textContent ?? '').slice(0, 40)}»`),
    );
    assert.ok(overflow <= 0, `${name} is ${overflow}px wider than 360 px: ${culprits.join(', ')}`);
    await shot(`${name}-360`);
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  const setLang = async (lang) => {
    await page.locator('#lang').selectOption(lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  };

  async function rsdInvoice() {
    const r = await api('POST', '/invoices', {
      customer: { name: 'Ђорђе Ђурић', email: 'djordje@example.rs', pib: '101134702', mb: '12345676' },
      currency: 'RSD',
      lines: [{ description: 'Torta sa višnjama', quantity: 1, unit_amount: 480000, vat_rate: 20 }],
      locale: 'sr-Latn',
    });
    assert.equal(r.status, 201, r.text);
    return r.json;
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'securelink-serbia-e2e-'));
    await mkdir(artifacts, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`, SECURELINK_ADDR: `127.0.0.1:${port}`, SECURELINK_BASE_URL: base };
    delete env.SMTP_URL;
    const { stdout } = await run(bin, ['demo', '--json'], { env });
    demo = JSON.parse(stdout.trim().split('\n').pop());
    server = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout.on('data', (d) => logs.push(String(d)));
    server.stderr.on('data', (d) => logs.push(String(d)));
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 150) throw new Error(`securelink did not start:\n${logs.join('')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}\n`));
    await page.goto(`${base}/portal/login`);
    await page.getByLabel('E-mail').fill(demo.email);
    await page.getByLabel('Password').fill(demo.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/portal\/?$/);
  });

  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('IPS, PIB and matični broj settings refuse bad input by field and save good input', async () => {
    await page.goto(`${base}/portal/settings`);
    const section = page.getByTestId('serbia-settings');
    await section.getByLabel(/^PIB/).waitFor();
    await section.getByLabel(/^PIB/).fill('100002888');
    await section.getByRole('button', { name: 'Update the Serbian settings' }).click();
    await section.getByRole('alert').filter({ hasText: 'pib' }).waitFor();
    await section.getByLabel(/^PIB/).fill('100002887');
    await section.getByLabel(/matični broj/).fill('07014638');
    await section.getByLabel('Offer payment by IPS QR code on invoices in dinars').check();
    await section.getByLabel('Bank account for IPS payments').fill('160-123456-54');
    await section.getByLabel(/Payee name and place/).fill('Poslastičarnica Šećer, Niš');
    await section.getByRole('button', { name: 'Update the Serbian settings' }).click();
    await page.getByText('Saved.').first().waitFor();
    await assert.doesNotReject(section.getByLabel('Bank account for IPS payments').evaluate((el) => el.value === '160000000012345654' || Promise.reject(el.value)));
    const m = (await api('GET', '/merchant')).json;
    assert.equal(m.ips_enabled, true);
    assert.equal(m.ips_account, '160000000012345654');
    assert.equal(m.pib, '100002887');
    await axeCheck('settings');
    await section.scrollIntoViewIfNeeded();
    await shot('settings-1280');
    await at360('settings');
  });

  test('recording a bank transfer pays the invoice; the PDF downloads', async () => {
    const inv = await rsdInvoice();
    assert.ok(inv.ips_qr?.payload, 'an RSD invoice of an IPS merchant has ips_qr');
    await page.goto(`${base}/portal/invoices/${inv.id}`);
    await page.getByRole('button', { name: 'Record bank transfer' }).waitFor();

    // The PDF link answers a PDF to the logged-in merchant.
    const pdfHref = await page.getByTestId('invoice-pdf').getAttribute('href');
    const pdf = await page.request.get(new URL(pdfHref, base).toString());
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');

    await page.getByRole('button', { name: 'Record bank transfer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record a bank transfer' });
    await dialog.waitFor();
    assert.match(await dialog.getByLabel(/Amount received/).inputValue(), /^4800[.,]00$/);
    assert.equal(await dialog.getByLabel(/Reference/).inputValue(), `${inv.ips_qr.model} ${inv.ips_qr.reference_number}`);
    await dialog.getByLabel(/Payer/).fill('Đorđe Đurić');
    await axeCheck('transfer dialog');
    await shot('transfer-dialog-1280');
    await dialog.getByRole('button', { name: 'Record bank transfer' }).click();
    await page.getByText(/A bank transfer of .* is recorded\./).first().waitFor();
    await page.getByRole('heading', { level: 1 }).getByText('Paid').waitFor();
    await page.getByText('Bank transfer', { exact: true }).first().waitFor();

    const after = (await api('GET', `/invoices/${inv.id}`)).json;
    assert.equal(after.status, 'paid');
    assert.equal(after.payments[0].method, 'bank_transfer');
    assert.equal(after.payments[0].payer_name, 'Đorđe Đurić');
    await axeCheck('order paid by transfer');
    await shot('order-paid-1280');
    await at360('order-paid');

    // The same page in Serbian Latin and Cyrillic.
    const other = await rsdInvoice();
    await page.goto(`${base}/portal/invoices/${other.id}`);
    await setLang('sr-Latn');
    await page.getByRole('button', { name: 'Evidentiraj uplatu' }).waitFor();
    await page.getByRole('link', { name: 'Preuzmi PDF' }).waitFor();
    await shot('order-sr-Latn-1280');
    await setLang('sr-Cyrl');
    await page.getByRole('button', { name: 'Евидентирај уплату' }).waitFor();
    await at360('order-sr-Cyrl');
    await setLang('en');
  });

  test('a bank statement is matched, confirmed, and a second import records nothing twice', async () => {
    const inv = await rsdInvoice();
    const ref = `${inv.ips_qr.model} ${inv.ips_qr.reference_number}`;
    const csv = [
      'Datum;Iznos;Poziv na broj;Nalogodavac',
      `02.12.2026;4.800,00;${ref};Ana Anić`,
      `02.12.2026;1.000,00;${ref};Ana Anić`,
      '02.12.2026;500,00;97 11 999999;Nepoznat',
    ].join('\n');
    await page.goto(`${base}/portal/invoices`);
    await page.getByRole('link', { name: 'Import a bank statement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import a bank statement' }).waitFor();
    await page.locator('#st-file').setInputFiles({ name: 'izvod.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check the statement' }).click();
    await page.getByTestId('import-summary').filter({ hasText: 'Lines matched: 1. Transfers recorded: 0.' }).waitFor();
    assert.deepEqual(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.status)), ['matched', 'duplicate', 'unknown_reference']);
    assert.equal((await api('GET', `/invoices/${inv.id}`)).json.status, 'open', 'the preview records nothing');
    await axeCheck('statement preview');
    await shot('import-preview-1280');
    await at360('import-preview', { reload: false });

    await page.getByRole('button', { name: 'Record the matched transfers' }).click();
    await page.getByTestId('import-summary').filter({ hasText: 'Transfers recorded: 1.' }).waitFor();
    assert.equal((await api('GET', `/invoices/${inv.id}`)).json.status, 'paid');

    // Again: the mapping is remembered and nothing is recorded twice.
    await page.getByRole('button', { name: 'Check the statement' }).click();
    await page.locator('tbody tr[data-status="already_recorded"]').waitFor();
    assert.equal(await page.getByLabel('Reference column').inputValue(), 'Poziv na broj');
    assert.equal((await api('GET', `/invoices/${inv.id}`)).json.payments.length, 1);
    await setLang('sr-Cyrl');
    await page.getByRole('heading', { level: 1, name: 'Увоз извода из банке' }).waitFor();
    await shot('import-sr-Cyrl-1280');
    await setLang('en');
  });
});
