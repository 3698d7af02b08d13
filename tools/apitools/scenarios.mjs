// Runs the client scenarios against the real binary: starts `securelink serve` on a fresh SQLite
// database with a demo merchant, then drives it with the generated TypeScript SDK and the generated
// Go client (create an invoice, pay it through the test gateway, refund part of it, list with
// pagination). Run: SECURELINK_BIN=../../bin/securelink node scenarios.mjs (or `make clients`).
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = resolve(process.env.SECURELINK_BIN ?? '../../bin/securelink');
const clientsGo = resolve('../../clients/go');

async function freePort() {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

async function waitHealthy(base, proc, logs) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`securelink exited with ${proc.exitCode}:\n${logs.join('')}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`securelink did not become healthy:\n${logs.join('')}`);
}

/** Runs a scenario command with the server's URL and key, printing its steps. */
async function scenario(name, cmd, args, opts) {
  console.log(`\n# ${name}: ${cmd} ${args.join(' ')}`);
  const { stdout, stderr } = await run(cmd, args, { ...opts, maxBuffer: 1 << 20 });
  process.stdout.write(stdout);
  process.stderr.write(stderr);
}

const dir = await mkdtemp(join(tmpdir(), 'securelink-clients-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'clients.db')}`, SECURELINK_ADDR: `127.0.0.1:${port}`, SECURELINK_BASE_URL: base };
const logs = [];
let server;
let failed = false;
try {
  const demo = JSON.parse((await run(bin, ['demo', '--json'], { env })).stdout);
  server = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => logs.push(String(d)));
  server.stderr.on('data', (d) => logs.push(String(d)));
  await waitHealthy(base, server, logs);
  const scenarioEnv = { ...process.env, SECURELINK_URL: base, SECURELINK_KEY: demo.api_key };
  await scenario('TypeScript SDK (@hey-api/openapi-ts)', 'node', ['build/js/scenario/scenario.js'], { env: scenarioEnv });
  await scenario('Go client (oapi-codegen)', 'go', ['run', './cmd/scenario'], { env: scenarioEnv, cwd: clientsGo });
} catch (err) {
  failed = true;
  console.error(String(err.stdout ?? ''), String(err.stderr ?? ''), err.message);
  console.error(logs.join('').slice(-4000));
} finally {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
