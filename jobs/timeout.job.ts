import type { Db } from '#db/client.server.ts'
import { findTimer, setTimerStatus } from '#db/queries/timers.ts'
import { lockWorkflowInstance } from '#db/queries/workflow.ts'
import { SYSTEM_ACTOR } from '#workflows/actor.ts'
import type { DeadlinePolicy } from '#workflows/deadlines.ts'
import { dispatchInTransaction } from '#workflows/dispatch.ts'
import type { TimeoutJob } from '#workflows/effects.ts'
import { TransitionNotAllowedError } from '#workflows/errors.ts'

export type TimeoutOutcome = 'delivered' | 'stale' | 'cancelled'

/**
 * Delivers a fired timer back through dispatch, in one transaction:
 * - a stage timer whose row was cancelled (its stage was left) or has already
 *   fired is dropped ('cancelled' / 'stale') without touching the workflow;
 * - a timer the machine refuses (its stage or stage entry is over, e.g. a
 *   job of an older machine version) is dropped as 'stale';
 * - otherwise the event is dispatched as the system and the row marked fired.
 */
export async function processTimeoutJob(
  db: Db,
  job: TimeoutJob,
  deadlines?: DeadlinePolicy,
  now: () => Date = () => new Date(),
): Promise<TimeoutOutcome> {
  const ref = { subjectType: job.subjectType, subjectId: job.subjectId }
  return db.transaction().execute(async (trx) => {
    // The workflow row first, as dispatch does, so the two never wait on each other.
    const workflow = await lockWorkflowInstance(trx, ref)
    const timer =
      workflow && job.timer
        ? await findTimer(trx, { workflowId: workflow.id, ...job.timer })
        : undefined
    if (timer?.status === 'cancelled') return 'cancelled'
    if (timer?.status === 'fired') return 'stale'
    const at = now()
    try {
      await dispatchInTransaction(
        trx,
        ref,
        { ...job.event, actor: SYSTEM_ACTOR },
        { deadlines, now: at },
      )
    } catch (err) {
      // Refused before anything was written: the transaction is still clean.
      if (!(err instanceof TransitionNotAllowedError)) throw err
      if (timer) await setTimerStatus(trx, timer.id, 'cancelled', at)
      return 'stale'
    }
    if (timer) await setTimerStatus(trx, timer.id, 'fired', at)
    return 'delivered'
  })
}
