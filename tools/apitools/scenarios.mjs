// Runs the client scenarios against the real binary: starts `securelink serve` on a fresh SQLite
// database with a demo merchant, then drives it with the generated TypeScript SDK and the generated
// Go client (create an invoice, pay it through the test gateway, refund part of it, list with
// pagination). Run: SECURELINK_BIN=../../bin/securelink node scenarios.mjs (or `make clients`).
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startSecurelink } from '../../frontend-portal/e2e/harness.mjs';

const run = promisify(execFile);
const bin = resolve(process.env.SECURELINK_BIN ?? '../../bin/securelink');
const clientsGo = resolve('../../clients/go');

/** Runs a scenario command with the server's URL and key, printing its steps. */
async function scenario(name, cmd, args, opts) {
  console.log(`\n# ${name}: ${cmd} ${args.join(' ')}`);
  const { stdout, stderr } = await run(cmd, args, { ...opts, maxBuffer: 1 << 20 });
  process.stdout.write(stdout);
  process.stderr.write(stderr);
}

let app;
let failed = false;
try {
  app = await startSecurelink(bin);
  const scenarioEnv = { ...process.env, SECURELINK_URL: app.base, SECURELINK_KEY: app.demo.api_key };
  await scenario('TypeScript SDK (@hey-api/openapi-ts)', 'node', ['build/js/scenario/scenario.js'], { env: scenarioEnv });
  await scenario('Go client (oapi-codegen)', 'go', ['run', './cmd/scenario'], { env: scenarioEnv, cwd: clientsGo });
} catch (err) {
  failed = true;
  console.error(String(err.stdout ?? ''), String(err.stderr ?? ''), err.message);
  console.error((app?.logs ?? []).join('').slice(-4000));
} finally {
  await app?.stop();
}
process.exit(failed ? 1 : 0);
