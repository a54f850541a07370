import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { connectPglite } from '#db/client.server.ts'
import { deletePrefix } from '#tests/helpers/jobs.ts'
import { TEST_REDIS_URL, uniquePrefix } from '#tests/helpers/test-db.ts'

const dataDir = mkdtempSync(path.join(tmpdir(), 'zhuqi-proc-'))
const prefix = uniquePrefix('proc')
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true })
  await deletePrefix(prefix)
})

interface Run {
  child: ChildProcess
  output: () => string
  waitFor: (text: string, timeoutMs?: number) => Promise<void>
  exit: Promise<number | null>
}

function runWorker(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (d) => {
    out += String(d)
  })
  child.stderr?.on('data', (d) => {
    out += String(d)
  })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    child,
    output: () => out,
    exit,
    waitFor: async (text, timeoutMs = 30_000) => {
      const start = Date.now()
      while (!out.includes(text)) {
        if (child.exitCode !== null) throw new Error(`exited early:\n${out}`)
        if (Date.now() - start > timeoutMs)
          throw new Error(`no "${text}" within ${timeoutMs} ms:\n${out}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
  }
}

describe('worker process on the embedded database', () => {
  const env = {
    DATA_DIR: dataDir,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'info',
  }

  it('migrates and seeds a new data dir, and stops cleanly on SIGTERM', async () => {
    const run = runWorker(env)
    await run.waitFor('worker ready')
    expect(run.output()).toContain('demo data seeded')
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    expect(run.output()).toContain('shutting down')
  }, 60_000)

  it('keeps the data across restarts and does not seed twice', async () => {
    const run = runWorker(env)
    await run.waitFor('worker ready')
    expect(run.output()).not.toContain('demo data seeded')
    run.child.kill('SIGINT')
    expect(await run.exit).toBe(0)
    const db = connectPglite(path.join(dataDir, 'pglite'))
    try {
      const lists = await db.db.selectFrom('needs_list').select('id').execute()
      expect(lists.length).toBeGreaterThan(0)
    } finally {
      await db.close()
    }
  }, 60_000)

  it('refuses to start in production without SESSION_SECRET, with a clear message', async () => {
    const run = runWorker({ ...env, NODE_ENV: 'production', SESSION_SECRET: '' })
    expect(await run.exit).toBe(1)
    expect(run.output()).toMatch(/SESSION_SECRET: production needs/)
  }, 60_000)
})
