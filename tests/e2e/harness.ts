import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type Browser, chromium } from 'playwright-core'
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

/** Builds the app as `npm start` does, so the browser sees the production bundle. */
export function buildApp(): void {
  const r = spawnSync('npx', ['remix', 'vite:build'], { stdio: 'pipe', encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`)
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
