// The shell's tests alone: `npx vitest run --config electron/vitest.config.ts`. The root
// vitest.config.ts runs them with everything else once it includes 'electron/**/*.test.ts'.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['electron/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
