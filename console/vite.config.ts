import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './build/precompress.js';

// Built into dist/console, served by the admin listener at /console (src/http/console-files.ts).
export default defineConfig(({ command }) => {
  // A build is always React's production build: Vite keeps a NODE_ENV already set, and vitest sets
  // `test` (its global setup rebuilds a stale dist/), which built the development runtime (jsx-dev,
  // 155 KB gzipped instead of 91) that `npm start` then served.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root: import.meta.dirname,
    base: '/console/',
    // gzip and brotli files beside the assets, served by Accept-Encoding (src/http/console-files.ts).
    plugins: [react(), precompress()],
    build: {
      outDir: '../dist/console',
      emptyOutDir: true,
      // The gateway's CSP allows no inline code: never inline assets as data: scripts.
      assetsInlineLimit: 0,
      // Reported by the browser test against the 250 KB (gzipped) budget for initial JavaScript.
      manifest: true,
      chunkSizeWarningLimit: 400,
    },
  };
});
