import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Redis } from 'ioredis'

/**
 * A redis-server of one test's own that can be killed and started again on the
 * same port, for outages the shared Redis must not see.
 */
export interface RedisServer {
  url: string
  port: number
  /** Its data directory (the append-only file lives here). */
  dir: string
  /** Kills the server at once with SIGKILL: no shutdown save, as in a crash. */
  kill: () => Promise<void>
  /** Starts it again on the same port and data directory; resolves once it answers. */
  start: () => Promise<void>
  /** Kills it and removes its data directory. */
  destroy: () => Promise<void>
}

/**
 * `appendOnly`: every write is appended and fsynced before the reply
 * (appendfsync always), so whatever a client was told is stored survives a kill.
 * Without it the server keeps nothing across a restart.
 */
export async function startRedisServer(options: { appendOnly: boolean }): Promise<RedisServer> {
  const port = await freePortOutsideEphemeralRange()
  const dir = mkdtempSync(path.join(tmpdir(), 'zhuqi-redis-'))
  const url = `redis://127.0.0.1:${port}`
  const args = [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.appendOnly ? 'yes' : 'no',
    '--appendfsync',
    'always',
  ]
  let child: ChildProcess | undefined

  async function start() {
    if (child && child.exitCode === null && child.signalCode === null) return
    const proc = spawn('redis-server', args, { stdio: 'ignore' })
    child = proc
    for (let i = 0; ; i++) {
      if (await answers(url)) return
      if (i > 100 || proc.exitCode !== null) {
        proc.kill('SIGKILL')
        throw new Error(`redis-server did not start on ${url} (exit code ${proc.exitCode})`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async function kill() {
    const proc = child
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve())
      proc.kill('SIGKILL')
    })
  }

  await start()
  return {
    url,
    port,
    dir,
    kill,
    start,
    destroy: async () => {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 200,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    // LOADING (replaying the append-only file) is an error reply: not ready yet.
    return (await redis.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    redis.disconnect()
  }
}

/**
 * A free port below Linux's ephemeral range (32768–60999): while the server is
 * down, the clients' reconnect attempts take their local ports from that range,
 * and one of them must not end up holding the port the server restarts on.
 */
async function freePortOutsideEphemeralRange(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    if (await isFree(port)) return port
  }
  throw new Error('no free port found for a private redis-server')
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}
