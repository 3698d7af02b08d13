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
