// The merchant portal on a phone and in three languages, against the real binary in Chromium, with real
// data: every route at 360 px and 1280 px in English, Serbian Latin and Serbian Cyrillic has no
// horizontal overflow and no element sticking out, passes axe, and is kept as a screenshot. Then what
// the merchant is told: e-mail status while delivery is off, money of partial captures and refunds,
// badges, Serbian dates and declines, the payer's language in share texts, dialogs, forms, the QR code,
// the team, and a password reset through a real SMTP exchange.
// Run: SECURELINK_BIN=/path/to/securelink npm run e2e (the binary must embed fresh builds of both SPAs).
import { once } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { smtpSink } from '../../frontend-shared/e2e/smtpsink.mjs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startSecurelink } from './harness.mjs';

const require = createRequire(import.meta.url);
const bin = process.env.SECURELINK_BIN;
const artifacts = new URL('./artifacts/phone/', import.meta.url).pathname;
const axeSource = await readFile(require.resolve('axe-core'), 'utf8');
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ');
// Test strings in base 36, never digit runs that could pass the Luhn check as a card number.
const tag = () => Math.random().toString(36).slice(2, 8);
const languages = ['en', 'sr-Latn', 'sr-Cyrl'];
const expiry = { exp_month: 12, exp_year: new Date().getFullYear() + 3 };

