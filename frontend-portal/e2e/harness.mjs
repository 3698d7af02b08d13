// Starts the real securelink binary for end-to-end runs: a fresh SQLite database in a temporary
// folder, a free loopback port and a demo merchant (its login and API key from `securelink demo`).
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitHealthy } from './server.mjs';

const run = promisify(execFile);

/**
 * Serves the binary on a fresh database with a demo merchant. Returns the base URL, the demo's
 * credentials ({email, password, api_key}), the server's log lines and stop().
 */
export async function startSecurelink(bin, extraEnv = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'securelink-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`, SECURELINK_ADDR: `127.0.0.1:${port}`, SECURELINK_BASE_URL: base,
    // Live provider credentials are sealed with the operator's key; live invoices need them.
    SECURELINK_ENCRYPTION_KEY: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=', ...extraEnv };
  const logs = [];
  let server;
  const stop = async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const demo = JSON.parse((await run(bin, ['demo', '--json'], { env })).stdout);
    server = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout.on('data', (d) => logs.push(String(d)));
    server.stderr.on('data', (d) => logs.push(String(d)));
    await waitHealthy(base, server, logs);
    return { base, demo, logs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The real binary with the demo merchant logged in to the portal in Debian's Chromium (1280 px,
 * English), with the helpers most browser tests use: api() with the demo's key, axeCheck(),
 * noOverflow() and setLang(). close() ends the browser and the server.
 */
export async function openPortal(bin, extraEnv = {}) {
  const { readFile } = await import('node:fs/promises');
  const { createRequire } = await import('node:module');
  const { chromium } = await import('playwright-core');
  const assert = (await import('node:assert/strict')).default;
  const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core'), 'utf8');
  const app = await startSecurelink(bin, extraEnv);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => app.logs.push(`pageerror: ${e.message}\n`));
  await page.goto(`${app.base}/portal/login`);
  await page.getByLabel('E-mail').fill(app.demo.email);
  await page.getByLabel('Password').fill(app.demo.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/portal\/?$/);

  async function api(method, path, body) {
    const r = await fetch(`${app.base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${app.demo.api_key}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null, text };
  }
  async function axeCheck(name) {
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `axe violations on ${name}: ${JSON.stringify(bad)}`);
  }
  async function noOverflow(name) {
    const o = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(o <= 0, `${name} is ${o}px wider than the viewport`);
  }
  async function setLang(lang) {
    await page.locator('#lang').selectOption(lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }
  async function close() {
    await browser.close();
    await app.stop();
  }
  return { app, browser, context, page, api, axeCheck, noOverflow, setLang, close };
}
