import { defineConfig } from 'vitest/config';
import { ciReporters } from './vitest.reporters';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // OCR tests start real tesseract workers; two cores here.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ciReporters('unit'),
  },
});
