// Starts the real securelink binary (SECURELINK_BIN) on a free loopback port with its own SQLite
// file, seeds a demo merchant through `securelink demo --json`, and drives Debian's Chromium
// through playwright-core. Nothing is built or downloaded here.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const ARTIFACTS = join(here, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The last line of output that parses as a JSON object. */
function lastJSON(text) {
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      const v = JSON.parse(line);
      if (v && typeof v === 'object') return v;
    } catch {
      // not JSON
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Starts the product; extraEnv overrides its environment (PSP=exchange and its EXCHANGE_… values, SMTP_URL). */
export async function startApp(extraEnv = {}) {
  const bin = process.env.SECURELINK_BIN;
  if (!bin || !existsSync(bin)) {
    throw new Error('set SECURELINK_BIN to the built binary (cd .. && go build -o /tmp/securelink ./api/cmd/securelink)');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  const dir = mkdtempSync(join(tmpdir(), 'securelink-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`,
    SECURELINK_ADDR: `127.0.0.1:${port}`,
    SECURELINK_BASE_URL: base,
    PSP: 'testgateway',
    // Live provider credentials are sealed with the operator's key; live invoices need them.
    SECURELINK_ENCRYPTION_KEY: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=',
  };
  // The machine's own SMTP server never serves a test; a test that wants e-mails to leave passes
  // its own SMTP_URL (a server it started) in extraEnv.
  delete env.SMTP_URL;
  Object.assign(env, extraEnv);

  // Seed before serving, so the two never write the fresh database at once.
  let seed;
  try {
    const { stdout } = await promisify(execFile)(bin, ['demo', '--json'], { env, timeout: 60_000 });
    seed = lastJSON(stdout);
  } catch (err) {
    throw new Error(`\`securelink demo --json\` failed (the e2e needs it to print {"api_key":"sk_test_…"}): ${err.message}`);
  }
  if (!seed?.api_key) throw new Error('`securelink demo --json` printed no api_key');

  const logs = [];
  const proc = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => logs.push(String(d)));
  proc.stderr.on('data', (d) => logs.push(String(d)));
  const exited = new Promise((resolve) => proc.on('exit', resolve));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`securelink exited early:\n${logs.join('')}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`securelink did not become healthy:\n${logs.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });

  async function api(method, path, body, headers = {}) {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${seed.api_key}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': `e2e-${Math.random().toString(36).slice(2)}`,
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: r.status, json, text, headers: r.headers };
  }

  return {
    base,
    seed,
    browser,
    api,
    logs,
    async stop() {
      await browser.close().catch(() => {});
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousViolations(page) {
  // page.addScriptTag({ path }) injects an inline <script>, which the checkout's CSP
  // (script-src 'self') rightly refuses; evaluating through DevTools is not subject to the CSP.
  await page.evaluate(readFileSync(require.resolve('axe-core'), 'utf8'));
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
