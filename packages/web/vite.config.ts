import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web client (issue 6). `vite build` writes dist/, which the server serves
// at / (packages/server/src/http/web-assets.ts). `vite` (npm run dev -w
// @enclave/web) serves it with hot reload and forwards the API and the
// WebSocket to a server on ENCLAVE_DEV_API (default http://127.0.0.1:3000).
const api = process.env.ENCLAVE_DEV_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Inline nothing: the server's Content-Security-Policy allows scripts from 'self' only.
    assetsInlineLimit: 0,
    sourcemap: true,
    minify: process.env.ENCLAVE_WEB_DEBUG ? false : 'oxc',
    // The budget that matters is gzipped initial JS (≤ 250 KB), measured in bench/web.
    chunkSizeWarningLimit: 800,
  },
  worker: { format: 'es' },
  server: {
    // The WebSocket lives under /api too (WS_PATH), hence ws: true.
    proxy: { '/api': { target: api, ws: true } },
  },
});
