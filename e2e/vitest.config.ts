import { defineConfig } from 'vitest/config';
import { ciReporters } from '../vitest.reporters';

// End-to-end tests: the built renderer in headless Chromium with the real handlers and real OCR.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ciReporters('e2e'),
  },
});
