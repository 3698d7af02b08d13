/// <reference types="vitest/config" />
import { writeFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The Go binary serves this build at /portal/ with hashed files under /portal/assets/.
export default defineConfig({
  base: '/portal/',
  plugins: [svelte(), keepGitkeep()],
  // Code both SPAs share (money, i18n core, API errors, idempotency keys) lives in frontend-shared/src.
  resolve: { alias: { '@shared': decodeURIComponent(new URL('../frontend-shared/src', import.meta.url).pathname) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Strict CSP: never inline assets as data: URLs in scripts or styles.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/pay': 'http://127.0.0.1:8080',
    },
    fs: { allow: ['..'] },
  },
  test: {
    // The shared folder's units run here, once.
    include: ['src/**/*.test.ts', '../frontend-shared/src/**/*.test.ts'],
    environment: 'node',
  },
});

// The go:embed directive in embed.go needs dist/ to hold a file even before a build, so put it back after emptying.
function keepGitkeep(): Plugin {
  return {
    name: 'securelink-keep-gitkeep',
    apply: 'build',
    closeBundle() {
      writeFileSync(new URL('./dist/.gitkeep', import.meta.url), '');
    },
  };
}