describe('the portal on a phone, in three languages, telling the truth', { skip: bin ? false : 'SECURELINK_BIN is not set' }, () => {
  let a, b, sink, receiver, browser;
  const data = {};
  let shotNo = 0;

  /** Calls server s's API with its demo merchant's key. */
  const api = async (s, method, path, body, { ok = true } = {}) => {
    const r = await fetch(`${s.base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${s.demo.api_key}`, 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-${tag()}${tag()}` },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = r.status === 204 ? {} : await r.json();
    if (ok) assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };

  const invoice = (s, over = {}) =>
    api(s, 'POST', '/invoices', {
      customer: { name: `Kupac ${tag()}`, email: `kupac-${tag()}@example.com` },
      lines: [{ description: 'Usluga', quantity: 1, unit_amount: 250050, vat_rate: 20 }],
      locale: 'en',
      ...over,
    });

  /** Pays a link the way the checkout does: the card goes to the gateway, its token to SecureLink. */
  const pay = async (s, inv, number = '4242424242424242', amount = undefined) => {
    const tok = await (
      await fetch(`${s.base}/gateway/v1/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ number, cvc: '123', name: 'E2E PAYER', ...expiry }),
      })
    ).json();
    assert.ok(tok.id, JSON.stringify(tok));
    const r = await fetch(`${s.base}/api/v1/checkout/${inv.link.token}/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `pay-${tag()}${tag()}` },
      body: JSON.stringify({ terms_accepted: true, payment_token: tok.id, ...(amount ? { amount } : {}) }),
    });
    const p = await r.json();
    return p;
  };

  /** Waits until the invoice's expiry has passed and the API reports it expired. */
  const untilExpired = async (inv) => {
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(inv.expires_at) - Date.now())));
    for (let i = 0; i < 100; i++) {
      if ((await api(a, 'GET', `/invoices/${inv.id}`)).status === 'expired') return;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`${inv.number} did not expire`);
  };

  const paymentOf = async (s, id) => (await api(s, 'GET', `/invoices/${id}`)).payments.find((p) => p.status !== 'failed');

  /** A browser context in one language, logged in to server s. */
  const loggedIn = async (s, lang, viewport = { width: 360, height: 740 }) => {
    const ctx = await browser.newContext({ locale: lang === 'en' ? 'en-GB' : 'sr-RS', viewport, acceptDownloads: true });
    await ctx.addInitScript((l) => localStorage.setItem('securelink.portal.locale', l), lang);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => s.logs.push(`pageerror: ${e.message}\n`));
    await page.goto(`${s.base}/portal/login`);
    await page.locator('#login-email').fill(s.demo.email);
    await page.locator('#login-password').fill(s.demo.password);
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL(`${s.base}/portal/`);
    await page.locator('h1').first().waitFor();
    return { ctx, page };
  };

  const settle = async (page) => {
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.getByRole('status').filter({ hasText: /^(Loading…|Učitavanje…|Учитавање…)$/ }).waitFor({ state: 'detached' }).catch(() => {});
  };

  const shot = async (page, name, fullPage = true) => {
    shotNo++;
    await page.screenshot({ path: join(artifacts, `${String(shotNo).padStart(3, '0')}-${name}.png`), fullPage });
  };

  /**
   * The page's width against the viewport's, and every visible element that sticks out sideways: out
   * of the screen, or out of a box that would make it scroll sideways (a table wider than its card).
   * What an ancestor clips (overflow hidden, a visually hidden heading row) is not seen, so not counted.
   */
  const overflow = (page) =>
    page.evaluate(() => {
      const de = document.documentElement;
      const vw = de.clientWidth;
      const out = [];
      const describe = (el, r, why) => {
        const id = el.id ? `#${el.id}` : '';
        const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        return `${why}: ${el.tagName.toLowerCase()}${id}${cls} [${Math.round(r.left)}..${Math.round(r.right)}] ${(el.textContent ?? '').trim().slice(0, 40)}`;
      };
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.width <= 1 || r.height <= 1) continue;
        const cs = getComputedStyle(el);
        if (cs.visibility === 'hidden' || cs.display === 'none') continue;
        let left = r.left;
        let right = r.right;
        let scroller = null;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const ps = getComputedStyle(p);
          const pr = p.getBoundingClientRect();
          if (ps.overflowX === 'hidden' || ps.overflowX === 'clip' || (ps.clip && ps.clip !== 'auto')) {
            left = Math.max(left, pr.left);
            right = Math.min(right, pr.right);
          } else if ((ps.overflowX === 'auto' || ps.overflowX === 'scroll') && !scroller) scroller = pr;
        }
        if (right - left <= 1) continue;
        // A status badge stays inside its card (a long held-e-mail badge once poked out of it).
        const card = el.classList.contains('badge') ? el.closest('section, .card') : null;
        if (card && r.right > card.getBoundingClientRect().right + 0.5) out.push(describe(el, r, 'out of its card'));
        if (scroller && (right > scroller.right + 0.5 || left < scroller.left - 0.5)) out.push(describe(el, r, 'scrolls sideways'));
        else if (right > vw + 0.5 || left < -0.5) out.push(describe(el, r, 'off screen'));
      }
      return { scrollWidth: de.scrollWidth, clientWidth: vw, out: out.slice(0, 8) };
    });

  const axeCheck = async (page, name) => {
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 4) }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `axe on ${name}: ${JSON.stringify(bad, null, 2)}`);
  };

  before(async () => {
    if (!bin) return;
    await mkdir(artifacts, { recursive: true });
    // A: no SMTP server (e-mail delivery off). B: a real SMTP exchange with the sink.
    sink = await smtpSink();
    a = await startSecurelink(bin, { SECURELINK_WEBHOOK_ALLOW_PRIVATE: 'true' });
    b = await startSecurelink(bin, { SMTP_URL: sink.url, SMTP_FROM: 'SecureLink <no-reply@securelink.test>' });
    receiver = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"received":true}');
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });

    // Real data on A: every kind of order, e-mails, webhooks, keys and a team member. The order that
    // expires comes first: an expiry is at least a minute ahead, and the rest is made meanwhile.
    data.expired = await invoice(a, { locale: 'sr-Latn', expires_at: new Date(Date.now() + 65_000).toISOString() });
    await api(a, 'PATCH', '/merchant', { legal_name: 'Demo Prodavnica d.o.o. Beograd', address: 'Bulevar kralja Aleksandra 73, 11000 Beograd' });
    await api(a, 'POST', '/webhook-endpoints', { url: `http://127.0.0.1:${receiver.address().port}/hooks/securelink-with-a-long-path/${tag()}`, events: ['invoice.created', 'invoice.paid', 'payment.captured', 'refund.succeeded'] });
    const long = await invoice(a, {
      customer: { name: 'Aleksandra Dragićević-Stojanović Petrović', email: 'aleksandra.dragicevic.stojanovic.petrovic@primer-preduzeca.example.com', phone: '+381 64 555 0101', address: 'Kneza Mihaila 12, stan 34, 11000 Beograd' },
      description: 'Izrada veb prezentacije sa prevodom na engleski jezik i održavanjem tokom prve godine',
      reference: `PORUDŽBINA-${tag().toUpperCase()}-${tag().toUpperCase()}`,
      lines: [
        { description: 'Dizajn i izrada stranica prezentacije, uključujući mobilnu verziju', quantity: 12, unit_amount: 1250000, vat_rate: 20 },
        { description: 'Prevod', quantity: 3, unit_amount: 480050, vat_rate: 20 },
      ],
      locale: 'sr-Cyrl',
      send_email: true,
    });
    data.long = long;
    data.paid = await invoice(a, { capture_mode: 'automatic' });
    await pay(a, data.paid);
    data.partial = await invoice(a, { capture_mode: 'manual', lines: [{ description: 'Depozit za hotel', quantity: 1, unit_amount: 1000000, vat_rate: 20 }] });
    await pay(a, data.partial);
    await api(a, 'POST', `/payments/${(await paymentOf(a, data.partial.id)).id}/capture`, { amount: 750000 });
    data.voided = await invoice(a, { capture_mode: 'manual' });
    await pay(a, data.voided);
    await api(a, 'POST', `/payments/${(await paymentOf(a, data.voided.id)).id}/void`, {});
    data.refunded = await invoice(a, {});
    await pay(a, data.refunded);
    await api(a, 'POST', `/payments/${(await paymentOf(a, data.refunded.id)).id}/refunds`, { reason: 'Kupac je odustao' });
    data.partRefunded = await invoice(a, {});
    await pay(a, data.partRefunded);
    await api(a, 'POST', `/payments/${(await paymentOf(a, data.partRefunded.id)).id}/refunds`, { amount: 50000, reason: 'Oštećeno pakovanje' });
    data.inParts = await invoice(a, { allow_partial: true, min_first_amount: 50000 });
    await pay(a, data.inParts, '4242424242424242', 100000);
    data.declined = await invoice(a, {});
    const declinedPay = await pay(a, data.declined, '4000000000009995');
    assert.equal(declinedPay.status, 'failed', JSON.stringify(declinedPay));
    data.cancelled = await invoice(a, {});
    await api(a, 'POST', `/invoices/${data.cancelled.id}/cancel`, {});
    // The payer's language differs from the portal's: an English payer and a Cyrillic one.
    data.enPayer = await invoice(a, { locale: 'en', customer: { name: 'John Payer', email: 'john@example.com', phone: '+381 64 555 0202' } });
    data.cyrPayer = await invoice(a, { locale: 'sr-Cyrl', customer: { name: 'Мика Микић', email: 'mika@example.com', phone: '+381 64 555 0303' } });
    for (let i = 0; i < 4; i++) await invoice(a, {});
    // Reusable payment links: long fixed items with a quantity and a limit, an amount the payer
    // chooses (ended), and a paid order through the public checkout API that names its link.
    data.plinkFixed = await api(a, 'POST', '/payment-links', {
      title: 'Grupni čas joge utorkom i četvrtkom uveče, sa prostirkom i peškirom',
      description: 'Šezdeset minuta, svi nivoi',
      lines: [{ description: 'Čas joge za odrasle, 60 minuta', quantity: 1, unit_amount: 150050, vat_rate: 20 }, { description: 'Prostirka', quantity: 1, unit_amount: 20000, vat_rate: 20 }],
      adjustable_quantity: { enabled: true, min: 1, max: 10 },
      max_payments: 40,
      collect: { name: true, email: true, phone: true, address: true },
      custom_fields: [{ key: 'velicina', label: 'Veličina majice', required: true }, { key: 'napomena', label: 'Napomena za instruktora', required: false }],
      success_url: 'https://studio-joge.example.com/hvala-na-prijavi',
      locale: 'sr-Latn',
    });
    data.plinkCustom = await api(a, 'POST', '/payment-links', { title: 'Donacija', pricing: 'custom', amount_min: 10000, amount_max: 5000000, amount_suggested: 250000, locale: 'en' });
    await api(a, 'PATCH', `/payment-links/${data.plinkCustom.id}`, { status: 'ended' });
    {
      const r = await fetch(`${a.base}/api/v1/checkout-links/${data.plinkFixed.token}/orders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `order-${tag()}${tag()}` },
        body: JSON.stringify({ quantity: 2, customer: { name: 'Jovana Jovanović', email: 'jovana@example.com', phone: '+381 64 555 0404', address: 'Knez Mihailova 1, Beograd' }, custom_fields: { velicina: 'M' }, locale: 'sr-Latn' }),
      });
      const order = await r.json();
      assert.equal(r.status, 201, JSON.stringify(order));
      data.plinkOrder = await api(a, 'GET', `/invoices/${order.invoice_id}`);
      await pay(a, data.plinkOrder);
    }
    await api(a, 'POST', `/invoices/${data.enPayer.id}/send`, {});
    const key = await api(a, 'POST', '/api-keys', { name: 'Knjigovodstveni program za fakturisanje i izveštaje' });
    await api(a, 'POST', '/api-keys', { name: `Stari ključ ${tag()}` }).then((k) => api(a, 'DELETE', `/api-keys/${k.id}`));
    data.keyName = key.name;
    const staff = await api(a, 'POST', '/users/invitations', { email: `radnik-${tag()}@example.com`, name: 'Radnik Prodavnice' });
    data.inviteUrl = staff.invitation_url;
    // The dispatcher writes e-mails from events within a second or two.
    for (let i = 0; i < 100 && !data.email; i++) {
      data.email = (await api(a, 'GET', '/emails?limit=100')).data.find((e) => e.kind === 'payment_link' && e.invoice_id === long.id);
      if (!data.email) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(data.email, 'no payment-link e-mail of the long invoice');
  });

  after(async () => {
    await browser?.close();
    receiver?.close();
    sink?.close();
    await a?.stop();
    await b?.stop();
  });

  const onFailure = async (err, pages, s) => {
    for (const [i, p] of pages.entries()) await p.screenshot({ path: join(artifacts, `failure-${i}.png`), fullPage: true }).catch(() => {});
    console.error((s ?? a).logs.slice(-30).join(''));
    throw err;
  };

  test('every route, in every language, fits a 360 px phone and a 1280 px screen, with the e-mail notice and axe clean', async () => {
    const invite = new URL(data.inviteUrl).pathname;
    const routes = [
      ['dashboard', '/portal/'],
      ['orders', '/portal/invoices'],
      ['new-invoice', '/portal/invoices/new'],
      ['import', '/portal/invoices/import'],
      ['order-long', `/portal/invoices/${data.long.id}`],
      ['order-paid', `/portal/invoices/${data.paid.id}`],
      ['order-partial-capture', `/portal/invoices/${data.partial.id}`],
      ['order-voided', `/portal/invoices/${data.voided.id}`],
      ['order-refunded', `/portal/invoices/${data.refunded.id}`],
      ['order-part-refunded', `/portal/invoices/${data.partRefunded.id}`],
      ['order-paid-in-parts', `/portal/invoices/${data.inParts.id}`],
      ['order-declined', `/portal/invoices/${data.declined.id}`],
      ['order-cancelled', `/portal/invoices/${data.cancelled.id}`],
      ['order-expired', `/portal/invoices/${data.expired.id}`],
      ['payment-links', '/portal/payment-links'],
      ['new-payment-link', '/portal/payment-links/new'],
      ['payment-link', `/portal/payment-links/${data.plinkFixed.id}`],
      ['payment-link-ended', `/portal/payment-links/${data.plinkCustom.id}`],
      ['order-from-link', `/portal/invoices/${data.plinkOrder.id}`],
      ['settings', '/portal/settings'],
      ['webhook-log', '/portal/settings/webhooks'],
      ['email', `/portal/settings/emails/${data.email.id}`],
      ['logs', '/portal/logs'],
      ['go-live', '/portal/go-live'],
      ['not-found', '/portal/no-such-page'],
      ['invite', invite],
      ['forgot-password', '/portal/forgot-password'],
      ['reset-password', '/portal/reset-password/not-a-real-token'],
    ];
    const pages = [];
    await untilExpired(data.expired);
    try {
      for (const lang of languages) {
        const { ctx, page } = await loggedIn(a, lang);
        pages.push(page);
        for (const [name, path] of routes) {
          await page.setViewportSize({ width: 360, height: 740 });
          await page.goto(`${a.base}${path}`);
          await settle(page);
          const o = await overflow(page);
          assert.ok(o.scrollWidth <= o.clientWidth, `${lang} ${name} at 360 px is ${o.scrollWidth} px wide: ${o.out.join(' | ')}`);
          assert.deepEqual(o.out, [], `${lang} ${name} at 360 px: elements stick out`);
          // The header fits: Log out is on screen.
          const logout = page.locator('header button.logout');
          if (await logout.count()) {
            const box = await logout.boundingBox();
            assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${lang} ${name}: Log out is off screen (${JSON.stringify(box)})`);
            // …and on one line ("Одјава" once broke into "Одја-ва" over two).
            const lines = await logout.evaluate((b) => {
              const r = document.createRange();
              r.selectNodeContents(b);
              return new Set([...r.getClientRects()].map((c) => Math.round(c.top))).size;
            });
            assert.equal(lines, 1, `${lang} ${name}: Log out wraps over ${lines} lines`);
            // While this SecureLink has no SMTP server, every page says e-mail delivery is off.
            await page.getByTestId('mail-off').waitFor();
          }
          if (name === 'dashboard') {
            // The language switch shows its whole label (Chromium draws the arrow in about 16 px).
            const label = await page.locator('#lang').evaluate((sel) => {
              const cs = getComputedStyle(sel);
              const ctx = document.createElement('canvas').getContext('2d');
              ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
              const text = sel.options[sel.selectedIndex].text;
              return { text, need: ctx.measureText(text).width, room: sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16 };
            });
            assert.ok(label.need <= label.room, `${lang}: the language switch cuts "${label.text}" (${label.need} px in ${label.room} px)`);
          }
          await axeCheck(page, `${lang} ${name} at 360 px`);
          await shot(page, `${name}-${lang}-360`);
          await page.setViewportSize({ width: 1280, height: 900 });
          const wide = await overflow(page);
          assert.deepEqual(wide.out, [], `${lang} ${name} at 1280 px: elements stick out`);
          await shot(page, `${name}-${lang}-1280`, false);
        }
        await ctx.close();
      }
      assert.deepEqual(a.logs.filter((l) => l.startsWith('pageerror')), []);
    } catch (err) {
      await onFailure(err, pages);
    }
  });

  test('a phone shows more than four orders per screen, API keys with Revoke and the settings within the screen', async () => {
    const { ctx, page } = await loggedIn(a, 'sr-Cyrl');
    try {
      await page.goto(`${a.base}/portal/invoices`);
      await settle(page);
      await page.locator('tbody tr').nth(8).waitFor();
      await shot(page, 'orders-per-screen-sr-Cyrl-360');
      // One screen's height of the list, from its first order down.
      await page.locator('tbody tr').first().evaluate((r) => r.scrollIntoView({ block: 'start' }));
      const onScreen = await page.locator('tbody tr').evaluateAll((rows) => rows.filter((r) => r.getBoundingClientRect().bottom <= innerHeight).length);
      assert.ok(onScreen > 4, `only ${onScreen} orders fit on a 360×740 screen`);

      await page.goto(`${a.base}/portal/settings`);
      await settle(page);
      const keyRow = page.getByRole('row').filter({ hasText: data.keyName });
      const revoke = keyRow.getByRole('button', { name: /Опозови/ });
      await revoke.scrollIntoViewIfNeeded();
      const box = await revoke.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `Revoke is off screen: ${JSON.stringify(box)}`);
      // The key's prefix stays on one line (not one letter per line).
      const prefix = keyRow.locator('.key');
      const pbox = await prefix.boundingBox();
      assert.ok(pbox.height < 30, `the key prefix wraps: ${pbox.height}px high`);
      // The Cyrillic mailbox never calls held mail sent.
      await page.getByRole('heading', { level: 2, name: 'Одлазна е-пошта' }).waitFor();
      assert.equal(await page.getByText(/^Послат/).count(), 0, 'a held e-mail is called sent');
      await page.locator('.mails').getByText('Задржано, није послато').first().waitFor();
      const subject = page.locator('.mails td.subject a').first();
      const sbox = await subject.boundingBox();
      assert.ok(sbox.width > 120, `e-mail subjects are crushed to ${sbox.width}px`);
      await shot(page, 'settings-mailbox-sr-Cyrl-360');
    } finally {
      await ctx.close();
    }
  });

  test('e-mail status is told as it is, and the notice can be hidden for the session', async () => {
    const { ctx, page } = await loggedIn(a, 'en', { width: 1280, height: 900 });
    try {
      await page.goto(`${a.base}/portal/invoices/${data.enPayer.id}`);
      await settle(page);
      await page.getByTestId('mail-off').getByText('E-mail delivery is off.').waitFor();
      await page.getByRole('button', { name: 'Resend e-mail' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Resend e-mail' }).click();
      await page.getByText('E-mail delivery is off: the e-mail to john@example.com is only held in the mailbox and reaches nobody.').waitFor();
      assert.equal(await page.getByText(/on its way/).count(), 0);
      await page.getByTestId('mail-off').getByRole('button', { name: 'Hide for now' }).click();
      await page.getByTestId('mail-off').waitFor({ state: 'detached' });
      await page.reload();
      await settle(page);
      assert.equal(await page.getByTestId('mail-off').count(), 0, 'the notice is back after hiding it in this session');

      // The e-mail page names the order by its number and shows the HTML with its own styles.
      await page.goto(`${a.base}/portal/settings/emails/${data.email.id}`);
      await settle(page);
      await page.getByRole('link', { name: `Invoice ${data.long.number}` }).waitFor();
      await page.getByRole('button', { name: 'Show the HTML version' }).click();
      const frame = page.frameLocator('iframe[title="HTML version of the e-mail"]');
      await frame.getByText(/Demo/).first().waitFor();
      const padding = await frame.locator('body').evaluate((b) => getComputedStyle(b).paddingTop);
      assert.equal(padding, '24px', 'the e-mail’s inline styles are blocked in the preview');
      assert.equal(await frame.locator('script').count(), 0);
      await shot(page, 'email-preview-en-1280');
    } finally {
      await ctx.close();
    }
  });

  test('money is told truthfully: partial captures, refunds, voids and distinct badges', async () => {
    const { ctx, page } = await loggedIn(a, 'en', { width: 1280, height: 900 });
    try {
      await page.goto(`${a.base}/portal/invoices`);
      await settle(page);
      const partialRow = page.getByRole('row').filter({ hasText: data.partial.number });
      await partialRow.getByText('Partly captured').waitFor();
      assert.match(plain(await partialRow.innerText()), /Collected RSD 7,500\.00/);
      assert.doesNotMatch(plain(await partialRow.innerText()), /\bPaid\b/);
      const refundedRow = page.getByRole('row').filter({ hasText: data.partRefunded.number });
      assert.match(plain(await refundedRow.innerText()), /Refunded RSD 500\.00/);

      await page.goto(`${a.base}/portal/invoices/${data.partial.id}`);
      await settle(page);
      assert.equal(plain(await page.getByTestId('order-money').innerText()).trim(), 'RSD 7,500.00 collected of RSD 10,000.00');
      await page.locator('h1').getByText('Partly captured').waitFor();
      // The rest of a partly captured authorisation was released, not left to pay.
      assert.equal(await page.getByText('Left to pay', { exact: true }).count(), 0);

      await page.goto(`${a.base}/portal/invoices/${data.voided.id}`);
      await settle(page);
      await page.locator('h1').getByText('Voided').waitFor();
      const linkState = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Payment link' }) });
      await linkState.getByText('Closed', { exact: true }).waitFor();
      assert.equal(await linkState.getByText('Completed', { exact: true }).count(), 0, 'a voided authorisation’s link says Completed');

      // Every end state has a look of its own on the dashboard.
      await page.goto(`${a.base}/portal/`);
      await settle(page);
      const looks = await page
        .getByRole('region', { name: 'Invoices by status' })
        .locator('.badge')
        .evaluateAll((bs) => Object.fromEntries(bs.map((b) => [b.dataset.status, b.className.match(/badge-[\w-]+/)[0]])));
      const ends = ['refunded', 'partially_refunded', 'cancelled', 'expired'].map((s) => looks[s]);
      assert.equal(new Set(ends).size, 4, `end states share a badge: ${JSON.stringify(looks)}`);
      // Distinct to the eye, not only by class: fill, outline and text colour differ, and each reads
      // plainly (no struck-through text, no dashed beige).
      const seen = await page
        .getByRole('region', { name: 'Invoices by status' })
        .locator('.badge')
        .evaluateAll((bs) =>
          Object.fromEntries(
            bs.map((b) => {
              const cs = getComputedStyle(b);
              return [b.dataset.status, { bg: cs.backgroundColor, border: `${cs.borderTopStyle} ${cs.borderTopColor}`, color: cs.color, deco: cs.textDecorationLine }];
            }),
          ),
        );
      const endLooks = ['refunded', 'partially_refunded', 'cancelled', 'expired'].map((s) => seen[s]);
      assert.equal(new Set(endLooks.map((l) => `${l.bg}|${l.border}`)).size, 4, `end states look alike: ${JSON.stringify(seen)}`);
      for (const [i, l] of endLooks.entries()) {
        assert.equal(l.deco, 'none', `badge ${i} is struck through`);
        assert.match(l.border, /^solid /, `badge ${i} has a ${l.border} border`);
      }
      await shot(page, 'dashboard-badges-en-1280');

      // An expired order: its own badge, the expiry told in the past, a fresh link on offer, and the
      // payer's page says the link has expired instead of offering a form.
      await page.goto(`${a.base}/portal/invoices/${data.expired.id}`);
      await settle(page);
      const expiredBadge = page.locator('h1 .badge');
      assert.equal(await expiredBadge.innerText(), 'Expired');
      assert.match(await expiredBadge.getAttribute('class'), /badge-expired/);
      const summary = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Summary' }) });
      await summary.locator('dt', { hasText: /^Expired$/ }).waitFor();
      assert.equal(await summary.locator('dt', { hasText: /^Expires$/ }).count(), 0, 'a past expiry is called "Expires"');
      await page.getByRole('button', { name: 'Issue a fresh link' }).waitFor();
      assert.equal(await page.getByRole('button', { name: /^Cancel/ }).count(), 0, 'an expired order offers Cancel');
      const payer = await ctx.newPage();
      await payer.goto(data.expired.link.url);
      await payer.getByTestId('status-expired').waitFor();
      assert.equal(await payer.locator('#cc-number').count(), 0, 'the payer of an expired link gets a card form');
      await payer.close();

      // A refund states its amount, and the message matches the outcome the timeline shows.
      await page.goto(`${a.base}/portal/invoices/${data.paid.id}`);
      await settle(page);
      await page.getByRole('button', { name: 'Refund RSD 2,500.50', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Refund RSD 2,500.50', exact: true }).click();
      await page.getByText('Refunded RSD 2,500.50 to the card.').waitFor();
      await page.locator('.timeline').getByText(/Refund: Succeeded, RSD\s2,500\.50/).waitFor();
    } finally {
      await ctx.close();
    }
  });

  test('Serbian: dates in the genitive with one full stop, declines in Serbian, share texts in the payer’s language', async () => {
    const { ctx, page } = await loggedIn(a, 'sr-Latn', { width: 1280, height: 900 });
    try {
      await page.goto(`${a.base}/portal/invoices/${data.declined.id}`);
      await settle(page);
      await page.getByText('Na računu nema dovoljno sredstava.').first().waitFor();
      assert.doesNotMatch(await page.locator('main').innerText(), /insufficient funds|declined the card|card was declined/i, 'an English decline reason in the Serbian portal');
      const text = await page.locator('main').innerText();
      const months = 'januara|februara|marta|aprila|maja|juna|jula|avgusta|septembra|oktobra|novembra|decembra';
      assert.match(text, new RegExp(`\\d{1,2}\\. (${months}) \\d{4}\\.`), 'no Serbian date with a genitive month');
      assert.doesNotMatch(text, /\.\./, 'two full stops in a row');
      assert.doesNotMatch(text, /faktur/i);

      // The portal is in Serbian; the English payer gets English, the Cyrillic payer Cyrillic.
      await page.goto(`${a.base}/portal/invoices/${data.enPayer.id}`);
      await settle(page);
      const wa = decodeURIComponent((await page.getByRole('link', { name: 'WhatsApp' }).getAttribute('href')).replace('https://wa.me/?text=', ''));
      assert.match(plain(wa), /^Hello John Payer, you can pay RSD 2,500\.50 to .+ here: http/);
      await page.goto(`${a.base}/portal/invoices/${data.cyrPayer.id}`);
      await settle(page);
      const viber = decodeURIComponent((await page.getByRole('link', { name: 'Viber' }).getAttribute('href')).replace('viber://forward?text=', ''));
      assert.match(plain(viber), /^Добар дан, Мика Микић! Износ од 2\.500,50 RSD за .+ можете платити овде: http/);
      const sms = decodeURIComponent(await page.getByRole('link', { name: 'SMS' }).getAttribute('href'));
      assert.match(sms, /Добар дан/);

      await page.getByLabel('Jezik').selectOption('sr-Cyrl');
      await page.getByRole('heading', { level: 1, name: /^Рачун / }).waitFor();
      const cyr = await page.locator('main').innerText();
      assert.match(cyr, /\d{1,2}\. (јануара|фебруара|марта|априла|маја|јуна|јула|августа|септембра|октобра|новембра|децембра) \d{4}\./);
      assert.doesNotMatch(cyr, /\.\./, 'two full stops in a row (Cyrillic)');
      await shot(page, 'order-cyrillic-dates-1280');
    } finally {
      await ctx.close();
    }
  });

  test('forms and dialogs: errors clear when corrected, Keep invoice beside Cancel invoice, webhook errors translated, the team', async () => {
    const { ctx, page } = await loggedIn(a, 'en', { width: 1280, height: 900 });
    try {
      await page.goto(`${a.base}/portal/invoices/new`);
      await settle(page);
      await page.getByRole('button', { name: 'Create invoice' }).click();
      const name = page.getByLabel('Name', { exact: true });
      await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]'));
      assert.equal(await name.getAttribute('aria-invalid'), 'true');
      await name.fill('Ana Anić');
      await page.waitForFunction(() => !document.getElementById('c-name')?.hasAttribute('aria-invalid'));
      assert.equal((await page.locator('#c-name-err').innerText()).trim(), '', 'the corrected field keeps its error');

      await page.goto(`${a.base}/portal/invoices/${data.enPayer.id}`);
      await settle(page);
      await page.getByRole('button', { name: 'Cancel invoice' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Keep invoice', exact: true }).waitFor();
      await dialog.getByRole('button', { name: 'Cancel invoice', exact: true }).waitFor();
      assert.equal(await dialog.getByRole('button', { name: 'Cancel', exact: true }).count(), 0);
      await dialog.getByRole('button', { name: 'Keep invoice' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.locator('h1').getByText('Open').waitFor();

      // Webhook and team errors in the portal's language, never the API's English.
      await page.goto(`${a.base}/portal/settings`);
      await settle(page);
      await page.locator('#lang').selectOption('sr-Latn');
      await page.getByRole('heading', { level: 1, name: 'Podešavanja' }).waitFor();
      await page.getByLabel('URL adresa').fill('ftp://example.com/hook');
      await page.getByRole('button', { name: 'Dodaj adresu' }).click();
      await page.getByText('Adresa mora biti potpuna (HTTP ili HTTPS)', { exact: false }).waitFor();
      assert.equal(await page.getByText(/url must/i).count(), 0, 'raw API text shown for a webhook error');

      // The team: a role on invitation, a pending state until it is accepted, and removal.
      const email = `vlasnik-${tag()}@example.com`;
      await page.getByLabel('E-pošta novog člana').fill(email);
      await page.getByLabel('Uloga').selectOption('owner');
      await page.getByRole('button', { name: 'Pozovi', exact: true }).click();
      const member = page.getByRole('listitem').filter({ hasText: email });
      await member.getByText('Poziv na čekanju').waitFor();
      await member.getByText('Vlasnik', { exact: true }).waitFor();
      await shot(page, 'team-pending-sr-Latn-1280');
      await member.getByRole('button', { name: /Ukloni/ }).click();
      const rm = page.getByRole('dialog');
      await rm.getByRole('button', { name: 'Zadrži člana' }).waitFor();
      await rm.getByRole('button', { name: 'Ukloni', exact: true }).click();
      await member.waitFor({ state: 'detached' });
    } finally {
      await ctx.close();
    }
  });

  test('the QR code keeps its quiet zone, downloads as PNG and SVG, prints alone, and toasts leave it visible on a phone', async () => {
    const { ctx, page } = await loggedIn(a, 'en');
    try {
      await page.goto(`${a.base}/portal/invoices/new`);
      await settle(page);
      await page.getByLabel('Name', { exact: true }).fill('Qr Kupac');
      await page.getByLabel('E-mail', { exact: true }).fill('qr@example.com');
      const item = page.getByRole('group', { name: 'Item 1' });
      await item.getByLabel('Description').fill('Torta');
      await item.getByLabel(/Unit price/).fill('1,500');
      await page.getByRole('button', { name: 'Create invoice' }).click();
      await page.getByRole('heading', { level: 1, name: /is ready$/ }).waitFor();
      const qr = page.locator('svg.qr');
      const [size, minX] = await qr.evaluate((svg) => {
        const n = Number(svg.getAttribute('viewBox').split(' ')[2]);
        const xs = [...svg.querySelector('path').getAttribute('d').matchAll(/M(\d+) (\d+)/g)].map((m) => Math.min(Number(m[1]), Number(m[2])));
        return [n, Math.min(...xs)];
      });
      assert.equal(minX, 4, `quiet zone of ${minX} modules`);
      assert.ok(size > 25);
      for (const [button, re] of [['Download PNG', /-qr\.png$/], ['Download SVG', /-qr\.svg$/]]) {
        const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
        assert.match(dl.suggestedFilename(), re);
        const bytes = await readFile(await dl.path());
        assert.ok(bytes.length > 100, `${button}: ${bytes.length} bytes`);
      }
      // Several toasts at once: a phone shows one compact toast at the top, never over the code or
      // the buttons under it, wherever the code is on the screen.
      await page.getByRole('button', { name: 'Copy link' }).click();
      await page.getByRole('button', { name: 'Send by e-mail' }).click();
      await page.locator('.toast').last().waitFor();
      const shownToasts = () =>
        page.locator('.toast').evaluateAll((ts) => ts.filter((t) => t.checkVisibility()).map((t) => t.getBoundingClientRect().toJSON()));
      const overlaps = (a, b) => !(a.right <= b.x || a.left >= b.x + b.width || a.bottom <= b.y || a.top >= b.y + b.height);
      for (const block of ['end', 'center']) {
        // Each toast lasts a few seconds: a fresh one for each look.
        await page.getByRole('button', { name: 'Copy link' }).click();
        await page.locator('.toast').last().waitFor();
        await qr.evaluate((el, block) => el.scrollIntoView({ block }), block);
        const shown = await shownToasts();
        assert.equal(shown.length, 1, `${shown.length} toasts on a phone at once`);
        assert.ok(shown[0].height < 60, `the toast is ${shown[0].height} px high`);
        for (const target of [qr, page.getByRole('button', { name: 'Download PNG' }), page.getByRole('button', { name: 'Print' })]) {
          const box = await target.boundingBox();
          assert.ok(!overlaps(shown[0], box), `a toast covers ${await target.evaluate((el) => el.tagName)} (QR at ${block}): ${JSON.stringify(shown[0])} over ${JSON.stringify(box)}`);
        }
      }
      await shot(page, 'qr-toasts-en-360', false);
      // Printing shows the code alone.
      await page.evaluate(() => document.body.classList.add('printing-qr'));
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('header.top').evaluate((h) => getComputedStyle(h).visibility), 'hidden');
      assert.equal(await qr.evaluate((s) => getComputedStyle(s).visibility), 'visible');
      await page.emulateMedia({ media: 'screen' });
    } finally {
      await ctx.close();
    }
  });

  test('a first-invoice prompt, an honest queued status, and a password reset through a real SMTP exchange', async () => {
    const pages = [];
    try {
      // B is a fresh merchant with a real SMTP server: no notice, a first-invoice prompt.
      const old = await loggedIn(b, 'sr-Latn', { width: 360, height: 740 });
      pages.push(old.page);
      await old.page.getByTestId('first-invoice').getByRole('link', { name: 'Napravi prvi račun' }).waitFor();
      assert.equal(await old.page.getByTestId('mail-off').count(), 0, 'the notice shows although SMTP is configured');
      await shot(old.page, 'first-invoice-sr-Latn-360');
      const inv = await invoice(b, { customer: { name: 'Ana', email: 'ana@example.com' } });
      await old.page.goto(`${b.base}/portal/invoices/${inv.id}`);
      await settle(old.page);
      await old.page.getByRole('button', { name: 'Ponovo pošalji e-poštu' }).click();
      await old.page.getByRole('dialog').getByRole('button', { name: 'Ponovo pošalji e-poštu' }).click();
      await old.page.getByText('Poruka za ana@example.com je u redu za slanje i odlazi za nekoliko sekundi.').waitFor();

      // Forgot password: the login page links to it; the answer does not say whether the account exists.
      const ctx = await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 740 } });
      await ctx.addInitScript(() => localStorage.setItem('securelink.portal.locale', 'en'));
      const page = await ctx.newPage();
      pages.push(page);
      await page.goto(`${b.base}/portal/login`);
      await page.getByLabel('Password', { exact: true }).fill('visible?');
      await page.getByRole('button', { name: 'Show' }).click();
      assert.equal(await page.locator('#login-password').getAttribute('type'), 'text');
      await page.getByRole('button', { name: 'Hide' }).click();
      assert.equal(await page.locator('#login-password').getAttribute('type'), 'password');
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
      const before = sink.messages.length;
      await page.getByLabel('E-mail').fill(b.demo.email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.getByText(`If ${b.demo.email} has an account`).waitFor();
      await axeCheck(page, 'forgot password sent');
      await shot(page, 'forgot-password-sent-en-360');

      const deadline = Date.now() + 30_000;
      let link;
      while (!link && Date.now() < deadline) {
        for (const m of sink.messages.slice(before)) {
          const joined = m.replace(/=\r\n/g, '');
          const hit = joined.match(/https?:\/\/[^\s"<>]+\/portal\/reset-password\/[A-Za-z0-9_-]+/);
          if (hit) link = hit[0];
        }
        if (!link) await new Promise((r) => setTimeout(r, 300));
      }
      assert.ok(link, `no reset link among ${sink.messages.length - before} messages`);
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
      await page.getByLabel('New password').fill('a fresh reset password');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      // Every other session ended: the old browser is sent to login.
      await old.page.reload();
      await old.page.waitForURL(/\/portal\/login/);
      // The link works once.
      await page.goto(link);
      await page.getByLabel('New password').fill('another new password');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await page.getByText('This password-reset link is not valid any more. Ask for a new one.').waitFor();
      await ctx.close();
    } catch (err) {
      await onFailure(err, pages, b);
    }
  });
});
