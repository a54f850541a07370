import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'
import type { VisitKind } from '../schema.ts'

/** Mirrors a visit workflow's state onto its row (same transaction as the transition). */
export function setVisitStatus(
  db: DbOrTrx,
  id: number,
  input: {
    status: string
    cancelReason: string | null
    counterStartsAt: string | null
    /** The current stage's deadline (report, report confirmation); undefined leaves it. */
    dueAt?: Date | null
    now: Date
  },
) {
  return db
    .updateTable('visit')
    .set({
      status: input.status,
      cancel_reason: input.cancelReason,
      counter_starts_at: input.counterStartsAt,
      updated_at: input.now,
      ...(input.dueAt === undefined ? {} : { due_at: input.dueAt }),
    })
    .where('id', '=', id)
    .execute()
}

/** The visit with its case's org, enterprise and title, for notifications and access checks. */
export function findVisit(db: DbOrTrx, id: number) {
  return db
    .selectFrom('visit as v')
    .innerJoin('needs_list as l', 'l.id', 'v.needs_list_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .selectAll('v')
    .select([
      'l.title as listTitle',
      'l.enterprise_id as enterpriseId',
      'l.steward_user_id as stewardUserId',
      'o.path as orgPath',
    ])
    .where('v.id', '=', id)
    .executeTakeFirst()
}

export interface VisitMemberInput {
  role: 'expert' | 'steward' | 'cadre' | 'other'
  userId: number | null
  expertId: number | null
  name: string
}

/** The next visit number within the case (call with the case's workflow row locked). */
export async function nextVisitSequence(db: DbOrTrx, listId: number): Promise<number> {
  const row = await db
    .selectFrom('visit')
    .select((eb) => eb.fn.max('sequence').as('max'))
    .where('needs_list_id', '=', listId)
    .executeTakeFirst()
  return Number(row?.max ?? 0) + 1
}

export async function insertVisit(
  db: DbOrTrx,
  input: {
    listId: number
    sequence: number
    kind: VisitKind
    startsAt: Date
    durationMinutes: number
    place: string
    createdBy: number
    now: Date
  },
): Promise<number> {
  const row = await db
    .insertInto('visit')
    .values({
      needs_list_id: input.listId,
      sequence: input.sequence,
      kind: input.kind,
      starts_at: input.startsAt,
      duration_minutes: input.durationMinutes,
      place: input.place,
      created_by: input.createdBy,
      created_at: input.now,
      updated_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Replaces the visit's team. */
export async function saveVisitMembers(
  db: DbOrTrx,
  visitId: number,
  members: readonly VisitMemberInput[],
) {
  await db.deleteFrom('visit_member').where('visit_id', '=', visitId).execute()
  if (members.length === 0) return
  await db
    .insertInto('visit_member')
    .values(
      members.map((m) => ({
        visit_id: visitId,
        role: m.role,
        user_id: m.userId,
        expert_id: m.expertId,
        name: m.name,
      })),
    )
    .execute()
}

const ROLE_ORDER = sql<number>`case role when 'steward' then 0 when 'expert' then 1 when 'cadre' then 2 else 3 end`

export function membersOf(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('visit_member')
    .selectAll()
    .where('visit_id', '=', visitId)
    .orderBy(ROLE_ORDER)
    .orderBy('id')
    .execute()
}

/** The visit's start after a reschedule; the counter-proposal is settled. */
export function setVisitTime(db: DbOrTrx, id: number, startsAt: Date, now: Date) {
  return db
    .updateTable('visit')
    .set({ starts_at: startsAt, counter_note: null, updated_at: now })
    .where('id', '=', id)
    .execute()
}

export function setCounterNote(db: DbOrTrx, id: number, note: string | null) {
  return db.updateTable('visit').set({ counter_note: note }).where('id', '=', id).execute()
}

/** The visits of a case, in order. */
export function visitsOfList(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('visit')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .orderBy('sequence')
    .execute()
}

/** States whose visit holds its team's time (for conflicts). */
export const BUSY_VISIT_STATES = ['proposed', 'scheduled', 'on_site'] as const

/** Weekdays, blackouts and busy visits of experts, for conflict warnings. */
export async function expertAvailability(db: DbOrTrx, expertIds: readonly number[]) {
  if (expertIds.length === 0) return []
  const ids = [...new Set(expertIds)]
  const [experts, blackouts, visits] = await Promise.all([
    db
      .selectFrom('expert')
      .select(['id', 'name', 'weekdays'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('expert_blackout')
      .select(['expert_id', 'starts_on', 'ends_on'])
      .where('expert_id', 'in', ids)
      .orderBy('starts_on')
      .execute(),
    db
      .selectFrom('visit_member as m')
      .innerJoin('visit as v', 'v.id', 'm.visit_id')
      .innerJoin('needs_list as l', 'l.id', 'v.needs_list_id')
      .select(['m.expert_id', 'v.id', 'v.starts_at', 'v.duration_minutes', 'l.title as listTitle'])
      .where('m.expert_id', 'in', ids)
      .where('v.status', 'in', [...BUSY_VISIT_STATES])
      .orderBy('v.starts_at')
      .execute(),
  ])
  return experts.map((e) => ({
    expertId: e.id,
    name: e.name,
    weekdays: e.weekdays,
    blackouts: blackouts
      .filter((b) => b.expert_id === e.id)
      .map((b) => ({ startsOn: String(b.starts_on), endsOn: String(b.ends_on) })),
    visits: visits
      .filter((v) => v.expert_id === e.id)
      .map((v) => ({
        visitId: v.id,
        startsAt: v.starts_at,
        durationMinutes: v.duration_minutes,
        listTitle: v.listTitle,
      })),
  }))
}

export interface VisitScope {
  /** Visits the user is a team member of (any role), or steward of the case. */
  userId: number
  /** Union scopes (org paths) whose subtree's visits are visible. */
  orgPaths: readonly string[]
  /** Enterprises whose visits are visible (contacts). */
  enterpriseIds: readonly number[]
}

/**
 * Visits visible through `scope`, starting from `from` (default: all), in
 * time order, with their case and the user's own team role.
 */
export function visitsInScope(
  db: DbOrTrx,
  scope: VisitScope,
  options: { from?: Date; states?: readonly string[]; limit?: number } = {},
) {
  let q = db
    .selectFrom('visit as v')
    .innerJoin('needs_list as l', 'l.id', 'v.needs_list_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .selectAll('v')
    .select([
      'l.title as listTitle',
      'e.name as enterpriseName',
      'l.steward_user_id as stewardUserId',
      (eb) =>
        eb
          .selectFrom('visit_member as m')
          .select('m.role')
          .whereRef('m.visit_id', '=', 'v.id')
          .where('m.user_id', '=', scope.userId)
          .orderBy(ROLE_ORDER)
          .limit(1)
          .as('myRole'),
    ])
    .where((eb) => {
      const ors = [
        eb.exists(
          eb
            .selectFrom('visit_member as m')
            .select('m.id')
            .whereRef('m.visit_id', '=', 'v.id')
            .where('m.user_id', '=', scope.userId),
        ),
        eb('l.steward_user_id', '=', scope.userId),
      ]
      for (const path of scope.orgPaths) ors.push(eb('o.path', 'like', `${path}%`))
      if (scope.enterpriseIds.length > 0) {
        ors.push(eb('l.enterprise_id', 'in', [...scope.enterpriseIds]))
      }
      return eb.or(ors)
    })
  if (options.from) {
    // Still running counts as upcoming.
    q = q.where(
      sql<Date>`v.starts_at + make_interval(mins => v.duration_minutes)`,
      '>=',
      options.from,
    )
  }
  if (options.states) q = q.where('v.status', 'in', [...options.states])
  return q
    .orderBy('v.starts_at')
    .orderBy('v.id')
    .limit(options.limit ?? 200)
    .execute()
}

/** Users whose sign-in may be named as a visit's cadre or other member: union users of the branch. */
export function unionUsersNear(db: DbOrTrx, orgPath: string) {
  return db
    .selectFrom('membership as ms')
    .innerJoin('app_user as u', 'u.id', 'ms.user_id')
    .innerJoin('union_org as o', 'o.id', 'ms.org_id')
    .select(['u.id', 'u.name', 'ms.role', 'o.name as orgName'])
    .where('ms.role', 'in', ['coordinator', 'steward', 'federation_admin'])
    .where((eb) =>
      eb.or([
        eb(sql.lit(orgPath), 'like', sql<string>`o.path || '%'`),
        eb('o.path', 'like', `${orgPath}%`),
      ]),
    )
    .orderBy('u.name')
    .orderBy('u.id')
    .execute()
}
