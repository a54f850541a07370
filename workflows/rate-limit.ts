import type { DbOrTrx } from '#db/client.server.ts'
import { countRecentEvents, recordEvent } from '#db/queries/rate-limits.ts'
import { DomainError } from './errors.ts'

export interface RateLimit {
  bucket: string
  limit: number
  windowMinutes: number
}

/** Self-registration creates an account and costs an argon2 hash: a few per address per hour. */
export const REGISTRATION_LIMIT: RateLimit = { bucket: 'register', limit: 5, windowMinutes: 60 }

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterMinutes: number) {
    super('rateLimited', `rate limited; retry in ${retryAfterMinutes} minutes`, {
      retryAfterMinutes,
    })
  }
}

/** Throws RateLimitedError when `key` has used up `limit` in the window. */
export async function requireUnderLimit(db: DbOrTrx, limit: RateLimit, key: string, now: Date) {
  const since = new Date(now.getTime() - limit.windowMinutes * 60_000)
  const used = await countRecentEvents(db, { bucket: limit.bucket, key, since })
  if (used >= limit.limit) throw new RateLimitedError(limit.windowMinutes)
}

/** Counts one use (inside the transaction of the action it limits). */
export function countUse(db: DbOrTrx, limit: RateLimit, key: string, now: Date) {
  return recordEvent(db, { bucket: limit.bucket, key, at: now })
}
