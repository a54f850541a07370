import { randomUUID } from 'node:crypto'
import { type JobsOptions, type Queue, UnrecoverableError } from 'bullmq'
import type { DbOrTrx } from '#db/client.server.ts'
import {
  type ClaimTable,
  claimForSending,
  deliveriesOfNotifications,
  deliveryToSend,
  insertDeliveries,
  markAttemptFailed,
  markOutcomeUnknown,
  markSent,
  type NewDelivery,
  recipientContacts,
} from '#db/queries/deliveries.ts'
import { DEFAULT_PREFERENCES, preferencesFor } from '#db/queries/notification-preferences.ts'
import type { WorkingDayCalendar } from '../calendar/working-days.ts'
import type { Logger } from '../logger.ts'
import {
  type Channels,
  type DeliveryChannel,
  PermanentSendError,
  type SendResult,
} from './channels.ts'
import { planDeliveries } from './plan.ts'
import { renderNotification } from './render.ts'

/*
 * Exactly once, as the user sees it
 * ---------------------------------
 * BullMQ runs a job at least once: a job may be duplicated (the notify job ran
 * twice, an admin retried, a stalled job was re-run) or its worker may die at
 * any point. Every e-mail or SMS therefore has a `delivery` row, unique per
 * (notification, channel), and is sent under a claim:
 *
 *   1. claim   UPDATE … SET status='sending', claim_token=<new uuid>, claimed_at=now
 *              WHERE id=… AND status='pending'          (one winner among duplicates)
 *   2. send    through the channel, with the row's idempotency key
 *   3. record  UPDATE … SET status='sent' WHERE id=… AND claim_token=<ours>
 *
 * A duplicate job that finds the row 'sent' does nothing; one that loses the
 * claim race, or finds a fresh claim, waits until the claim's lease is over
 * and looks again (by then it is normally 'sent').
 *
 * A row still 'sending' after its lease (default 5 minutes, far above the
 * transports' 30-second timeouts) means its worker died between steps 1 and 3,
 * and nobody can know whether the message left. The rule then depends on the
 * channel:
 *   - e-mail is sent again, with the same deterministic Message-ID derived from
 *     the idempotency key, so a second copy is recognisably the same message
 *     (clients and mailbox providers collapse or thread it);
 *   - SMS is not resent (a second text cannot be told apart); the row becomes
 *     'failed' with "outcome unknown" for an admin to retry from /admin/jobs.
 *
 * The remaining window, stated honestly: a worker that dies after the SMTP
 * server accepted the message but before step 3 committed makes the e-mail go
 * out twice (same Message-ID) and an SMS count as failed although it arrived.
 * That window is the time between the server's "250 OK" and one UPDATE.
 */

export const DELIVER_JOB = 'deliver'
export const DEFAULT_LEASE_MS = 5 * 60_000

/** Deliveries retry for about an hour and a half before they count as failed. */
export const DELIVER_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
}

export interface DeliveryDeps {
  db: DbOrTrx
  channels: Channels
  /** The 'deliver' queue (producer side). */
  queue: Queue
  /** Base of the links in messages, e.g. https://zhuqi.example.org */
  appUrl: string
  logger: Logger
  /** A fixed or shifted clock in tests. */
  now?: () => Date
  calendar?: WorkingDayCalendar
  /** How long a claim protects a send in progress; must exceed the longest send. */
  leaseMs?: number
  /** Attempts and backoff of deliver and digest jobs. */
  jobOptions?: JobsOptions
}

export function deliveryJobId(deliveryId: number): string {
  return `delivery-${deliveryId}`
}

function nowOf(deps: Pick<DeliveryDeps, 'now'>): Date {
  return deps.now ? deps.now() : new Date()
}

/** Adds the job for a row; the id derives from the row, so adding it again is a no-op. */
export async function enqueueSend(
  deps: Pick<DeliveryDeps, 'queue' | 'jobOptions' | 'now'>,
  items: { name: string; jobId: string; data: Record<string, unknown>; notBefore: Date }[],
): Promise<void> {
  if (items.length === 0) return
  const now = nowOf(deps).getTime()
  await deps.queue.addBulk(
    items.map((item) => ({
      name: item.name,
      data: item.data,
      opts: {
        ...DELIVER_JOB_OPTIONS,
        ...deps.jobOptions,
        jobId: item.jobId,
        delay: Math.max(0, item.notBefore.getTime() - now),
      },
    })),
  )
}

/**
 * After the inbox rows are written: plans each user's channels, records one
 * delivery row per channel (unique, so a re-run adds nothing) and queues the
 * pending ones. Re-running it for the same notifications only re-queues rows
 * still pending, under the same job ids.
 */
export async function scheduleDeliveries(
  deps: DeliveryDeps,
  notifications: { id: number; user_id: number; kind: string }[],
): Promise<number> {
  if (notifications.length === 0) return 0
  const userIds = [...new Set(notifications.map((n) => n.user_id))]
  const [contacts, prefs] = await Promise.all([
    recipientContacts(deps.db, userIds),
    preferencesFor(deps.db, userIds),
  ])
  const byId = new Map(contacts.map((c) => [c.id, c]))
  const now = nowOf(deps)
  const rows: NewDelivery[] = []
  for (const n of notifications) {
    const recipient = byId.get(n.user_id)
    if (!recipient) continue
    for (const planned of planDeliveries({
      kind: n.kind,
      recipient,
      prefs: prefs.get(n.user_id) ?? DEFAULT_PREFERENCES,
      channels: deps.channels,
      now,
      calendar: deps.calendar,
    })) {
      rows.push({ notificationId: n.id, userId: n.user_id, ...planned })
    }
  }
  const inserted = await insertDeliveries(deps.db, rows)
  const existing = await deliveriesOfNotifications(
    deps.db,
    notifications.map((n) => n.id),
  )
  await enqueueSend(
    deps,
    existing
      .filter((d) => d.status === 'pending')
      .map((d) => ({
        name: DELIVER_JOB,
        jobId: deliveryJobId(d.id),
        data: { deliveryId: d.id },
        notBefore: d.not_before,
      })),
  )
  return inserted
}

