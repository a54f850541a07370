import type { DbOrTrx } from '#db/client.server.ts'
import { SYSTEM_ACTOR } from '../actor.ts'
import { dispatchInTransaction } from '../dispatch.ts'
import type { Transitioned } from '../registry.ts'

/**
 * A case that has just closed is archived in the same transaction: the archive
 * time is stamped and the system moves the workflow on (ARCHIVE), so the audit
 * shows both the closing and the archiving.
 */
export async function afterNeedsListTransition(
  trx: DbOrTrx,
  id: number,
  change: Transitioned,
  now: Date,
): Promise<void> {
  if (change.state !== 'closed' || change.fromState === 'closed') return
  await trx
    .updateTable('needs_list')
    .set({ closed_at: now, archived_at: now })
    .where('id', '=', id)
    .execute()
  await dispatchInTransaction(
    trx,
    { subjectType: 'needs_list', subjectId: id },
    { type: 'ARCHIVE', actor: SYSTEM_ACTOR },
    { now },
  )
}
