import type { DbOrTrx } from '#db/client.server.ts'
import type { Transitioned } from '../registry.ts'

/**
 * Follow-up of an invitation's transition, in the same transaction: a decline
 * or a lapse proposes (and invites) the next best candidate for the item.
 */
export async function afterInvitationTransition(
  _db: DbOrTrx,
  _invitationId: number,
  _change: Transitioned,
  _now: Date,
): Promise<void> {
  // Filled in with the resource list commands.
}
