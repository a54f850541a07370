import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'
import { escapeLike } from './orgs.ts'

/**
 * What the case archive (办结归档) reads: the case and every record of it, in
 * few queries (one per table for all the visits), so the archive of a case
 * with many visits and photos costs the same handful of round trips.
 */

/** The case with its enterprise, org, people and how it closed. */
export function archiveHead(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('needs_list as l')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .innerJoin('app_user as c', 'c.id', 'l.created_by')
    .leftJoin('app_user as s', 's.id', 'l.steward_user_id')
    .leftJoin('workflow_instance as w', (j) =>
      j.onRef('w.subject_id', '=', 'l.id').on('w.subject_type', '=', 'needs_list'),
    )
    .select([
      'l.id',
      'l.title',
      'l.status',
      'l.created_at as createdAt',
      'l.submitted_at as submittedAt',
      'l.closed_at as closedAt',
      'l.archived_at as archivedAt',
      'l.steward_user_id as stewardUserId',
      'e.id as enterpriseId',
      'e.name as enterpriseName',
      'e.credit_code as creditCode',
      'e.address',
      'e.district',
      'e.park',
      'e.industry',
      'o.name as orgName',
      'o.path as orgPath',
      'c.name as createdByName',
      's.name as stewardName',
      'w.version',
      sql<string | null>`w.snapshot->'context'->>'closeKind'`.as('closeKind'),
      sql<number[] | null>`w.snapshot->'context'->'pairedUserIds'`.as('pairedUserIds'),
    ])
    .where('l.id', '=', listId)
    .executeTakeFirst()
}

/**
 * Whether a user takes part in a case as an expert: paired on it (in person
 * or as a member of a paired team), or on one of its visits' teams.
 */
export async function isExpertOnCase(db: DbOrTrx, listId: number, userId: number) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .or([
          eb.exists(
            eb
              .selectFrom('pairing as p')
              .innerJoin('expert as x', 'x.id', 'p.expert_id')
              .select('p.id')
              .where('p.needs_list_id', '=', listId)
              .where('x.user_id', '=', userId),
          ),
          eb.exists(
            eb
              .selectFrom('pairing as p')
              .innerJoin('service_team_member as m', 'm.team_id', 'p.team_id')
              .innerJoin('expert as x', 'x.id', 'm.expert_id')
              .select('p.id')
              .where('p.needs_list_id', '=', listId)
              .where('x.user_id', '=', userId),
          ),
          eb.exists(
            eb
              .selectFrom('visit_member as m')
              .innerJoin('visit as v', 'v.id', 'm.visit_id')
              .select('m.id')
              .where('v.needs_list_id', '=', listId)
              .where('m.user_id', '=', userId),
          ),
        ])
        .as('on'),
    ])
    .executeTakeFirst()
  return row?.on === true
}

export function categoryLabels(db: DbOrTrx, codes: readonly string[]) {
  if (codes.length === 0) return Promise.resolve([])
  return db
    .selectFrom('need_category')
    .select(['code', 'name_zh', 'name_en'])
    .where('code', 'in', [...new Set(codes)])
    .execute()
}

export function skillLabels(db: DbOrTrx, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .selectFrom('skill')
    .select(['id', 'name_zh', 'name_en'])
    .where('id', 'in', [...new Set(ids)])
    .execute()
}

/** Every proposal the resource list ever held (superseded ones too), with its candidate. */
export function proposalsForArchive(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('resource_proposal as p')
    .leftJoin('expert as x', 'x.id', 'p.expert_id')
    .leftJoin('service_team as t', 't.id', 'p.team_id')
    .leftJoin('expert as lx', 'lx.id', 't.leader_expert_id')
    .select([
      'p.id',
      'p.confirmed_item_id as itemId',
      'p.expert_id as expertId',
      'p.team_id as teamId',
      'p.run_id as runId',
      'p.score',
      'p.factors',
      'p.source',
      'p.status',
      'p.created_at as createdAt',
      'x.name as expertName',
      'x.employer',
      'x.job_title as jobTitle',
      't.name as teamName',
      'lx.name as leaderName',
    ])
    .where('p.needs_list_id', '=', listId)
    .orderBy('p.confirmed_item_id')
    .orderBy('p.id')
    .execute()
}

