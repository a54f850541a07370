import type { DbOrTrx } from '../client.server.ts'

/** What the resource list shows for each invitation state. */
const PROPOSAL_STATUS_OF: Record<
  string,
  'invited' | 'accepted' | 'declined' | 'lapsed' | 'withdrawn'
> = {
  pending: 'invited',
  accepted: 'accepted',
  declined: 'declined',
  lapsed: 'lapsed',
  withdrawn: 'withdrawn',
}

/** Mirrors an invitation workflow's state onto its row and its resource-list proposal. */
export async function setInvitationStatus(
  db: DbOrTrx,
  id: number,
  input: {
    status: string
    changed: boolean
    reason: string | null
    /** The answer deadline; undefined leaves it as it is. */
    dueAt?: Date | null
    now: Date
  },
) {
  const row = await db
    .updateTable('invitation')
    .set({
      status: input.status,
      reason: input.reason,
      updated_at: input.now,
      ...(input.dueAt === undefined ? {} : { due_at: input.dueAt }),
      ...(input.changed && input.status !== 'pending' ? { responded_at: input.now } : {}),
    })
    .where('id', '=', id)
    .returning('proposal_id')
    .executeTakeFirst()
  const proposalStatus = PROPOSAL_STATUS_OF[input.status]
  if (row && proposalStatus && input.changed) {
    await db
      .updateTable('resource_proposal')
      .set({ status: proposalStatus, updated_at: input.now })
      .where('id', '=', row.proposal_id)
      .execute()
  }
}

/** The invitation with its case's org and enterprise, for notifications and access checks. */
export function findInvitation(db: DbOrTrx, id: number) {
  return db
    .selectFrom('invitation as i')
    .innerJoin('needs_list as l', 'l.id', 'i.needs_list_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .innerJoin('confirmed_item as c', 'c.id', 'i.confirmed_item_id')
    .innerJoin('expert as x', 'x.id', 'i.expert_id')
    .selectAll('i')
    .select([
      'l.title as listTitle',
      'l.enterprise_id as enterpriseId',
      'l.steward_user_id as stewardUserId',
      'o.path as orgPath',
      'c.title as itemTitle',
      'x.name as expertName',
      'x.user_id as expertUserId',
    ])
    .where('i.id', '=', id)
    .executeTakeFirst()
}
