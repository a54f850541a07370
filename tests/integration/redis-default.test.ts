import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { silentLogger } from '#jobs/logger.ts'
import { pingRedis } from '#jobs/redis.server.ts'
import { resolveRedis } from '#jobs/redis-default.server.ts'
import { TEST_REDIS_URL } from '#tests/helpers/test-db.ts'

const dataDir = mkdtempSync(path.join(tmpdir(), 'zhuqi-redis-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

// Nothing listens on port 1 of loopback.
const NOBODY = 'redis://127.0.0.1:1'

describe('Redis default', () => {
  it('uses REDIS_URL as given', async () => {
    const r = await resolveRedis({
      redisUrl: 'redis://10.0.0.1:6390',
      dataDir,
      logger: silentLogger,
    })
    expect(r.url).toBe('redis://10.0.0.1:6390')
  })

  it('uses the local Redis when it answers', async () => {
    const r = await resolveRedis({
      redisUrl: undefined,
      dataDir,
      logger: silentLogger,
      defaultUrl: TEST_REDIS_URL,
    })
    expect(r.url).toBe(TEST_REDIS_URL)
  })

  it('starts a private redis-server under the data dir when none answers, and stops it', async () => {
    const r = await resolveRedis({
      redisUrl: undefined,
      dataDir,
      logger: silentLogger,
      defaultUrl: NOBODY,
    })
    expect(r.url).not.toBe(NOBODY)
    expect(await pingRedis(r.url)).toBe(true)
    await r.stop()
    expect(await pingRedis(r.url)).toBe(false)
  })

  it('without redis-server says how to get one and keeps the default', async () => {
    const lines: string[] = []
    const logger = {
      ...silentLogger,
      warn: (msg: string) => lines.push(msg),
    } as unknown as typeof silentLogger
    const r = await resolveRedis({
      redisUrl: undefined,
      dataDir,
      logger,
      defaultUrl: NOBODY,
      redisServer: 'redis-server-that-is-not-installed',
    })
    expect(r.url).toBe(NOBODY)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/apt-get install redis-server.*REDIS_URL/)
  })
})
