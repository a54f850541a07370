import { UnrecoverableError } from 'bullmq'
import type { Db } from '#db/client.server.ts'
import {
  createDigest,
  digestItems,
  digestToSend,
  usersWithHeldDeliveries,
} from '#db/queries/deliveries.ts'
import { DEFAULT_PREFERENCES, preferencesFor } from '#db/queries/notification-preferences.ts'
import { shanghaiDate, WorkingDayCalendar } from '../calendar/working-days.ts'
import {
  type DeliveryDeps,
  enqueueSend,
  failWithoutChannel,
  type SendOutcome,
  sendUnderClaim,
} from './deliver.job.ts'
import { nextAllowedMoment } from './quiet-hours.ts'
import { renderDigest } from './render.ts'

/** The scheduler that starts the daily digest run, and when (Asia/Shanghai). */
export const DIGEST_SCHEDULER_ID = 'daily-digest'
export const DIGEST_RUN_JOB = 'digest-run'
export const DIGEST_JOB = 'digest'
export const DIGEST_CRON = '30 8 * * *'
export const DIGEST_TZ = 'Asia/Shanghai'

export function digestJobId(digestId: number): string {
  return `digest-${digestId}`
}

const defaultCalendar = new WorkingDayCalendar()

export interface DigestRun {
  date: string
  /** False on non-working days: held messages wait for the next working day's run. */
  workingDay: boolean
  /** Digests this run created (a second run on the same day creates none). */
  created: number
  queued: number
}

/**
 * The daily run (08:30 on working days): one digest per user with held
 * deliveries, unique per user and Shanghai date, holding every held delivery
 * of that user; each digest is then sent by its own job. Running it twice on
 * one day creates nothing new and only re-queues the same job ids.
 */
export async function runDailyDigest(deps: DeliveryDeps & { db: Db }): Promise<DigestRun> {
  const now = deps.now ? deps.now() : new Date()
  const calendar = deps.calendar ?? defaultCalendar
  const date = shanghaiDate(now)
  if (!calendar.isWorkingDay(date)) return { date, workingDay: false, created: 0, queued: 0 }
  const userIds = await usersWithHeldDeliveries(deps.db)
  const prefs = await preferencesFor(deps.db, userIds)
  let created = 0
  const toQueue: Parameters<typeof enqueueSend>[1] = []
  for (const userId of userIds) {
    // The digest respects the user's own quiet hours too (e.g. quiet until 09:00).
    const notBefore = nextAllowedMoment(prefs.get(userId) ?? DEFAULT_PREFERENCES, now, calendar)
    const digest = await deps.db
      .transaction()
      .execute((trx) => createDigest(trx, { userId, date, notBefore }))
    if (digest.created) created++
    if (digest.status === 'pending') {
      toQueue.push({
        name: DIGEST_JOB,
        jobId: digestJobId(digest.id),
        data: { digestId: digest.id },
        notBefore: digest.notBefore,
      })
    }
  }
  await enqueueSend(deps, toQueue)
  return { date, workingDay: true, created, queued: toQueue.length }
}

/** The 'digest' job: one e-mail listing the digest's notifications. */
export async function processDigest(
  deps: DeliveryDeps,
  digestId: number,
  attempt: { final: boolean } = { final: false },
): Promise<SendOutcome> {
  const row = await digestToSend(deps.db, digestId)
  if (!row) return { outcome: 'skipped', status: 'gone' }
  const channel = deps.channels.email
  if (!channel) {
    if (row.status === 'pending') {
      await failWithoutChannel(deps, 'digest', row.id, 'email')
      throw new UnrecoverableError('the email channel is not configured in this worker')
    }
    return { outcome: 'skipped', status: row.status }
  }
  const recipient = { name: row.name, email: row.email, mobile: null, locale: row.locale }
  return sendUnderClaim(
    deps,
    'digest',
    row,
    channel,
    async () => {
      const items = await digestItems(deps.db, row.id)
      const message = renderDigest(
        items.map((i) => ({
          kind: i.kind,
          params: i.params,
          link: i.link,
          createdAt: i.created_at,
        })),
        recipient,
        deps.appUrl,
      )
      return channel.send(recipient, message, row.idempotency_key)
    },
    attempt.final,
  )
}
