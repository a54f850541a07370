import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { inject } from 'vitest'
import { parseEnv } from '#app/env.server.ts'
import { type Runtime, startRuntime } from '#app/runtime.server.ts'
import { seedDemo } from '#db/seed.server.ts'
import { silentLogger } from '#jobs/logger.ts'
import { deletePrefix } from '#tests/helpers/jobs.ts'
import {
  createTestDatabase,
  TEST_REDIS_URL,
  type TestDatabase,
  uniquePrefix,
} from '#tests/helpers/test-db.ts'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Builds the app as `npm start` does, so the browser sees the production
 * bundle: once per test run however many browser test files run in parallel
 * (a lock directory serialises them, a stamp names the run that built).
 */
export async function buildApp(): Promise<void> {
  const runId = inject('testRunId')
  const lock = path.resolve('build-e2e.lock')
  const stamp = path.resolve('build', '.test-run')
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (waited > 300_000) throw new Error(`gave up waiting for ${lock}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  try {
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === runId) return
    const r = spawnSync('npx', ['remix', 'vite:build'], { stdio: 'pipe', encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`)
    writeFileSync(stamp, runId)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

export interface TestApp {
  url: string
  db: TestDatabase
  runtime: Runtime
  stop: () => Promise<void>
}

/** The whole app (web + relay + workers) on a fresh PostgreSQL database with the demo data. */
export async function startTestApp(): Promise<TestApp> {
  const db = await createTestDatabase('e2e')
  await seedDemo(db.db)
  const prefix = uniquePrefix('e2e')
  const dataDir = mkdtempSync(path.join(tmpdir(), 'zhuqi-e2e-'))
  const env = parseEnv({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: prefix,
    SEED_DEMO: 'never',
    LOG_LEVEL: 'silent',
  })
  const runtime = await startRuntime({ env, web: true, worker: true, logger: silentLogger })
  return {
    url: runtime.url ?? '',
    db,
    runtime,
    stop: async () => {
      await runtime.stop()
      await deletePrefix(prefix)
      await db.drop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Playwright gives each launch a fresh temporary profile of its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
