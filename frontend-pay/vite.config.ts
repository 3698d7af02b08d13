/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The Go binary serves index.html for every /pay/* path and the hashed files under /pay/assets/.
export default defineConfig({
  base: '/pay/',
  plugins: [svelte()],
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
