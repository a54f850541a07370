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

export async function jobHarness(db: Db, label: string): Promise<JobHarness> {
  const prefix = uniquePrefix(label)
  const producer = createProducerConnection(TEST_REDIS_URL, silentLogger)
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
      const connection = createWorkerConnection(TEST_REDIS_URL, silentLogger)
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
      await deletePrefix(prefix)
    },
  }
}
