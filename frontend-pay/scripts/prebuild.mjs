// Runs before `vite build`: empties dist/ (keeping dist/.gitkeep, which go:embed needs in a fresh
// clone) and regenerates the typed API from ../openapi.yaml when that file exists. Without it the
// committed src/lib/api-types.ts is used as it is.
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
// A spec that is missing, being rewritten or without the checkout routes yet is not used.
if (/^openapi:/m.test(text) && text.includes('/checkout/{token}')) {
  execFileSync('npm', ['run', '--silent', 'gen'], { cwd: root, stdio: 'inherit' });
} else {
  console.log('prebuild: ../openapi.yaml missing or without the checkout routes; using the committed src/lib/api-types.ts');
}