export type SendOutcome =
  | { outcome: 'sent'; messageId: string | null; resent: boolean }
  /** Nothing to do: already sent, folded into a digest, gone, or failed for good. */
  | { outcome: 'skipped'; status: string }
  /** Not yet: quiet hours, or another claim's lease still runs. Look again at `until`. */
  | { outcome: 'deferred'; until: Date; reason: 'not-before' | 'claimed' }
  /** A stale claim on a channel that cannot resend safely: marked failed. */
  | { outcome: 'gave-up' }

interface ClaimableRow {
  id: number
  status: string
  not_before: Date
  claim_token: string | null
  claimed_at: Date | null
}

/** Steps 1–3 above for one row of `table`. Throws when the send failed (BullMQ retries). */
export async function sendUnderClaim(
  deps: Pick<DeliveryDeps, 'db' | 'now' | 'leaseMs' | 'logger'>,
  table: ClaimTable,
  row: ClaimableRow,
  channel: Pick<DeliveryChannel, 'afterCrash'>,
  send: () => Promise<SendResult>,
  final: boolean,
): Promise<SendOutcome> {
  const now = nowOf(deps)
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS
  let takeOver: string | undefined
  if (row.status === 'sending') {
    const leaseEnds = new Date((row.claimed_at?.getTime() ?? 0) + leaseMs)
    if (leaseEnds > now) return { outcome: 'deferred', until: leaseEnds, reason: 'claimed' }
    if (channel.afterCrash === 'give-up' || !row.claim_token) {
      await markOutcomeUnknown(
        deps.db,
        table,
        row.id,
        row.claim_token ?? '',
        'outcome unknown: the worker stopped while sending; not resent automatically (retry from the jobs page)',
      )
      deps.logger.warn({ table, id: row.id }, 'stale send claim given up (outcome unknown)')
      return { outcome: 'gave-up' }
    }
    takeOver = row.claim_token
  } else if (row.status !== 'pending') {
    return { outcome: 'skipped', status: row.status }
  } else if (row.not_before > now) {
    return { outcome: 'deferred', until: row.not_before, reason: 'not-before' }
  }

  const token = randomUUID()
  if (!(await claimForSending(deps.db, table, row.id, token, now, takeOver))) {
    // Another job claimed it a moment ago: look again once its lease is over.
    return { outcome: 'deferred', until: new Date(now.getTime() + leaseMs), reason: 'claimed' }
  }
  if (takeOver) {
    deps.logger.warn({ table, id: row.id }, 'stale send claim taken over; sending again')
  }
  let result: SendResult
  try {
    result = await send()
  } catch (err) {
    const permanent = err instanceof PermanentSendError
    const message = err instanceof Error ? err.message : String(err)
    await markAttemptFailed(deps.db, table, row.id, token, message, permanent || final)
    throw permanent ? new UnrecoverableError(message) : err
  }
  const recorded = await markSent(deps.db, table, row.id, token, nowOf(deps), result.messageId)
  if (!recorded) {
    deps.logger.warn({ table, id: row.id }, 'send claim was taken over while sending')
  }
  return { outcome: 'sent', messageId: result.messageId, resent: takeOver !== undefined }
}

/** The 'deliver' job: one e-mail or SMS for one notification. */
export async function processDelivery(
  deps: DeliveryDeps,
  deliveryId: number,
  attempt: { final: boolean } = { final: false },
): Promise<SendOutcome> {
  const row = await deliveryToSend(deps.db, deliveryId)
  if (!row) return { outcome: 'skipped', status: 'gone' }
  const channel = deps.channels[row.channel]
  if (!channel) {
    if (row.status === 'pending') {
      await failWithoutChannel(deps, 'delivery', row.id, row.channel)
      throw new UnrecoverableError(`the ${row.channel} channel is not configured in this worker`)
    }
    return { outcome: 'skipped', status: row.status }
  }
  const recipient = { name: row.name, email: row.email, mobile: row.mobile, locale: row.locale }
  return sendUnderClaim(
    deps,
    'delivery',
    row,
    channel,
    () =>
      channel.send(
        recipient,
        renderNotification(
          { kind: row.kind, params: row.params, link: row.link },
          recipient,
          deps.appUrl,
        ),
        row.idempotency_key,
      ),
    attempt.final,
  )
}

/** A channel switched off after the row was planned: the row fails visibly instead of waiting. */
export async function failWithoutChannel(
  deps: Pick<DeliveryDeps, 'db' | 'now'>,
  table: ClaimTable,
  id: number,
  channel: string,
) {
  const token = randomUUID()
  if (await claimForSending(deps.db, table, id, token, nowOf(deps))) {
    await markAttemptFailed(
      deps.db,
      table,
      id,
      token,
      `the ${channel} channel is not configured`,
      true,
    )
  }
}
