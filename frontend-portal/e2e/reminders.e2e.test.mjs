// Reminders in the portal, against the real binary in Debian's Chromium: the rules in Settings (a
// bad number refused), "Remind now" on an order and the reminder on its timeline, at 1280 and 360 px
// in English, Serbian Latin and Cyrillic.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPortal } from './harness.mjs';

const bin = process.env.SECURELINK_BIN;
const artifacts = new URL('./artifacts/', import.meta.url).pathname;

describe('reminders in the portal', { skip: bin ? false : 'SECURELINK_BIN is not set' }, () => {
  let portal, app, page, api, axeCheck, noOverflow, setLang;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    portal = await openPortal(bin);
    ({ app, page, api, axeCheck, noOverflow, setLang } = portal);
  });

  after(async () => {
    await portal?.close();
  });

  test('settings: reminder rules, a bad number refused', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.base}/portal/settings`);
    const section = page.getByTestId('reminder-settings');
    await section.waitFor();
    assert.equal(await section.getByLabel('Days after the link was e-mailed').inputValue(), '0', 'off by default');
    await section.getByLabel('Days after the link was e-mailed').fill('400');
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByText('Enter a whole number of days from 0 to 365.').waitFor();
    await section.getByLabel('Days after the link was e-mailed').fill('3');
    await section.getByLabel('Days before the link expires').fill('2');
    await section.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').first().waitFor();
    const m = (await api('GET', '/merchant')).json;
    assert.equal(m.remind_after_days, 3);
    assert.equal(m.remind_before_expiry_days, 2);
    for (const lang of ['en', 'sr-Latn', 'sr-Cyrl']) {
      await setLang(lang);
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await noOverflow(`settings ${lang} ${width}`);
        await axeCheck(`settings ${lang} ${width}`);
        await section.screenshot({ path: join(artifacts, `reminder-settings-${lang}-${width}.png`) });
      }
    }
    await setLang('en');
  });

  test('order: Remind now puts the reminder on the timeline and in the mailbox', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const inv = await api('POST', '/invoices', {
      customer: { name: 'Ana Anić', email: 'ana@example.com' },
      lines: [{ description: 'Kifle', quantity: 1, unit_amount: 10000, vat_rate: 20 }],
      locale: 'sr-Cyrl',
    });
    assert.equal(inv.status, 201, inv.text);
    await page.goto(`${app.base}/portal/invoices/${inv.json.id}`);
    await page.getByTestId('remind-now').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('A reminder with the payment link is e-mailed to ana@example.com now').waitFor();
    await dialog.getByRole('button', { name: 'Remind now' }).click();
    await page.getByText('Reminder e-mailed (Remind now)').waitFor();
    const detail = (await api('GET', `/invoices/${inv.json.id}`)).json;
    assert.deepEqual(detail.reminders.map((r) => r.rule), ['manual']);
    // The e-mail is made in the invoice's language once the outbox is worked (within seconds).
    let subject = '';
    for (let i = 0; i < 50 && !subject; i++) {
      const mails = (await api('GET', '/emails?limit=100')).json.data;
      subject = mails.find((e) => e.kind === 'reminder' && e.invoice_id === inv.json.id)?.subject ?? '';
      if (!subject) await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(subject, /^\[TEST\] Подсетник: захтев за плаћање/);
    for (const lang of ['en', 'sr-Latn', 'sr-Cyrl']) {
      await setLang(lang);
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await noOverflow(`order ${lang} ${width}`);
        await axeCheck(`order ${lang} ${width}`);
        await page.screenshot({ path: join(artifacts, `reminder-order-${lang}-${width}.png`), fullPage: true });
      }
    }
    await setLang('en');
  });
});
