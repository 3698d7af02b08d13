// Budget check: the checkout's first load with the test gateway, i.e. every JS and CSS file that
// dist/index.html references (scripts, stylesheets, modulepreloads), as brotli (what the server
// sends every browser that accepts it: the build precompresses), must total ≤ 35 KB. The gzip
// figure (for clients without brotli) is printed beside it.
// One language dictionary (a chunk of its own, messages-*.js) is always fetched at start, so the
// largest of them counts too. Other lazy chunks (Stripe) are not part of the first load.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET = 35 * 1024;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const indexPath = join(dist, 'index.html');

if (!existsSync(indexPath)) {
  console.error('size-check: dist/index.html not found; run `npm run build` first');
  process.exit(1);
}

const html = readFileSync(indexPath, 'utf8');
const refs = new Set();
for (const m of html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"/g)) {
  const url = m[1];
  if (/\.(m?js|css)(\?|$)/.test(url)) refs.add(url);
}

const br = (file) =>
  brotliCompressSync(readFileSync(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
let gzipTotal = 0;
const gz = (file) => br(file);
const toFile = (url) => join(dist, url.replace(/^\/pay\//, '').replace(/^\.?\//, ''));

let total = 0;
const rows = [];
for (const url of refs) {
  const file = toFile(url);
  if (!existsSync(file)) {
    console.error(`size-check: ${url} is referenced by index.html but ${file} does not exist`);
    process.exit(1);
  }
  const size = gz(file);
  total += size;
  gzipTotal += gzip(file);
  rows.push([url, size]);
}

const kb = (n) => (n / 1024).toFixed(1) + ' KB';
for (const [url, size] of rows) console.log(`  ${kb(size).padStart(9)}  ${url}`);

const lazy = readdirSync(join(dist, 'assets'))
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => '/pay/assets/' + f)
  .filter((url) => !refs.has(url));
const dictionaries = lazy.filter((url) => /\/messages-[^/]+\.js$/.test(url));
const largestDictionary = Math.max(0, ...dictionaries.map((url) => gz(toFile(url))));
for (const url of lazy) {
  const note = dictionaries.includes(url) ? 'language, one fetched at start' : 'lazy, not in first load';
  console.log(`  ${kb(gz(toFile(url))).padStart(9)}  ${url} (${note})`);
}
total += largestDictionary;
gzipTotal += Math.max(0, ...dictionaries.map((url) => gzip(toFile(url))));

console.log(`checkout first load (test gateway): ${kb(total)} brotli JS+CSS (budget ${kb(BUDGET)}); ${kb(gzipTotal)} gzip`);
if (rows.length === 0) {
  console.error('size-check: index.html references no JS or CSS; is the build broken?');
  process.exit(1);
}
if (total > BUDGET) {
  console.error(`size-check: over budget by ${kb(total - BUDGET)}`);
  process.exit(1);
}
