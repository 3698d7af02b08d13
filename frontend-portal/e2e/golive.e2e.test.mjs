// Going live in the portal, against the real binary in Debian's Chromium: the checklist shows what is
// missing; Settings → Payment providers refuses a bad key with the field named, then connects a live
// Stripe account shown only masked; at 1280 and 360 px in English, Serbian Latin and Cyrillic
// (no overflow, axe clean, screenshots).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPortal } from './harness.mjs';

const bin = process.env.SECURELINK_BIN;
const artifacts = new URL('./artifacts/', import.meta.url).pathname;
const liveSecret = 'sk_live_e2eGoLive0000009xYz';

describe('going live in the portal', { skip: bin ? false : 'SECURELINK_BIN is not set' }, () => {
  let portal, app, page, api, axeCheck, noOverflow, setLang;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    portal = await openPortal(bin);
    ({ app, page, api, axeCheck, noOverflow, setLang } = portal);
  });

  after(async () => {
    await portal?.close();
  });

  /** Every language and width: no overflow, axe clean, a screenshot. */
  async function everyLook(name, part) {
    for (const lang of ['en', 'sr-Latn', 'sr-Cyrl']) {
      await setLang(lang);
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await noOverflow(`${name} ${lang} ${width}`);
        await axeCheck(`${name} ${lang} ${width}`);
        const path = join(artifacts, `${name}-${lang}-${width}.png`);
        await (part ? part.screenshot({ path }) : page.screenshot({ path, fullPage: true }));
      }
    }
    await setLang('en');
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  test('the checklist shows the missing live provider with a link to fix it', async () => {
    await page.goto(`${app.base}/portal/go-live`);
    await page.getByRole('heading', { level: 1, name: 'Go live' }).waitFor();
    const row = page.getByTestId('golive-live_provider');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-done'), 'false');
    assert.match(await row.innerText(), /Live payment provider[\s\S]*Not done yet/);
    const fix = row.getByRole('link', { name: /Complete it/ });
    assert.match(await fix.getAttribute('href'), /\/portal\/settings#s-providers$/);
    const api_ = (await api('GET', '/go-live')).json;
    assert.equal(api_.ready, false);
    for (const step of api_.steps) {
      assert.equal(await page.getByTestId(`golive-${step.key}`).getAttribute('data-done'), String(step.done), step.key);
    }
    await everyLook('golive');

    // The link opens Settings at the Payment providers section.
    await fix.click();
    await page.waitForURL(/\/portal\/settings#s-providers$/);
    const heading = page.getByRole('heading', { level: 2, name: 'Payment providers' });
    await heading.waitFor();
    await page.waitForFunction(() => {
      const r = document.getElementById('s-providers')?.getBoundingClientRect();
      return !!r && r.top >= 0 && r.top < window.innerHeight;
    });
  });

  test('settings: a bad key names its field; a live Stripe account is shown masked', async () => {
    await page.goto(`${app.base}/portal/settings`);
    const live = page.getByTestId('provider-live');
    await live.waitFor();
    await live.getByRole('button', { name: 'Connect an account' }).click();
    const form = page.getByTestId('provider-live-form');
    // The test gateway moves no real money: it is not offered for a live account.
    const providers = (await api('GET', '/providers')).json.data;
    const offered = await form.getByLabel('Provider').locator('option').allInnerTexts();
    assert.ok(offered.includes('Stripe'), `Stripe is offered: ${offered}`);
    assert.ok(providers.some((p) => p.test_only), 'a test-only provider exists');
    for (const p of providers.filter((p) => p.test_only)) assert.ok(!offered.includes(p.title), `${p.title} is not offered for live`);
    await form.getByLabel('Provider').selectOption('stripe');
    const secret = form.getByLabel(/^Secret key/);
    assert.equal(await secret.getAttribute('type'), 'password');

    // Nothing filled in: the required fields say so.
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('#pv-secret_key-err').getByText(/Fill in "Secret key/).waitFor();
    assert.equal(await secret.getAttribute('aria-invalid'), 'true');

    // A test key for a live account: the server refuses it, naming the field.
    await secret.fill('sk_test_e2eNotLive000000');
    await form.getByLabel(/^Publishable key/).fill('pk_live_e2eGoLive000000');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('#pv-secret_key-err').getByText(/"Secret key.*Stripe does not accept this value/).waitFor();
    await everyLook('providers-error', page.getByTestId('providers-settings'));
    // Switching the language rewords the error.
    await setLang('sr-Latn');
    await page.locator('#pv-secret_key-err').getByText(/Stripe ne prihvata ovu vrednost/).waitFor();
    await setLang('en');

    await secret.fill(liveSecret);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    assert.equal(await live.getByTestId('provider-live-secret-secret_key').innerText(), '••••9xYz');
    assert.ok(!(await page.content()).includes(liveSecret), 'the secret never comes back to the page');
    const saved = (await api('GET', '/go-live')).json;
    assert.ok(saved.steps.some((s) => s.key === 'live_provider'), 'the live provider step is listed');
    await everyLook('providers', page.getByTestId('providers-settings'));

    // Replacing keeps a saved secret left blank.
    await live.getByRole('button', { name: 'Replace' }).click();
    assert.match(await form.getByLabel(/^Secret key/).getAttribute('placeholder'), /••••9xYz/);
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  test('Test connection says plainly whether a test account works', async () => {
    await page.goto(`${app.base}/portal/settings`);
    const testAccount = page.getByTestId('provider-test');
    await testAccount.getByRole('button', { name: 'Connect an account' }).click();
    const form = page.getByTestId('provider-test-form');
    await form.getByLabel('Provider').selectOption('testgateway');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    assert.match(await testAccount.getByTestId('provider-test-test').innerText(), /Not tested yet/);
    await testAccount.getByRole('button', { name: 'Test connection' }).click();
    await testAccount.getByTestId('provider-test-test').getByText('The credentials work.').waitFor();
    const saved = (await api('GET', '/provider-accounts/test')).json;
    assert.equal(saved.last_test.ok, true);
  });
});
