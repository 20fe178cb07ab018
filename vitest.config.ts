import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    // OCR tests start real tesseract workers; two cores here.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
