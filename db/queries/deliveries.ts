import { type SqlBool, sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'
import type { DeliveryChannelName, DeliveryStatus } from '../schema.ts'

export interface RecipientContact {
  id: number
  name: string
  email: string
  mobile: string | null
  locale: string
}

export function recipientContacts(db: DbOrTrx, userIds: number[]): Promise<RecipientContact[]> {
  if (userIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('app_user')
    .select(['id', 'name', 'email', 'mobile', 'locale'])
    .where('id', 'in', userIds)
    .execute()
}

/** The notifications a notify job wrote (now or on an earlier run), by dedupe key. */
export function notificationsByDedupeKeys(db: DbOrTrx, keys: string[]) {
  if (keys.length === 0) return Promise.resolve([])
  return db
    .selectFrom('notification')
    .select(['id', 'user_id', 'kind'])
    .where('dedupe_key', 'in', keys)
    .orderBy('id')
    .execute()
}

export interface NewDelivery {
  notificationId: number
  userId: number
  channel: DeliveryChannelName
  status: Extract<DeliveryStatus, 'held' | 'pending'>
  notBefore: Date
}

export function deliveryKey(notificationId: number, channel: DeliveryChannelName): string {
  return `${notificationId}:${channel}`
}

/** Idempotent: (notification, channel) is unique, an existing row is left as it is. */
export async function insertDeliveries(db: DbOrTrx, rows: NewDelivery[]): Promise<number> {
  if (rows.length === 0) return 0
  const inserted = await db
    .insertInto('delivery')
    .values(
      rows.map((r) => ({
        notification_id: r.notificationId,
        user_id: r.userId,
        channel: r.channel,
        idempotency_key: deliveryKey(r.notificationId, r.channel),
        status: r.status,
        not_before: r.notBefore,
      })),
    )
    .onConflict((oc) => oc.columns(['notification_id', 'channel']).doNothing())
    .returning('id')
    .execute()
  return inserted.length
}

export function deliveriesOfNotifications(db: DbOrTrx, notificationIds: number[]) {
  if (notificationIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('delivery')
    .select(['id', 'notification_id', 'channel', 'status', 'not_before'])
    .where('notification_id', 'in', notificationIds)
    .orderBy('id')
    .execute()
}

/** A delivery with what it takes to render and address it. */
export function deliveryToSend(db: DbOrTrx, id: number) {
  return db
    .selectFrom('delivery as d')
    .innerJoin('notification as n', 'n.id', 'd.notification_id')
    .innerJoin('app_user as u', 'u.id', 'd.user_id')
    .select([
      'd.id',
      'd.channel',
      'd.status',
      'd.idempotency_key',
      'd.not_before',
      'd.attempts',
      'd.claim_token',
      'd.claimed_at',
      'n.kind',
      'n.params',
      'n.link',
      'n.created_at as notified_at',
      'u.id as user_id',
      'u.name',
      'u.email',
      'u.mobile',
      'u.locale',
    ])
    .where('d.id', '=', id)
    .executeTakeFirst()
}

/** Both send tables share the claim columns. */
export type ClaimTable = 'delivery' | 'digest'

/**
 * Takes a row for sending: pending → sending with a fresh token (a failed row is
 * only sent again after an admin reopens it). With `takeOver`, only a 'sending' row still holding that (stale) token.
 * Exactly one of several concurrent callers gets the row.
 */
export async function claimForSending(
  db: DbOrTrx,
  table: ClaimTable,
  id: number,
  token: string,
  now: Date,
  takeOver?: string,
): Promise<boolean> {
  let q = db
    .updateTable(table)
    .set({
      status: 'sending',
      claim_token: token,
      claimed_at: now,
      attempts: sql`attempts + 1`,
    })
    .where('id', '=', id)
  q = takeOver
    ? q.where('status', '=', 'sending').where('claim_token', '=', takeOver)
    : q.where('status', '=', 'pending')
  const rows = await q.returning('id').execute()
  return rows.length === 1
}

/** Marks the row sent if this claim still holds it; false when someone took it over. */
export async function markSent(
  db: DbOrTrx,
  table: ClaimTable,
  id: number,
  token: string,
  now: Date,
  messageId: string | null,
): Promise<boolean> {
  const rows = await db
    .updateTable(table)
    .set({ status: 'sent', sent_at: now, message_id: messageId, last_error: null })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .where('status', '=', 'sending')
    .returning('id')
    .execute()
  return rows.length === 1
}

/** A failed attempt: back to pending for BullMQ's next try, or failed for good. */
export async function markAttemptFailed(
  db: DbOrTrx,
  table: ClaimTable,
  id: number,
  token: string,
  error: string,
  final: boolean,
): Promise<void> {
  await db
    .updateTable(table)
    .set({
      status: final ? 'failed' : 'pending',
      claim_token: null,
      last_error: error.slice(0, 1000),
    })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .where('status', '=', 'sending')
    .execute()
}

/** Gives up on a claim whose worker vanished mid-send (at-most-once channels). */
export async function markOutcomeUnknown(
  db: DbOrTrx,
  table: ClaimTable,
  id: number,
  staleToken: string,
  error: string,
): Promise<boolean> {
  const rows = await db
    .updateTable(table)
    .set({ status: 'failed', claim_token: null, last_error: error })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('claim_token', '=', staleToken)
    .returning('id')
    .execute()
  return rows.length === 1
}

/** An admin's retry: a failed row, or one stuck in 'sending' since before `staleBefore`. */
export async function reopenForRetry(
  db: DbOrTrx,
  table: ClaimTable,
  id: number,
  staleBefore: Date,
): Promise<{ attempts: number } | undefined> {
  return db
    .updateTable(table)
    .set({ status: 'pending', claim_token: null })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'failed'),
        eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', staleBefore)]),
      ]),
    )
    .returning('attempts')
    .executeTakeFirst()
}

