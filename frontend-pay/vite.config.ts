/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { srLatn } from './src/lib/messages-sr-latn.ts';
import { latinToCyrillic } from '../frontend-shared/src/translit.ts';

/**
 * Builds the Serbian Cyrillic dictionary as the transliterated Latin one, so a Cyrillic page
 * fetches its own texts only (in development and tests messages-sr-cyrl.ts transliterates at run time).
 */
function cyrillicDictionary(): Plugin {
  return {
    name: 'securelink-cyrillic-dictionary',
    apply: 'build',
    enforce: 'pre',
    load(id) {
      if (!id.replace(/\\/g, '/').endsWith('/src/lib/messages-sr-cyrl.ts')) return null;
      const dict = Object.fromEntries(Object.entries(srLatn).map(([key, text]) => [key, latinToCyrillic(text)]));
      return `export const srCyrl = ${JSON.stringify(dict)};`;
    },
  };
}

// The Go binary serves index.html for every /pay/* path and the hashed files under /pay/assets/.
export default defineConfig({
  base: '/pay/',
  plugins: [cyrillicDictionary(), svelte()],
  // Code both SPAs share (money, i18n core, API errors, idempotency keys) lives in frontend-shared/src.
  resolve: { alias: { '@shared': decodeURIComponent(new URL('../frontend-shared/src', import.meta.url).pathname) } },
  server: { fs: { allow: ['..'] } },
  build: {
    outDir: 'dist',
    // dist/.gitkeep must survive so `go build` works in a fresh clone.
    emptyOutDir: false,
    // Nothing inlined as data: URIs: the CSP allows only our own files.
    assetsInlineLimit: 0,
    // Only modern browsers; the polyfill would cost bytes on every load.
    modulePreload: { polyfill: false },
    target: 'es2022',
    cssCodeSplit: true,
    // The server reads .vite/manifest.json to preload the invoice's language with the page.
    manifest: true,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
