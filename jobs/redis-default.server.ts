import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import type { Logger } from './logger.ts'
import { pingRedis } from './redis.server.ts'

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'

export interface ResolvedRedis {
  url: string
  /** Stops the private redis-server if this process started one. */
  stop: () => Promise<void>
}

/**
 * Local convenience: without REDIS_URL, use the standard local Redis; if none
 * answers, start a private one under dataDir; if that is impossible, keep the
 * default URL (connections retry) and say how to get one.
 */
export async function resolveRedis(options: {
  redisUrl: string | undefined
  dataDir: string
  logger: Logger
  /** Where to look first; the standard local port unless a test says otherwise. */
  defaultUrl?: string
  /** The redis-server binary; a test may name one that does not exist. */
  redisServer?: string
}): Promise<ResolvedRedis> {
  const noop = async () => {}
  const defaultUrl = options.defaultUrl ?? DEFAULT_REDIS_URL
  const binary = options.redisServer ?? 'redis-server'
  if (options.redisUrl) return { url: options.redisUrl, stop: noop }
  if (await pingRedis(defaultUrl)) return { url: defaultUrl, stop: noop }
  if (!hasRedisServer(binary)) {
    options.logger.warn(
      `No Redis at ${defaultUrl} and no redis-server on PATH: install one (apt-get install redis-server) or set REDIS_URL. Pages keep working; reminders wait in the outbox until Redis is reachable.`,
    )
    return { url: defaultUrl, stop: noop }
  }
  return startPrivateRedis(binary, path.join(options.dataDir, 'redis'), options.logger)
}

function hasRedisServer(binary: string): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0
}

async function startPrivateRedis(
  binary: string,
  dir: string,
  logger: Logger,
): Promise<ResolvedRedis> {
  mkdirSync(dir, { recursive: true })
  const port = await freePort()
  // Append-only so delayed reminders survive a restart of the app.
  const child = spawn(
    binary,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
    ],
    { stdio: 'ignore' },
  )
  const url = `redis://127.0.0.1:${port}`
  for (let i = 0; i < 50; i++) {
    if (await pingRedis(url, 200)) {
      logger.info({ url, dir }, 'started a private redis-server')
      return { url, stop: () => stopChild(child) }
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`redis-server did not answer on ${url}`)
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()))
    })
  })
}
