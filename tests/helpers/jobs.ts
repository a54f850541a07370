import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import type { Db } from '#db/client.server.ts'
import { silentLogger } from '#jobs/logger.ts'
import { type OutboxRelay, startOutboxRelay } from '#jobs/outbox-relay.server.ts'
import { closeQueues, createQueues, type Queues } from '#jobs/queues.server.ts'
import { createProducerConnection, createWorkerConnection } from '#jobs/redis.server.ts'
import { startWorkers, type Workers } from '#jobs/workers.server.ts'
import type { DeadlinePolicy } from '#workflows/deadlines.ts'
import { TEST_REDIS_URL, uniquePrefix } from './test-db.ts'

/** Resolves once the connection is ready (or rejects after `timeoutMs`). */
export function whenReady(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady)
      reject(new Error(`redis not ready after ${timeoutMs} ms (status ${redis.status})`))
    }, timeoutMs)
    const onReady = () => {
      clearTimeout(timer)
      resolve()
    }
    redis.once('ready', onReady)
  })
}

/** Deletes every key under a BullMQ prefix (what obliterate may leave behind). */
export async function deletePrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
      cursor = next
      if (keys.length > 0) await redis.del(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}

export async function keysUnder(prefix: string, url = TEST_REDIS_URL): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    return await redis.keys(`${prefix}:*`)
  } finally {
    redis.disconnect()
  }
}

/**
 * A producer side (queues + hand-driven relay) and, on demand, workers, all under
 * a prefix of their own; `close` stops everything and removes the prefix's keys.
 */
export interface JobHarness {
  prefix: string
  producer: Redis
  queues: Queues
  relay: OutboxRelay
  startWorkers: (options?: { deadlines?: DeadlinePolicy }) => Workers
  close: () => Promise<void>
}

export async function jobHarness(
  db: Db,
  label: string,
  redisUrl = TEST_REDIS_URL,
): Promise<JobHarness> {
  const prefix = uniquePrefix(label)
  const producer = createProducerConnection(redisUrl, silentLogger)
  await whenReady(producer)
  const queues = createQueues(producer, prefix)
  const relay = startOutboxRelay({
    db,
    queues,
    connection: producer,
    logger: silentLogger,
    autoStart: false,
  })
  const workerConnections: Redis[] = []
  const started: Workers[] = []
  return {
    prefix,
    producer,
    queues,
    relay,
    startWorkers(options = {}) {
      const connection = createWorkerConnection(redisUrl, silentLogger)
      workerConnections.push(connection)
      const workers = startWorkers({
        db,
        connection,
        prefix,
        logger: silentLogger,
        deadlines: options.deadlines,
      })
      started.push(workers)
      return workers
    },
    async close() {
      await relay.stop()
      await Promise.all(started.map((w) => w.close()))
      await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true })))
      await closeQueues(queues)
      producer.disconnect()
      for (const c of workerConnections) c.disconnect()
      await deletePrefix(prefix, redisUrl)
    },
  }
}

export interface PrivateRedis {
  url: string
  /** A plain client for poking the server (CONFIG SET and the like). */
  admin: Redis
  stop: () => Promise<void>
}

/**
 * A throw-away redis-server of this test's own on a free port, for failures that
 * must not touch the shared Redis other test files use.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort()
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  )
  const url = `redis://127.0.0.1:${port}`
  const admin = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true })
  admin.on('error', () => {})
  for (let i = 0; ; i++) {
    try {
      await admin.connect()
      break
    } catch (err) {
      if (i > 50 || child.exitCode !== null) {
        child.kill('SIGKILL')
        throw new Error(`private redis-server did not start on ${url}: ${String(err)}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return {
    url,
    admin,
    stop: async () => {
      admin.disconnect()
      if (child.exitCode !== null) return
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()))
    })
  })
}
