import { defineConfig } from 'vitest/config';

// One `npm test` for everything: the engine and CLI (Node), the Electron shell (Node, electron mocked),
// the renderer (jsdom, its own config with the React plugin) and, after those, the end-to-end tests
// (Chromium through browser mode, Blender, Electron where its binary exists; see e2e/README.md).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'engine',
          include: ['engine/**/*.test.ts', 'tests/**/*.test.ts', 'electron/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // onnxruntime-node sessions are heavy; forks keep native state isolated per file.
          pool: 'forks',
        },
      },
      'renderer/vitest.config.ts',
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['e2e/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          // One browser, one engine and Blender at a time: the files share the machine's few cores.
          fileParallelism: false,
          // Start once the unit tests are done, so timings-sensitive steps do not compete with them.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
