import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // onnxruntime-node sessions are heavy; forks keep native state isolated per file.
    pool: 'forks',
  },
});
