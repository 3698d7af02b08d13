// Runs Redocly's linter (recommended ruleset) on openapi.yaml and fails on any error or warning:
// Redocly itself fails only on errors.
import { spawnSync } from 'node:child_process';

const args = ['redocly', 'lint', '../../openapi.yaml', '--config', 'redocly.yaml'];
const run = (extra) => spawnSync('npx', [...args, ...extra], { encoding: 'utf8' });

const json = run(['--format=json']);
let totals;
try {
  totals = JSON.parse(json.stdout).totals;
} catch {
  process.stderr.write(json.stdout + json.stderr);
  process.exit(1);
}
console.log(`redocly lint (recommended): ${totals.errors} errors, ${totals.warnings} warnings`);
if (totals.errors + totals.warnings > 0) {
  process.stdout.write(run(['--format=stylish']).stdout);
  process.exit(1);
}
