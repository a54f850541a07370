import { sql } from 'kysely'
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

/** A new invitation row for a proposal (its workflow is started by the command). */
export function insertInvitation(
  db: DbOrTrx,
  input: {
    proposalId: number
    listId: number
    itemId: number
    expertId: number
    teamId: number | null
    now: Date
  },
) {
  return db
    .insertInto('invitation')
    .values({
      proposal_id: input.proposalId,
      needs_list_id: input.listId,
      confirmed_item_id: input.itemId,
      expert_id: input.expertId,
      team_id: input.teamId,
      status: 'pending',
      created_at: input.now,
      updated_at: input.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The invitations of a list in these states (all when none are given), oldest first. */
export function invitationsOfList(db: DbOrTrx, listId: number, statuses?: string[]) {
  return db
    .selectFrom('invitation as i')
    .innerJoin('expert as x', 'x.id', 'i.expert_id')
    .leftJoin('service_team as t', 't.id', 'i.team_id')
    .innerJoin('confirmed_item as c', 'c.id', 'i.confirmed_item_id')
    .selectAll('i')
    .select([
      'x.name as expertName',
      'x.user_id as expertUserId',
      'x.employer',
      'x.job_title as jobTitle',
      't.name as teamName',
      'c.title as itemTitle',
      'c.position as itemPosition',
    ])
    .where('i.needs_list_id', '=', listId)
    .$if(statuses !== undefined, (q) =>
      q.where('i.status', 'in', statuses?.length ? statuses : ['']),
    )
    .orderBy('c.position')
    .orderBy('i.id')
    .execute()
}

/** The invitations addressed to the expert profile(s) a user signs in as, newest first. */
export function invitationsOfUser(db: DbOrTrx, userId: number, limit = 200) {
  return db
    .selectFrom('invitation as i')
    .innerJoin('expert as x', 'x.id', 'i.expert_id')
    .innerJoin('needs_list as l', 'l.id', 'i.needs_list_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('confirmed_item as c', 'c.id', 'i.confirmed_item_id')
    .leftJoin('service_team as t', 't.id', 'i.team_id')
    .select([
      'i.id',
      'i.status',
      'i.due_at as dueAt',
      'i.created_at as createdAt',
      'i.responded_at as respondedAt',
      'l.title as listTitle',
      'e.name as enterpriseName',
      'c.title as itemTitle',
      't.name as teamName',
    ])
    .where('x.user_id', '=', userId)
    .orderBy(sql`case i.status when 'pending' then 0 else 1 end`)
    .orderBy('i.id', 'desc')
    .limit(limit)
    .execute()
}

/** One invitation with what its invitee needs to decide: case, enterprise, item, proposal. */
export function invitationDetail(db: DbOrTrx, id: number) {
  return db
    .selectFrom('invitation as i')
    .innerJoin('expert as x', 'x.id', 'i.expert_id')
    .innerJoin('needs_list as l', 'l.id', 'i.needs_list_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('confirmed_item as c', 'c.id', 'i.confirmed_item_id')
    .innerJoin('resource_proposal as p', 'p.id', 'i.proposal_id')
    .leftJoin('service_team as t', 't.id', 'i.team_id')
    .leftJoin('app_user as s', 's.id', 'l.steward_user_id')
    .selectAll('i')
    .select([
      'x.name as expertName',
      'x.user_id as expertUserId',
      'l.title as listTitle',
      'l.status as listStatus',
      'l.steward_user_id as stewardUserId',
      'o.path as orgPath',
      'o.name as orgName',
      'e.name as enterpriseName',
      'e.district',
      'e.park',
      'e.address',
      'c.title as itemTitle',
      'c.category',
      'c.description',
      'c.headcount',
      'c.mode',
      'c.place',
      'c.expected_outcome as expectedOutcome',
      'c.skill_ids as skillIds',
      sql<string | null>`to_char(c.window_start, 'YYYY-MM-DD')`.as('windowStart'),
      sql<string | null>`to_char(c.window_end, 'YYYY-MM-DD')`.as('windowEnd'),
      'p.score',
      'p.factors',
      'p.source',
      't.name as teamName',
      's.name as stewardName',
      's.mobile as stewardMobile',
    ])
    .where('i.id', '=', id)
    .executeTakeFirst()
}
