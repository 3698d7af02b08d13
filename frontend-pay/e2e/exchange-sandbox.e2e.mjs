// The AllSecure Exchange sandbox's payment.js in a real browser, on a page of another origin: the
// card number and security code are typed into the sandbox's frames and come back as a token the
// page never sees the digits of. Needs SECURELINK_BIN (the built binary) and Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = netServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startSandbox() {
  const bin = process.env.SECURELINK_BIN;
  if (!bin || !existsSync(bin)) throw new Error('set SECURELINK_BIN to the built binary');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logs = [];
  const proc = spawn(bin, ['exchange-sandbox', '--addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderr.on('data', (d) => logs.push(String(d)));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base + '/')).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 150) throw new Error('sandbox did not start:\n' + logs.join(''));
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, stop: () => proc.kill('SIGTERM') };
}

function shopPage(sandbox) {
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'unsafe-inline' ${sandbox}; frame-src ${sandbox}; connect-src 'self'">
<script src="${sandbox}/js/integrated/payment.1.3.min.js"></script></head>
<body><div id="number" style="height:40px;border:1px solid #888"></div><div id="cvv" style="height:40px;border:1px solid #888"></div>
<script>
  window.result = null;
  const p = new PaymentJs("1.2");
  p.init("sandbox-public-integration-key", "number", "cvv", function () { window.ready = true; });
  window.pay = function (holder) {
    return new Promise(function (resolve) {
      p.tokenize({ card_holder: holder, month: "12", year: String(new Date().getFullYear() + 2) },
        function (token, card) { resolve({ token: token, card: card }); },
        function (errors) { resolve({ errors: errors }); });
    });
  };
</script></body></html>`;
}

test('payment.js tokenises a card typed into the sandbox frames', async () => {
  const sandbox = await startSandbox();
  const port = await freePort();
  const shop = createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(shopPage(sandbox.base));
  });
  await new Promise((r) => shop.listen(port, '127.0.0.1', r));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => window.ready === true);
    const number = page.frameLocator('#number iframe').locator('input');
    const cvv = page.frameLocator('#cvv iframe').locator('input');

    // A wrong number is refused, named by field.
    await number.fill('4242 4242 4242 4241');
    await cvv.fill('123');
    const refused = await page.evaluate(() => window.pay('Ana Anić'));
    assert.equal(refused.token, undefined);
    assert.equal(refused.errors[0].attribute, 'number');

    await number.fill('4242 4242 4242 4242');
    const ok = await page.evaluate(() => window.pay('Ana Anić'));
    assert.match(ok.token, /^sbx_/);
    assert.equal(ok.card.last_four_digits, '4242');
    assert.equal(ok.card.card_type, 'visa');
    // The page's own document never held the digits.
    const html = await page.content();
    assert.ok(!html.includes('4242 4242'), 'card number leaked into the page');
  } finally {
    await browser.close();
    shop.close();
    sandbox.stop();
  }
});
