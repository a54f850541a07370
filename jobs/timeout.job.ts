import type { Db } from '#db/client.server.ts'
import { SYSTEM_ACTOR } from '#workflows/actor.ts'
import type { DeadlinePolicy } from '#workflows/deadlines.ts'
import { dispatch } from '#workflows/dispatch.ts'
import type { TimeoutJob } from '#workflows/effects.ts'
import { TransitionNotAllowedError } from '#workflows/errors.ts'

/**
 * Delivers a fired timer back through dispatch. A timer whose stage has been
 * left (or whose round is over) is refused by the machine and simply dropped.
 */
export async function processTimeoutJob(
  db: Db,
  job: TimeoutJob,
  deadlines?: DeadlinePolicy,
): Promise<'delivered' | 'stale'> {
  try {
    await dispatch(
      db,
      { subjectType: job.subjectType, subjectId: job.subjectId },
      { ...job.event, actor: SYSTEM_ACTOR },
      { deadlines },
    )
    return 'delivered'
  } catch (err) {
    if (err instanceof TransitionNotAllowedError) return 'stale'
    throw err
  }
}
