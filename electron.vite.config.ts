// electron-vite: main (+ the engine worker as its own entry for utilityProcess.fork), preload and the
// studio renderer, all into out/. `npm run build` = `electron-vite build`.
//
// - main and the worker are CommonJS (.cjs, because package.json says "type": "module"): Electron's
//   CommonJS loader reads app.asar and redirects native .node files to app.asar.unpacked, which the
//   ESM loader inside a utility process does not reliably do. Everything is bundled except the native
//   packages (onnxruntime-node, sharp), which are loaded from node_modules at run time.
// - the preload is CommonJS too: a sandboxed preload cannot be an ES module.
// - the renderer reuses renderer/vite.config.ts (root renderer/, React, out/renderer).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import rendererConfig from './renderer/vite.config.ts';

const root = import.meta.dirname;
/** Native packages stay outside the bundle (and are unpacked from app.asar by electron-builder). */
const NATIVE = ['onnxruntime-node', 'sharp', /^@img\//];
/** Electron 41 ships Node 24. */
const NODE_TARGET = 'node22';

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      target: NODE_TARGET,
      externalizeDeps: false,
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          'engine-worker': resolve(root, 'electron/main/engine-worker.ts'),
        },
        external: NATIVE,
        output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      target: NODE_TARGET,
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    root: resolve(root, 'renderer'),
    build: {
      ...rendererConfig.build,
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
