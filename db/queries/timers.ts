import type { DbOrTrx } from '../client.server.ts'
import type { TimerPhase, TimerStatus } from '../schema.ts'

export interface TimerInput {
  workflowId: number
  stage: string
  entry: number
  phase: TimerPhase
  dueAt: Date
  outboxId: number
}

export async function insertTimers(db: DbOrTrx, rows: TimerInput[]) {
  if (rows.length === 0) return
  await db
    .insertInto('workflow_timer')
    .values(
      rows.map((r) => ({
        workflow_id: r.workflowId,
        stage: r.stage,
        entry: r.entry,
        phase: r.phase,
        due_at: r.dueAt,
        outbox_id: r.outboxId,
      })),
    )
    // A redelivered schedule of the same stage entry and phase keeps the first.
    .onConflict((oc) => oc.columns(['workflow_id', 'stage', 'entry', 'phase']).doNothing())
    .execute()
}

/**
 * Cancels every pending timer of a workflow (its stage was left); returns the
 * outbox ids of their jobs, so the caller can have them removed from the queue.
 */
export async function cancelPendingTimers(
  db: DbOrTrx,
  workflowId: number,
  now: Date,
): Promise<number[]> {
  const rows = await db
    .updateTable('workflow_timer')
    .set({ status: 'cancelled', updated_at: now })
    .where('workflow_id', '=', workflowId)
    .where('status', '=', 'pending')
    .returning('outbox_id')
    .execute()
  return rows.map((r) => r.outbox_id).sort((a, b) => a - b)
}

export function findTimer(
  db: DbOrTrx,
  key: { workflowId: number; stage: string; entry: number; phase: TimerPhase },
) {
  return db
    .selectFrom('workflow_timer')
    .selectAll()
    .where('workflow_id', '=', key.workflowId)
    .where('stage', '=', key.stage)
    .where('entry', '=', key.entry)
    .where('phase', '=', key.phase)
    .executeTakeFirst()
}

/** Moves a timer on from `from` (pending unless said); a timer in another status stays. */
export function setTimerStatus(
  db: DbOrTrx,
  id: number,
  status: 'fired' | 'cancelled',
  now: Date,
  from: TimerStatus = 'pending',
) {
  return db
    .updateTable('workflow_timer')
    .set({ status, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', from)
    .execute()
}

/** A workflow's timers, oldest first (tests, support). */
export function timersOfWorkflow(db: DbOrTrx, workflowId: number) {
  return db
    .selectFrom('workflow_timer')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .orderBy('id')
    .execute()
}
