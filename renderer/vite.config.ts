// Studio renderer build: `npx vite build --config renderer/vite.config.ts` → out/renderer.
// base './' keeps asset URLs relative, so the same build loads from file:// (Electron) and http.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server's React refresh preamble is an inline script, which index.html's CSP forbids; relax
 * script-src for `vite serve` only. Builds keep the strict policy.
 */
const devCsp: Plugin = {
  name: 'fsam3d-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace("default-src 'self';", "default-src 'self'; script-src 'self' 'unsafe-inline';"),
};

export default defineConfig({
  root,
  base: './',
  plugins: [react(), devCsp],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: { host: '127.0.0.1' },
});
