// Regenerates src/lib/api-types.ts from ../openapi.yaml (npm run gen) before a build.
// While the root openapi.yaml is not there yet, the checked-in types are used as they are.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync(new URL('../../openapi.yaml', import.meta.url))) {
  execSync('npm run gen', { stdio: 'inherit' });
} else {
  console.warn('openapi.yaml not found: building with the checked-in src/lib/api-types.ts');
}
