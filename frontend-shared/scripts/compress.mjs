// Runs after `vite build` in each SPA: writes name.br (brotli, highest quality) and name.gz (gzip
// level 9) beside every text file in dist/, so the Go server sends them as they are to clients that
// accept them (Content-Encoding by Accept-Encoding, with Vary) and the plain file to the rest.
// Node's own zlib does both: no dependency. A compressed form that saves nothing is not written.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = process.argv[2];
if (!dist) {
  console.error('usage: node compress.mjs DIST');
  process.exit(1);
}
const TEXT = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.map']);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (TEXT.has(extname(name))) yield p;
  }
}

let plain = 0;
let br = 0;
let gz = 0;
for (const file of files(dist)) {
  const data = readFileSync(file);
  const b = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  const g = gzipSync(data, { level: 9 });
  plain += data.length;
  if (b.length < data.length) {
    writeFileSync(file + '.br', b);
    br += b.length;
  }
  if (g.length < data.length) {
    writeFileSync(file + '.gz', g);
    gz += g.length;
  }
}
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
console.log(`compressed ${dist}: ${kb(plain)} plain, ${kb(br)} brotli, ${kb(gz)} gzip`);
