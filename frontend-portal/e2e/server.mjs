// What the browser tests share: a free loopback port and waiting for the started binary.
import { once } from 'node:events';
import { createServer } from 'node:net';

/** Asks the kernel for a free loopback port. */
export async function freePort() {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

export async function waitHealthy(base, proc, logs) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`securelink exited with ${proc.exitCode}:\n${logs.join('')}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`securelink did not become healthy:\n${logs.join('')}`);
}
