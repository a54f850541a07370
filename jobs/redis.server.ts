import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from './logger.ts'

/**
 * Workers block on Redis, so their connection must never give up on a command
 * (BullMQ requires maxRetriesPerRequest: null there).
 */
export function createWorkerConnection(url: string, logger: Logger): Redis {
  return withErrorLog(new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false }), logger)
}

/** Producers fail fast when Redis is away: the outbox keeps the work until it returns. */
export function createProducerConnection(url: string, logger: Logger): Redis {
  const options: RedisOptions = { maxRetriesPerRequest: 1, enableOfflineQueue: false }
  return withErrorLog(new Redis(url, options), logger)
}

function withErrorLog(redis: Redis, logger: Logger): Redis {
  let lastLogged = 0
  redis.on('error', (err) => {
    // ioredis retries forever; one line per half minute is enough to explain the wait.
    const now = Date.now()
    if (now - lastLogged > 30_000) {
      lastLogged = now
      logger.warn({ err: err.message }, 'redis unavailable; effects wait in the outbox')
    }
  })
  return redis
}

export async function pingRedis(url: string, timeoutMs = 500): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    return (await redis.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    redis.disconnect()
  }
}