// ---------------------------------------------------------------------------
// Visits: one query per table for every visit of the case.

export function visitsForArchive(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('visit as v')
    .leftJoin('app_user as u', 'u.id', 'v.checked_in_by')
    .selectAll('v')
    .select('u.name as checkedInByName')
    .where('v.needs_list_id', '=', listId)
    .orderBy('v.sequence')
    .execute()
}

export function visitMembersForArchive(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('visit_member as m')
    .innerJoin('visit as v', 'v.id', 'm.visit_id')
    .selectAll('m')
    .where('v.needs_list_id', '=', listId)
    .orderBy('m.visit_id')
    .orderBy('m.id')
    .execute()
}

export function plansForArchive(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('inspection_plan as p')
    .innerJoin('visit as v', 'v.id', 'p.visit_id')
    .leftJoin('app_user as u', 'u.id', 'p.created_by')
    .selectAll('p')
    .select('u.name as createdByName')
    .where('v.needs_list_id', '=', listId)
    .orderBy('p.visit_id')
    .orderBy('p.version')
    .execute()
}

export function planItemsForArchive(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('plan_item as i')
    .innerJoin('inspection_plan as p', 'p.id', 'i.plan_id')
    .innerJoin('visit as v', 'v.id', 'p.visit_id')
    .selectAll('i')
    .where('v.needs_list_id', '=', listId)
    .orderBy('i.plan_id')
    .orderBy('i.position')
    .execute()
}

export function recordsForArchive(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('visit_record as r')
    .innerJoin('visit as v', 'v.id', 'r.visit_id')
    .leftJoin('app_user as u', 'u.id', 'r.recorded_by')
    .selectAll('r')
    .select('u.name as recordedByName')
    .where('v.needs_list_id', '=', listId)
    .orderBy('r.visit_id')
    .orderBy('r.plan_item_id')
    .execute()
}

export function findingsForArchive(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('finding as f')
    .innerJoin('visit as v', 'v.id', 'f.visit_id')
    .leftJoin('app_user as u', 'u.id', 'f.created_by')
    .selectAll('f')
    .select('u.name as createdByName')
    .where('v.needs_list_id', '=', listId)
    .orderBy('f.visit_id')
    .orderBy('f.created_at')
    .orderBy('f.id')
    .execute()
}

export function photosForArchive(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('visit_photo as p')
    .innerJoin('visit as v', 'v.id', 'p.visit_id')
    .selectAll('p')
    .where('v.needs_list_id', '=', listId)
    .orderBy('v.sequence')
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute()
}

export function followUpsForArchive(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('follow_up_action as a')
    .innerJoin('visit as v', 'v.id', 'a.visit_id')
    .selectAll('a')
    .where('v.needs_list_id', '=', listId)
    .orderBy('a.visit_id')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute()
}

export function reportsForArchive(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('visit_report as r')
    .innerJoin('visit as v', 'v.id', 'r.visit_id')
    .leftJoin('app_user as u', 'u.id', 'r.submitted_by')
    .selectAll('r')
    .select('u.name as submittedByName')
    .where('v.needs_list_id', '=', listId)
    .orderBy('v.sequence')
    .execute()
}

/**
 * The audit trail of the case and of its invitations' and visits' own
 * workflows, in the order things happened.
 */
export function caseTimeline(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('workflow_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .select([
      'e.id',
      'e.subject_type',
      'e.subject_id',
      'e.event_type',
      'e.actor_role',
      'e.from_state',
      'e.to_state',
      'e.payload',
      'e.at',
      'u.name as actorName',
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('e.subject_type', '=', 'needs_list'), eb('e.subject_id', '=', listId)]),
        eb.and([
          eb('e.subject_type', '=', 'invitation'),
          eb(
            'e.subject_id',
            'in',
            eb.selectFrom('invitation').select('id').where('needs_list_id', '=', listId),
          ),
        ]),
        eb.and([
          eb('e.subject_type', '=', 'visit'),
          eb(
            'e.subject_id',
            'in',
            eb.selectFrom('visit').select('id').where('needs_list_id', '=', listId),
          ),
        ]),
      ]),
    )
    .orderBy('e.at')
    .orderBy('e.id')
    .execute()
}

