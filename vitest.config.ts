import { defineConfig } from 'vitest/config'

// Kept apart from vite.config.ts so Vitest never loads the Remix plugin.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['tests/setup/global.ts'],
  },
})
