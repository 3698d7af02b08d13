// Runs before `vite build`: empties dist/ (keeping dist/.gitkeep, which go:embed needs in a fresh
// clone) and generates the typed API (src/lib/api-types.ts) from ../openapi.yaml.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

for (const name of existsSync(dist) ? readdirSync(dist) : []) {
  if (name !== '.gitkeep') rmSync(join(dist, name), { recursive: true, force: true });
}

const spec = join(root, '..', 'openapi.yaml');
const text = existsSync(spec) ? readFileSync(spec, 'utf8') : '';
if (!/^openapi:/m.test(text)) {
  console.error('prebuild: ../openapi.yaml is missing: the typed API client is generated from it');
  process.exit(1);
}
execFileSync('npm', ['run', '--silent', 'gen'], { cwd: root, stdio: 'inherit' });
