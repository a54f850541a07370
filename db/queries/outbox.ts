import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'

export interface OutboxInput {
  queue: string
  jobName: string
  payload: Record<string, unknown>
  runAt: Date
}

export async function insertOutbox(db: DbOrTrx, rows: OutboxInput[]) {
  if (rows.length === 0) return
  await db
    .insertInto('outbox')
    .values(
      rows.map((r) => ({
        queue: r.queue,
        job_name: r.jobName,
        payload: JSON.stringify(r.payload),
        run_at: r.runAt,
      })),
    )
    .execute()
}

/** Claims a batch of unrelayed rows; SKIP LOCKED lets several relays share the table. */
export function claimPendingOutbox(db: DbOrTrx, limit: number) {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('relayed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}

export function markOutboxRelayed(db: DbOrTrx, ids: number[], now: Date) {
  if (ids.length === 0) return Promise.resolve()
  return db.updateTable('outbox').set({ relayed_at: now }).where('id', 'in', ids).execute()
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
