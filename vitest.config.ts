import { defineConfig } from 'vitest/config';

// One `npm test` for everything: the engine and CLI (Node), the Electron shell (Node, electron mocked)
// and the renderer (jsdom, its own config with the React plugin).
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
    ],
  },
});
