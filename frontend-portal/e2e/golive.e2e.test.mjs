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
    // The provider's fields are named in the portal's language, by their keys.
    await form.getByLabel('Provider').selectOption('stripe');
    await setLang('sr-Cyrl');
    await form.getByLabel('Тајни кључ (sk_live_… или sk_test_…)').waitFor();
    await form.getByLabel('Процесор').selectOption('exchange');
    for (const label of ['API корисничко име', 'Заједничка тајна', 'Јавни кључ за интеграцију']) await form.getByLabel(label).waitFor();
    await setLang('en');
    await form.getByLabel('Provider').selectOption('testgateway');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    // The confirmation follows a language switch made while it is shown.
    const toast = page.locator('.toasts').getByText('Saved.');
    await toast.waitFor();
    await setLang('sr-Cyrl');
    await page.locator('.toasts').getByText('Сачувано.').waitFor();
    assert.equal(await toast.count(), 0, 'no English toast on the Cyrillic screen');
    await setLang('en');
    assert.match(await testAccount.getByTestId('provider-test-test').innerText(), /Not tested yet/);
    await testAccount.getByRole('button', { name: 'Test connection' }).click();
    await testAccount.getByTestId('provider-test-test').getByText('The credentials work.').waitFor();
    const saved = (await api('GET', '/provider-accounts/test')).json;
    assert.equal(saved.last_test.ok, true);
  });

  test('each checklist step links to the Settings section where it is completed; the PIB to Serbia', async () => {
    // The input each step's values are entered in.
    const fieldOf = { profile: '#m-legal', pib: '#sr-pib', live_provider: '[data-testid="provider-live"]', terms: '#m-terms', notification_email: '#m-notify' };
    // Start from a blank profile, so every step but the provider shows its link.
    const keep = (await api('GET', '/merchant')).json;
    await api('PATCH', '/merchant', { legal_name: '', address: '', pib: '', terms: '', notification_email: '' });
    const steps = (await api('GET', '/go-live')).json.steps;
    assert.deepEqual(steps.map((s) => s.key).sort(), Object.keys(fieldOf).sort());
    for (const step of steps.filter((s) => !s.done)) {
      await page.goto(`${app.base}/portal/go-live`);
      const link = page.getByTestId(`golive-${step.key}`).getByRole('link', { name: /Complete it/ });
      const section = (await link.getAttribute('href')).split('#')[1];
      await link.click();
      await page.waitForURL(new RegExp(`/portal/settings#${section}$`));
      const field = page.locator(`section:has(#${section}) ${fieldOf[step.key]}`);
      await field.first().waitFor();
      await page
        .waitForFunction((id) => {
          const r = document.getElementById(id)?.getBoundingClientRect();
          // Within a pixel of the top counts: scrolling lands on whole pixels.
          return !!r && r.top > -1 && r.top < window.innerHeight;
        }, section, { timeout: 5000 })
        .catch(async (e) => {
          const where = await page.evaluate((id) => [document.getElementById(id)?.getBoundingClientRect().top, scrollY, document.documentElement.scrollHeight], section);
          throw new Error(`${step.key} → #${section} is not in view (top, scrollY, height ${where}): ${e.message}`);
        });
    }
    const pib = page.getByTestId('golive-pib');
    await page.goto(`${app.base}/portal/go-live`);
    assert.match(await pib.getByRole('link').getAttribute('href'), /\/portal\/settings#s-serbia$/);
    await api('PATCH', '/merchant', { legal_name: keep.legal_name ?? '', address: keep.address ?? '', pib: keep.pib ?? '', terms: keep.terms ?? '', notification_email: keep.notification_email ?? '' });
  });

  test('the test-mode band leads to the checklist while live payments are not ready', async () => {
    assert.equal((await api('GET', '/go-live')).json.ready, false);
    await page.goto(`${app.base}/portal/orders`);
    const band = page.getByTestId('test-band');
    const link = band.getByRole('link', { name: 'Go live' });
    await link.waitFor();
    for (const [lang, words] of [['sr-Latn', 'Pređite na prava plaćanja'], ['sr-Cyrl', 'Пређите на права плаћања']]) {
      await setLang(lang);
      await band.getByRole('link', { name: words }).waitFor();
    }
    await setLang('en');
    await everyLook('testband', band);
    await link.click();
    await page.waitForURL(/\/portal\/go-live$/);
    await page.getByRole('heading', { level: 1, name: 'Go live' }).waitFor();
    // On the checklist itself the band does not link to it again.
    assert.equal(await band.getByRole('link').count(), 0);
  });

  test('staff see the payment providers without any action to manage them', async () => {
    // In base 36, so that the address never holds a 13-digit run that passes the Luhn check (refused as a card number).
    const email = `staff-golive-${Date.now().toString(36)}@example.com`;
    const invited = await api('POST', '/users/invitations', { email, role: 'staff' });
    assert.equal(invited.status, 201, `invitation: ${invited.text}\n${app.logs.slice(-20).join('')}`);
    const token = invited.json.invitation_url.split('/').pop();
    const accepted = await fetch(`${app.base}/api/v1/auth/invitations/accept`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, password: 'staff-password-1' }),
    });
    assert.equal(accepted.status, 200);
    const context = await portal.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    try {
      const staff = await context.newPage();
      await staff.goto(`${app.base}/portal/login`);
      await staff.getByLabel('E-mail').fill(email);
      await staff.getByLabel('Password').fill('staff-password-1');
      await staff.getByRole('button', { name: 'Log in' }).click();
      await staff.waitForURL(/\/portal\/?$/);
      const calls = [];
      staff.on('request', (r) => r.url().includes('/provider-accounts/') && calls.push(`${r.method()} ${r.url()}`));
      await staff.goto(`${app.base}/portal/settings#s-providers`);
      const section = staff.getByTestId('providers-settings');
      await section.getByTestId('providers-owner-only').waitFor();
      for (const name of ['Connect an account', 'Test connection', 'Replace', 'Remove', 'Save']) {
        assert.equal(await section.getByRole('button', { name }).count(), 0, `staff see "${name}"`);
      }
      assert.deepEqual(calls, [], 'the portal does not ask for what staff may not see');
    } finally {
      await context.close();
    }
  });
});
