// Back to the merchant's site in the portal, against the real binary in Debian's Chromium: the
// automatic return and a new return secret in Settings, the return addresses on the invoice form
// (an http address is refused there), at 1280 and 360 px in English, Serbian Latin and Cyrillic.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPortal } from './harness.mjs';

const bin = process.env.SECURELINK_BIN;
const artifacts = new URL('./artifacts/', import.meta.url).pathname;

describe('back to the merchant in the portal', { skip: bin ? false : 'SECURELINK_BIN is not set' }, () => {
  let portal, app, page, api, axeCheck, noOverflow, setLang;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    portal = await openPortal(bin);
    ({ app, page, api, axeCheck, noOverflow, setLang } = portal);
  });

  after(async () => {
    await portal?.close();
  });

  test('settings: automatic return and a new secret shown once', async () => {
    await page.goto(`${app.base}/portal/settings`);
    const section = page.getByTestId('return-settings');
    await section.waitFor();
    await section.getByLabel('Return the payer automatically a few seconds after paying').check();
    await section.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').first().waitFor();
    assert.equal((await api('GET', '/merchant')).json.auto_return, true);

    await section.getByRole('button', { name: 'Make a new secret' }).click();
    const secret = await section.getByLabel('Return secret').inputValue();
    assert.match(secret, /^rsec_[A-Za-z0-9_-]{40,}$/);
    // The secret shown is the one the checkout signs with: a test invoice's cancel URL verifies with it.
    const inv = await api('POST', '/invoices', {
      customer: { name: 'Ana Anić', email: 'ana@example.com' },
      lines: [{ description: 'Kifle', quantity: 1, unit_amount: 10000, vat_rate: 20 }],
      cancel_url: 'https://shop.example/cart',
    });
    assert.equal(inv.status, 201, inv.text);
    const co = await fetch(`${app.base}/api/v1/checkout/${inv.json.link.token}`).then((r) => r.json());
    const q = new URL(co.cancel_url).searchParams;
    const { createHmac } = await import('node:crypto');
    const signed = ['ts', 'invoice', 'payment', 'status', 'amount', 'currency'].map((k) => q.get(k) ?? '').join('.');
    assert.equal(q.get('signature'), createHmac('sha256', secret).update(signed).digest('hex'));

    for (const lang of ['en', 'sr-Latn', 'sr-Cyrl']) {
      await setLang(lang);
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await noOverflow(`settings ${lang} ${width}`);
        await axeCheck(`settings ${lang} ${width}`);
        await section.screenshot({ path: join(artifacts, `return-settings-${lang}-${width}.png`) });
      }
    }
    await setLang('en');
  });

  test('invoice form: return addresses, an http address refused', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.base}/portal/invoices/new`);
    await page.getByRole('heading', { level: 1, name: 'New invoice' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Ana Anić');
    await page.getByLabel('E-mail', { exact: true }).fill('ana@example.com');
    const item = page.getByRole('group', { name: 'Item 1' });
    await item.getByLabel('Description').fill('Kifle');
    await item.getByLabel('Quantity').fill('2');
    await item.getByLabel(/Unit price/).fill('150');
    const success = page.getByLabel('Return address after paying (optional)');
    await success.fill('http://shop.example/thanks');
    await page.getByLabel('Return address if the payer cancels (optional)').fill('https://shop.example/cart');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await page.locator('#i-success-url-err').getByText('Enter an https:// address (http:// only for localhost).').waitFor();
    assert.equal(await success.getAttribute('aria-invalid'), 'true');
    await success.fill('https://shop.example/thanks?order=9');
    for (const lang of ['en', 'sr-Latn', 'sr-Cyrl']) {
      await setLang(lang);
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await noOverflow(`new invoice ${lang} ${width}`);
        await axeCheck(`new invoice ${lang} ${width}`);
        await page.screenshot({ path: join(artifacts, `return-new-invoice-${lang}-${width}.png`), fullPage: true });
      }
    }
    await setLang('en');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await page.getByRole('heading', { level: 1, name: /^Invoice .* is ready$/ }).waitFor();
    const list = await api('GET', '/invoices?limit=1');
    assert.equal(list.json.data[0].success_url, 'https://shop.example/thanks?order=9');
    assert.equal(list.json.data[0].cancel_url, 'https://shop.example/cart');
  });

  test('settings: brand colour with its preview, a bad code refused', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.base}/portal/settings`);
    const section = page.getByTestId('brand-settings');
    await section.waitFor();
    await section.getByLabel('Colour code').fill('#12345');
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByRole('alert').waitFor();
    assert.match(await section.getByRole('alert').innerText(), /brand_color|colour/i);
    await section.getByLabel('Pick a colour').fill('#ffd400');
    assert.equal(await section.getByLabel('Colour code').inputValue(), '#ffd400');
    await section.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').first().waitFor();
    const m = (await api('GET', '/merchant')).json;
    assert.equal(m.brand_color, '#ffd400');
    assert.equal(m.brand_text_color, '#000000');
    const band = section.getByTestId('brand-band');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-testid="brand-band"]')).backgroundColor === 'rgb(255, 212, 0)');
    assert.equal(await band.evaluate((el) => getComputedStyle(el).color), 'rgb(0, 0, 0)');
    for (const lang of ['en', 'sr-Latn', 'sr-Cyrl']) {
      await setLang(lang);
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await noOverflow(`brand settings ${lang} ${width}`);
        await axeCheck(`brand settings ${lang} ${width}`);
        await section.screenshot({ path: join(artifacts, `brand-settings-${lang}-${width}.png`) });
      }
    }
    await setLang('en');
  });
});
