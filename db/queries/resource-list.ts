import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'
import type { ProposalSource, ProposalStatus } from '../schema.ts'
import { escapeLike } from './orgs.ts'
import { orgIdsOfPath } from './sla.ts'

/** The resource list (资源清单): proposals, runs and the steward's pins and exclusions. */

export interface NewProposal {
  listId: number
  itemId: number
  expertId: number | null
  teamId: number | null
  runId: number | null
  score: number
  factors: unknown[]
  source: ProposalSource
}

/** Drafted proposals of these lists (or items) give way to a new run. */
export async function supersedeProposed(
  db: DbOrTrx,
  input: { listIds: number[]; itemIds?: number[]; now: Date },
): Promise<number> {
  if (input.listIds.length === 0) return 0
  const result = await db
    .updateTable('resource_proposal')
    .set({ status: 'superseded', updated_at: input.now })
    .where('needs_list_id', 'in', input.listIds)
    .$if(input.itemIds !== undefined, (q) =>
      q.where('confirmed_item_id', 'in', input.itemIds ?? []),
    )
    .where('status', '=', 'proposed')
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export function insertMatchingRun(
  db: DbOrTrx,
  input: {
    listId: number
    totalScore: number
    unfilled: unknown[]
    stats: Record<string, unknown>
    createdBy: number | null
    now: Date
  },
) {
  return db
    .insertInto('matching_run')
    .values({
      needs_list_id: input.listId,
      total_score: input.totalScore,
      unfilled: JSON.stringify(input.unfilled),
      stats: JSON.stringify(input.stats),
      created_by: input.createdBy,
      created_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export async function insertProposals(db: DbOrTrx, rows: NewProposal[], now: Date) {
  if (rows.length === 0) return []
  return db
    .insertInto('resource_proposal')
    .values(
      rows.map((r) => ({
        needs_list_id: r.listId,
        confirmed_item_id: r.itemId,
        expert_id: r.expertId,
        team_id: r.teamId,
        run_id: r.runId,
        score: r.score,
        factors: JSON.stringify(r.factors),
        source: r.source,
        status: 'proposed' as const,
        created_at: now,
        updated_at: now,
      })),
    )
    .returningAll()
    .execute()
}

/** Whether a replacement for this invitation was already proposed (idempotency). */
export async function replacementRunFor(db: DbOrTrx, listId: number, invitationId: number) {
  const row = await db
    .selectFrom('matching_run')
    .select('id')
    .where('needs_list_id', '=', listId)
    .where(sql<string>`stats->>'replacesInvitationId'`, '=', String(invitationId))
    .executeTakeFirst()
  return row?.id ?? null
}

/** Proposals of a list in these statuses, oldest first. */
export function proposalsOfList(db: DbOrTrx, listId: number, statuses: ProposalStatus[]) {
  return db
    .selectFrom('resource_proposal as p')
    .leftJoin('service_team as t', 't.id', 'p.team_id')
    .selectAll('p')
    .select(['t.leader_expert_id as leaderExpertId'])
    .where('p.needs_list_id', '=', listId)
    .where('p.status', 'in', statuses)
    .orderBy('p.confirmed_item_id')
    .orderBy('p.score', 'desc')
    .orderBy('p.id')
    .execute()
}

export function findProposal(db: DbOrTrx, id: number) {
  return db.selectFrom('resource_proposal').selectAll().where('id', '=', id).executeTakeFirst()
}

/** What the resource list page shows of every live proposal (not superseded), with its invitation. */
export function resourceRowsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('resource_proposal as p')
    .leftJoin('expert as x', 'x.id', 'p.expert_id')
    .leftJoin('service_team as t', 't.id', 'p.team_id')
    .leftJoin('expert as lx', 'lx.id', 't.leader_expert_id')
    .leftJoin('invitation as i', 'i.proposal_id', 'p.id')
    .select([
      'p.id',
      'p.confirmed_item_id as itemId',
      'p.expert_id as expertId',
      'p.team_id as teamId',
      'p.score',
      'p.factors',
      'p.source',
      'p.status',
      'p.run_id as runId',
      'p.created_at as createdAt',
      'x.name as expertName',
      'x.employer',
      'x.job_title as jobTitle',
      'x.mobile',
      't.name as teamName',
      'lx.name as leaderName',
      'lx.mobile as leaderMobile',
      'i.id as invitationId',
      'i.status as invitationStatus',
      'i.reason as invitationReason',
      'i.due_at as dueAt',
      'i.responded_at as respondedAt',
    ])
    .where('p.needs_list_id', '=', listId)
    .where('p.status', '!=', 'superseded')
    .orderBy('p.confirmed_item_id')
    .orderBy(
      sql`case p.status when 'accepted' then 0 when 'invited' then 1 when 'proposed' then 2 else 3 end`,
    )
    .orderBy('p.score', 'desc')
    .orderBy('p.id')
    .execute()
}

/** The list's matching runs, newest first. */
export function runsOf(db: DbOrTrx, listId: number, limit = 50) {
  return db
    .selectFrom('matching_run as r')
    .leftJoin('app_user as u', 'u.id', 'r.created_by')
    .select([
      'r.id',
      'r.total_score as totalScore',
      'r.unfilled',
      'r.stats',
      'r.created_at as createdAt',
      'u.name as createdByName',
    ])
    .where('r.needs_list_id', '=', listId)
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute()
}

export function constraintsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('match_constraint as c')
    .leftJoin('expert as x', 'x.id', 'c.expert_id')
    .leftJoin('service_team as t', 't.id', 'c.team_id')
    .leftJoin('app_user as u', 'u.id', 'c.created_by')
    .select([
      'c.id',
      'c.confirmed_item_id as itemId',
      'c.expert_id as expertId',
      'c.team_id as teamId',
      'c.kind',
      'c.reason',
      'c.created_at as createdAt',
      'x.name as expertName',
      't.name as teamName',
      'u.name as createdByName',
    ])
    .where('c.needs_list_id', '=', listId)
    .orderBy('c.id')
    .execute()
}

export function findConstraint(db: DbOrTrx, id: number) {
  return db.selectFrom('match_constraint').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Pins or excludes a candidate for an item; a pin replaces an exclusion and vice versa. */
export function upsertConstraint(
  db: DbOrTrx,
  input: {
    listId: number
    itemId: number
    expertId: number | null
    teamId: number | null
    kind: 'pin' | 'exclude'
    reason: string | null
    createdBy: number
    now: Date
  },
) {
  return db
    .insertInto('match_constraint')
    .values({
      needs_list_id: input.listId,
      confirmed_item_id: input.itemId,
      expert_id: input.expertId,
      team_id: input.teamId,
      kind: input.kind,
      reason: input.reason,
      created_by: input.createdBy,
      created_at: input.now,
    })
    .onConflict((oc) =>
      oc.constraint('match_constraint_once').doUpdateSet({
        kind: input.kind,
        reason: input.reason,
        created_by: input.createdBy,
        created_at: input.now,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function deleteConstraint(db: DbOrTrx, id: number) {
  await db.deleteFrom('match_constraint').where('id', '=', id).execute()
}

/** A confirmed item of a list, or undefined. */
export function findConfirmedItem(db: DbOrTrx, listId: number, itemId: number) {
  return db
    .selectFrom('confirmed_item')
    .selectAll()
    .select([
      sql<string | null>`to_char(window_start, 'YYYY-MM-DD')`.as('windowStart'),
      sql<string | null>`to_char(window_end, 'YYYY-MM-DD')`.as('windowEnd'),
    ])
    .where('needs_list_id', '=', listId)
    .where('id', '=', itemId)
    .executeTakeFirst()
}

/**
 * Active experts and teams that may serve a case of the org at `orgPath` (the
 * org or one of its ancestors manages them), found by name or mobile.
 */
export async function searchPool(
  db: DbOrTrx,
  input: { orgPath: string; query: string; limit: number },
) {
  const orgIds = orgIdsOfPath(input.orgPath)
  const q = input.query.trim()
  if (orgIds.length === 0 || q.length === 0) return []
  const like = `%${escapeLike(q)}%`
  const [experts, teams] = await Promise.all([
    db
      .selectFrom('expert')
      .select(['id', 'name', 'employer', 'job_title as jobTitle', 'mobile'])
      .where('status', '=', 'active')
      .where('org_id', 'in', orgIds)
      .where((eb) => eb.or([eb('name', 'ilike', like), eb('mobile', 'like', like)]))
      .orderBy('name')
      .orderBy('id')
      .limit(input.limit)
      .execute(),
    db
      .selectFrom('service_team as t')
      .innerJoin('expert as lx', 'lx.id', 't.leader_expert_id')
      .select(['t.id', 't.name', 'lx.name as leaderName'])
      .where('t.status', '=', 'active')
      .where('t.org_id', 'in', orgIds)
      .where((eb) => eb.or([eb('t.name', 'ilike', like), eb('lx.name', 'ilike', like)]))
      .orderBy('t.name')
      .orderBy('t.id')
      .limit(input.limit)
      .execute(),
  ])
  return [
    ...experts.map((x) => ({
      kind: 'expert' as const,
      id: x.id,
      name: x.name,
      detail: [x.employer, x.jobTitle].filter(Boolean).join(' · '),
      mobile: x.mobile,
    })),
    ...teams.map((t) => ({
      kind: 'team' as const,
      id: t.id,
      name: t.name,
      detail: t.leaderName,
      mobile: null,
    })),
  ]
}

/** Whether an active expert or team may serve a case of the org at `orgPath`. */
export async function candidateServes(
  db: DbOrTrx,
  kind: 'expert' | 'team',
  id: number,
  orgPath: string,
): Promise<boolean> {
  const orgIds = orgIdsOfPath(orgPath)
  if (orgIds.length === 0) return false
  const row =
    kind === 'expert'
      ? await db
          .selectFrom('expert')
          .select('id')
          .where('id', '=', id)
          .where('status', '=', 'active')
          .where('org_id', 'in', orgIds)
          .executeTakeFirst()
      : await db
          .selectFrom('service_team')
          .select('id')
          .where('id', '=', id)
          .where('status', '=', 'active')
          .where('org_id', 'in', orgIds)
          .executeTakeFirst()
  return row !== undefined
}

/** Lists waiting for matching in some org subtrees, with how many confirmed items each has. */
export function listsAwaitingMatching(db: DbOrTrx, orgPaths: string[], limit = 500) {
  if (orgPaths.length === 0) return Promise.resolve([])
  return db
    .selectFrom('needs_list as l')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .leftJoin('app_user as s', 's.id', 'l.steward_user_id')
    .select((eb) => [
      'l.id',
      'l.title',
      'l.status',
      'l.stage_entered_at as stageEnteredAt',
      'o.path as orgPath',
      'o.name as orgName',
      'e.name as enterpriseName',
      's.name as stewardName',
      eb
        .selectFrom('confirmed_item as c')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('c.needs_list_id', '=', 'l.id')
        .as('itemCount'),
      eb
        .selectFrom('confirmed_item as c')
        .select(sql<number>`coalesce(sum(c.headcount), 0)::int`.as('n'))
        .whereRef('c.needs_list_id', '=', 'l.id')
        .as('headcount'),
      eb
        .selectFrom('matching_run as r')
        .select('r.total_score')
        .whereRef('r.needs_list_id', '=', 'l.id')
        .orderBy('r.id', 'desc')
        .limit(1)
        .as('lastScore'),
      eb
        .selectFrom('resource_proposal as p')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('p.needs_list_id', '=', 'l.id')
        .where('p.status', 'in', ['proposed', 'invited', 'accepted'])
        .as('proposals'),
    ])
    .where((eb) => eb.or(orgPaths.map((p) => eb('o.path', 'like', `${escapeLike(p)}%`))))
    .where('l.status', 'in', ['ready_for_matching', 'matching'])
    .orderBy('l.stage_entered_at')
    .orderBy('l.id')
    .limit(limit)
    .execute()
}

/** Skill names for explanations. */
export function skillNames(db: DbOrTrx, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .selectFrom('skill')
    .select(['id', 'name_zh as nameZh', 'name_en as nameEn'])
    .where('id', 'in', ids)
    .execute()
}
