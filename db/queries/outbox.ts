import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'

export interface OutboxInput {
  queue: string
  jobName: string
  payload: Record<string, unknown>
  runAt: Date
}

/** Inserts the rows; returns their ids in the order given. */
export async function insertOutbox(db: DbOrTrx, rows: OutboxInput[]): Promise<number[]> {
  if (rows.length === 0) return []
  const inserted = await db
    .insertInto('outbox')
    .values(
      rows.map((r) => ({
        queue: r.queue,
        job_name: r.jobName,
        payload: JSON.stringify(r.payload),
        run_at: r.runAt,
      })),
    )
    .returning('id')
    .execute()
  // Identity values are drawn row by row in VALUES order, so ascending ids match it.
  return inserted.map((r) => r.id).sort((a, b) => a - b)
}

/**
 * Claims a batch of unrelayed rows, oldest first; SKIP LOCKED lets several relays
 * share the table. Call it inside a transaction: the row locks and the planner
 * settings below last until its end.
 *
 * The planner is told to walk the partial index `outbox_pending` in id order and
 * stop after `limit` rows. With stale statistics, which is exactly the case after
 * a Redis outage left a backlog behind, it otherwise picks a bitmap scan that
 * reads and sorts every pending row for each batch, so draining n rows costs n².
 */
export async function claimPendingOutbox(db: DbOrTrx, limit: number) {
  await sql`select set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`.execute(
    db,
  )
  return (
    db
      .selectFrom('outbox')
      // Only what the relay uses: parsing 1,000s of rows per batch is a good part of its CPU.
      .select(['id', 'queue', 'job_name', 'payload', 'run_at'])
      .where('relayed_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute()
  )
}

export function markOutboxRelayed(db: DbOrTrx, ids: number[], now: Date) {
  if (ids.length === 0) return Promise.resolve()
  // One array parameter instead of one parameter per id (batches run to thousands).
  return db
    .updateTable('outbox')
    .set({ relayed_at: now })
    .where('id', '=', sql<number>`any(${sql.val(ids)}::bigint[])`)
    .execute()
}

export function markOutboxFailed(db: DbOrTrx, ids: number[], error: string) {
  if (ids.length === 0) return Promise.resolve()
  return db
    .updateTable('outbox')
    .set((eb) => ({ attempts: sql`${eb.ref('attempts')} + 1`, last_error: error.slice(0, 500) }))
    .where('id', 'in', ids)
    .execute()
}

export async function pendingOutboxCount(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('relayed_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