/** Undoes `reopenForRetry` when no job could be queued for the row. */
export async function markFailedAgain(db: DbOrTrx, table: ClaimTable, id: number): Promise<void> {
  await db
    .updateTable(table)
    .set({ status: 'failed' })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

// Digest

/** Users with deliveries waiting for their digest. */
export async function usersWithHeldDeliveries(db: DbOrTrx): Promise<number[]> {
  const rows = await db
    .selectFrom('delivery')
    .select('user_id')
    .distinct()
    .where('status', '=', 'held')
    .orderBy('user_id')
    .execute()
  return rows.map((r) => r.user_id)
}

/**
 * The user's digest for `date`, created with every held delivery attached, or
 * the one an earlier run made (unique per user and date). Run in a transaction.
 */
export async function createDigest(
  trx: DbOrTrx,
  input: { userId: number; date: string; notBefore: Date },
): Promise<{ id: number; created: boolean; status: string; notBefore: Date }> {
  const key = `digest:${input.userId}:${input.date}`
  const inserted = await trx
    .insertInto('digest')
    .values({
      user_id: input.userId,
      digest_date: input.date,
      idempotency_key: key,
      item_count: 0,
      not_before: input.notBefore,
    })
    .onConflict((oc) => oc.columns(['user_id', 'digest_date']).doNothing())
    .returning(['id', 'not_before'])
    .executeTakeFirst()
  if (!inserted) {
    const existing = await trx
      .selectFrom('digest')
      .select(['id', 'status', 'not_before'])
      .where('user_id', '=', input.userId)
      .where('digest_date', '=', input.date)
      .executeTakeFirstOrThrow()
    return {
      id: existing.id,
      created: false,
      status: existing.status,
      notBefore: existing.not_before,
    }
  }
  const attached = await trx
    .updateTable('delivery')
    .set({ status: 'digested', digest_id: inserted.id })
    .where('user_id', '=', input.userId)
    .where('status', '=', 'held')
    .returning('id')
    .execute()
  await trx
    .updateTable('digest')
    .set({ item_count: attached.length })
    .where('id', '=', inserted.id)
    .execute()
  return { id: inserted.id, created: true, status: 'pending', notBefore: inserted.not_before }
}

export function digestToSend(db: DbOrTrx, id: number) {
  return db
    .selectFrom('digest as g')
    .innerJoin('app_user as u', 'u.id', 'g.user_id')
    .select([
      'g.id',
      'g.status',
      'g.digest_date',
      'g.idempotency_key',
      'g.not_before',
      'g.claim_token',
      'g.claimed_at',
      'u.id as user_id',
      'u.name',
      'u.email',
      'u.locale',
    ])
    .where('g.id', '=', id)
    .executeTakeFirst()
}

export function digestItems(db: DbOrTrx, digestId: number) {
  return db
    .selectFrom('delivery as d')
    .innerJoin('notification as n', 'n.id', 'd.notification_id')
    .select(['n.id', 'n.kind', 'n.params', 'n.link', 'n.created_at'])
    .where('d.digest_id', '=', digestId)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute()
}

// Admin views

/** Whether the user in `userColumn` belongs somewhere in one of the org subtrees (by path). */
function userInSubtrees(userColumn: 'd.user_id' | 'g.user_id', orgPaths: string[]) {
  const prefixes = orgPaths.map((path) => `${path}%`)
  return sql<SqlBool>`exists (
    select 1 from membership m join union_org o on o.id = m.org_id
    where m.user_id = ${sql.ref(userColumn)} and o.path like any(${prefixes}::text[]))`
}

/** Whether a delivery or digest belongs to a user in one of the org subtrees. */
export async function sendInSubtrees(
  db: DbOrTrx,
  table: ClaimTable,
  id: number,
  orgPaths: string[],
): Promise<boolean> {
  const row =
    table === 'delivery'
      ? await db
          .selectFrom('delivery as d')
          .select('d.id')
          .where('d.id', '=', id)
          .where(userInSubtrees('d.user_id', orgPaths))
          .executeTakeFirst()
      : await db
          .selectFrom('digest as g')
          .select('g.id')
          .where('g.id', '=', id)
          .where(userInSubtrees('g.user_id', orgPaths))
          .executeTakeFirst()
  return row !== undefined
}

export function failedDeliveries(db: DbOrTrx, staleBefore: Date, orgPaths: string[], limit = 50) {
  return db
    .selectFrom('delivery as d')
    .innerJoin('notification as n', 'n.id', 'd.notification_id')
    .innerJoin('app_user as u', 'u.id', 'd.user_id')
    .select([
      'd.id',
      'd.channel',
      'd.status',
      'd.attempts',
      'd.last_error',
      'd.claimed_at',
      'd.created_at',
      'n.kind',
      'u.name as user_name',
    ])
    .where((eb) =>
      eb.or([
        eb('d.status', '=', 'failed'),
        eb.and([eb('d.status', '=', 'sending'), eb('d.claimed_at', '<', staleBefore)]),
      ]),
    )
    .where(userInSubtrees('d.user_id', orgPaths))
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute()
}

export function failedDigests(db: DbOrTrx, staleBefore: Date, orgPaths: string[], limit = 20) {
  return db
    .selectFrom('digest as g')
    .innerJoin('app_user as u', 'u.id', 'g.user_id')
    .select([
      'g.id',
      'g.status',
      'g.digest_date',
      'g.item_count',
      'g.attempts',
      'g.last_error',
      'g.created_at',
      'u.name as user_name',
    ])
    .where((eb) =>
      eb.or([
        eb('g.status', '=', 'failed'),
        eb.and([eb('g.status', '=', 'sending'), eb('g.claimed_at', '<', staleBefore)]),
      ]),
    )
    .where(userInSubtrees('g.user_id', orgPaths))
    .orderBy('g.id', 'desc')
    .limit(limit)
    .execute()
}

export async function deliveryCounts(db: DbOrTrx): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('delivery')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
}

/** The outbox rows not yet relayed: how many, and the oldest few with their last error. */
export async function outboxBacklog(db: DbOrTrx, limit = 10) {
  const [count, oldest] = await Promise.all([
    db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('relayed_at', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('outbox')
      .select(['id', 'queue', 'job_name', 'created_at', 'attempts', 'last_error'])
      .where('relayed_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute(),
  ])
  return { pending: Number(count.n), oldest }
}
