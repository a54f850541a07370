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
    // Fired before the event goes in: a breach that ends its stage (the case
    // closing at the feedback deadline, an invitation lapsing) cancels the
    // stage's pending timers, and this one must read as fired, not as left in time.
    if (timer) await setTimerStatus(trx, timer.id, 'fired', at)
    try {
      await dispatchInTransaction(
        trx,
        ref,
        { ...job.event, actor: SYSTEM_ACTOR },
        { deadlines, now: at },
      )
    } catch (err) {
      // Refused before the workflow was touched: only the timer row changed.
      if (!(err instanceof TransitionNotAllowedError)) throw err
      if (timer) await setTimerStatus(trx, timer.id, 'cancelled', at, 'fired')
      return 'stale'
    }
    return 'delivered'
  })
}