// ---------------------------------------------------------------------------
// The archived cases list.

export interface ArchivedCasesFilter {
  /** Org subtrees (paths) the reader watches as a union user. */
  orgPaths: readonly string[]
  /** Enterprises the reader is a contact of. */
  enterpriseIds: readonly number[]
  /** A user who sees the cases they took part in as an expert. */
  expertUserId: number | null
  /** Words in the title or the enterprise's name. */
  q: string
  /** Year archived (Beijing time), or null for any. */
  year: number | null
  limit: number
  offset: number
}

/** Archived cases the reader may see, newest first, with their rating and totals. */
export function archivedCases(db: DbOrTrx, f: ArchivedCasesFilter) {
  const pattern = `%${escapeLike(f.q)}%`
  return db
    .selectFrom('needs_list as l')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .leftJoin('app_user as s', 's.id', 'l.steward_user_id')
    .leftJoin('service_rating as r', 'r.needs_list_id', 'l.id')
    .leftJoin('workflow_instance as w', (j) =>
      j.onRef('w.subject_id', '=', 'l.id').on('w.subject_type', '=', 'needs_list'),
    )
    .select((eb) => [
      'l.id',
      'l.title',
      'l.status',
      'l.closed_at as closedAt',
      'l.archived_at as archivedAt',
      'e.name as enterpriseName',
      'o.name as orgName',
      's.name as stewardName',
      'r.average',
      sql<string | null>`w.snapshot->'context'->>'closeKind'`.as('closeKind'),
      eb
        .selectFrom('confirmed_item as c')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('c.needs_list_id', '=', 'l.id')
        .as('items'),
      eb
        .selectFrom('item_outcome as io')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('io.needs_list_id', '=', 'l.id')
        .where('io.result', '=', 'solved')
        .as('solved'),
      sql<number>`count(*) over ()`.as('total'),
    ])
    .where('l.archived_at', 'is not', null)
    .where((eb) => {
      const who = [
        ...f.orgPaths.map((p) => eb('o.path', 'like', `${escapeLike(p)}%`)),
        ...(f.enterpriseIds.length > 0 ? [eb('l.enterprise_id', 'in', [...f.enterpriseIds])] : []),
      ]
      if (f.expertUserId !== null) {
        const user = f.expertUserId
        who.push(
          eb.exists(
            eb
              .selectFrom('pairing as p')
              .innerJoin('expert as x', 'x.id', 'p.expert_id')
              .select('p.id')
              .whereRef('p.needs_list_id', '=', 'l.id')
              .where('x.user_id', '=', user),
          ),
          eb.exists(
            eb
              .selectFrom('pairing as p')
              .innerJoin('service_team_member as m', 'm.team_id', 'p.team_id')
              .innerJoin('expert as x', 'x.id', 'm.expert_id')
              .select('p.id')
              .whereRef('p.needs_list_id', '=', 'l.id')
              .where('x.user_id', '=', user),
          ),
          eb.exists(
            eb
              .selectFrom('visit_member as m')
              .innerJoin('visit as v', 'v.id', 'm.visit_id')
              .select('m.id')
              .whereRef('v.needs_list_id', '=', 'l.id')
              .where('m.user_id', '=', user),
          ),
        )
      }
      return who.length > 0 ? eb.or(who) : eb.val(false)
    })
    .$if(f.q !== '', (q) =>
      q.where((eb) => eb.or([eb('l.title', 'ilike', pattern), eb('e.name', 'ilike', pattern)])),
    )
    .$if(f.year !== null, (q) =>
      q.where(
        sql<number>`extract(year from l.archived_at at time zone 'Asia/Shanghai')::int`,
        '=',
        f.year ?? 0,
      ),
    )
    .orderBy('l.archived_at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute()
}
