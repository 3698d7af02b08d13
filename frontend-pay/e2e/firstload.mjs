// The checkout's first load as a payer on a slow phone network sees it: the real binary
// (SECURELINK_BIN) serves a fresh invoice, Chromium opens its link at 360×740 under network
// emulation (400 kbps down and up, 400 ms latency, cache off), and this prints one JSON line:
// the bytes on the wire until the network is idle (encoded, i.e. as compressed on the wire), the
// requests, and the milliseconds from navigation to the total being on screen. `make bench` runs
// it (scripts/bench) for the binary it measures and, with -firstload-before, for an older one.
// Run: SECURELINK_BIN=bin/securelink node frontend-pay/e2e/firstload.mjs [runs]
import { startApp } from './harness.mjs';

const runs = Number(process.argv[2] ?? 3);
const KBPS = 400;
const LATENCY_MS = 400;

const app = await startApp();
try {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = await app.api('POST', '/invoices', {
      customer: { name: 'Ana Anić', email: 'ana@example.com' },
      currency: 'RSD',
      lines: [
        { description: 'Torta', quantity: 1, unit_amount: 2500050, vat_rate: 20 },
        { description: 'Dostava', quantity: 1, unit_amount: 350000, vat_rate: 20 },
      ],
      description: 'Rođendanska torta',
      locale: 'sr-Latn',
    });
    if (r.status !== 201) throw new Error(`create invoice: ${r.status} ${r.text}`);
    const context = await app.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'sr-RS' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: LATENCY_MS,
      downloadThroughput: (KBPS * 1000) / 8,
      uploadThroughput: (KBPS * 1000) / 8,
    });
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (e) => {
      bytes += e.encodedDataLength;
      requests++;
    });
    const start = Date.now();
    await page.goto(r.json.link.url, { waitUntil: 'commit' });
    await page.waitForFunction(() => (document.querySelector('[data-testid="total"]')?.textContent ?? '').includes('RSD'), null, {
      timeout: 120_000,
      polling: 50,
    });
    const ms = Date.now() - start;
    await page.waitForLoadState('networkidle');
    samples.push({ bytes, requests, ms });
    await context.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    JSON.stringify({
      kbps: KBPS,
      latency_ms: LATENCY_MS,
      runs,
      bytes: median(samples.map((s) => s.bytes)),
      requests: median(samples.map((s) => s.requests)),
      total_on_screen_ms: median(samples.map((s) => s.ms)),
      samples,
    }),
  );
} finally {
  await app.stop();
}
