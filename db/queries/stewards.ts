import { type RawBuilder, sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'
import { escapeLike } from './orgs.ts'

/**
 * A steward's load: the enterprises whose dedicated steward they are now and
 * that have at least one open case (see workflows/case-states.ts).
 * `steward` is a column reference or a value.
 */
export function loadOf(steward: RawBuilder<number>, openStates: readonly string[]) {
  return sql<number>`(select count(*) from enterprise le where le.steward_user_id = ${steward} and exists (select 1 from needs_list ll where ll.enterprise_id = le.id and ll.status in (${sql.join([...openStates])})))`
}

const pathIn = (column: string, paths: string[]) =>
  sql<boolean>`(${sql.join(
    paths.map((p) => sql`${sql.ref(column)} like ${`${escapeLike(p)}%`}`),
    sql` or `,
  )})`

/**
 * Users holding a steward membership in the given subtrees, with their
 * profile (if any) and current load, by name.
 */
export async function stewardsInScope(
  db: DbOrTrx,
  input: { scopePaths: string[]; openStates: readonly string[]; limit: number; offset: number },
) {
  if (input.scopePaths.length === 0) return []
  const rows = await db
    .selectFrom('membership as m')
    .innerJoin('union_org as mo', 'mo.id', 'm.org_id')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .leftJoin('steward_profile as p', 'p.user_id', 'm.user_id')
    .leftJoin('union_org as po', 'po.id', 'p.org_id')
    .distinctOn(['u.name', 'u.id'])
    .select([
      'u.id as userId',
      'u.name',
      'u.email',
      'mo.name as membershipOrgName',
      'po.name as profileOrgName',
      'p.capacity',
      'p.active',
      'p.districts',
      'p.parks',
      'p.industries',
      loadOf(sql.ref<number>('u.id'), input.openStates).as('load'),
    ])
    .where('m.role', '=', 'steward')
    .where(pathIn('mo.path', input.scopePaths))
    .orderBy('u.name')
    .orderBy('u.id')
    .orderBy('m.id')
    .limit(input.limit)
    .offset(input.offset)
    .execute()
  return rows.map((r) => ({ ...r, load: Number(r.load ?? 0) }))
}

/** A steward user with their steward memberships (org paths) and profile. */
export async function stewardWithProfile(db: DbOrTrx, userId: number) {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'name', 'email'])
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!user) return undefined
  const [memberships, profile] = await Promise.all([
    db
      .selectFrom('membership as m')
      .innerJoin('union_org as o', 'o.id', 'm.org_id')
      .select(['o.id as orgId', 'o.name as orgName', 'o.path as orgPath'])
      .where('m.user_id', '=', userId)
      .where('m.role', '=', 'steward')
      .orderBy('m.id')
      .execute(),
    db
      .selectFrom('steward_profile as p')
      .innerJoin('union_org as o', 'o.id', 'p.org_id')
      .selectAll('p')
      .select(['o.name as orgName', 'o.path as orgPath'])
      .where('p.user_id', '=', userId)
      .executeTakeFirst(),
  ])
  return { user, memberships, profile }
}

export function stewardLoad(db: DbOrTrx, userId: number, openStates: readonly string[]) {
  return db
    .selectNoFrom(loadOf(sql<number>`${userId}::int`, openStates).as('load'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.load ?? 0))
}

export function upsertStewardProfile(
  db: DbOrTrx,
  input: {
    userId: number
    orgId: number
    capacity: number
    districts: string[]
    parks: string[]
    industries: string[]
    active: boolean
  },
) {
  const values = {
    org_id: input.orgId,
    capacity: input.capacity,
    districts: input.districts,
    parks: input.parks,
    industries: input.industries,
    active: input.active,
  }
  return db
    .insertInto('steward_profile')
    .values({ user_id: input.userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * Candidate stewards for an enterprise: active profiles of users who still
 * hold a steward membership, whose org is the enterprise's org or an
 * ancestor of it, or lies in one of `scopePaths` (the assigning
 * coordinator's subtrees). With load and their last ended assignment to this
 * enterprise (continuity).
 */
export async function candidateStewards(
  db: DbOrTrx,
  input: {
    enterpriseId: number
    enterpriseOrgPath: string
    scopePaths: string[]
    openStates: readonly string[]
  },
) {
  const ancestorPaths = ancestorPathsOf(input.enterpriseOrgPath)
  const rows = await db
    .selectFrom('steward_profile as p')
    .innerJoin('app_user as u', 'u.id', 'p.user_id')
    .innerJoin('union_org as o', 'o.id', 'p.org_id')
    .select((eb) => [
      'p.user_id as userId',
      'u.name',
      'p.org_id as orgId',
      'o.path as orgPath',
      'o.name as orgName',
      'p.capacity',
      'p.districts',
      'p.parks',
      'p.industries',
      loadOf(sql.ref<number>('p.user_id'), input.openStates).as('load'),
      eb
        .selectFrom('steward_assignment as a')
        .select('a.assigned_at')
        .whereRef('a.steward_user_id', '=', 'p.user_id')
        .where('a.enterprise_id', '=', input.enterpriseId)
        .where('a.ended_at', 'is not', null)
        .orderBy('a.ended_at', 'desc')
        .limit(1)
        .as('servedFrom'),
      eb
        .selectFrom('steward_assignment as a')
        .select('a.ended_at')
        .whereRef('a.steward_user_id', '=', 'p.user_id')
        .where('a.enterprise_id', '=', input.enterpriseId)
        .where('a.ended_at', 'is not', null)
        .orderBy('a.ended_at', 'desc')
        .limit(1)
        .as('servedUntil'),
    ])
    .where('p.active', '=', true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('membership as m')
          .select(sql`1`.as('one'))
          .whereRef('m.user_id', '=', 'p.user_id')
          .where('m.role', '=', 'steward'),
      ),
    )
    .where((eb) =>
      eb.or([
        eb('o.path', 'in', ancestorPaths),
        ...input.scopePaths.map((p) => eb('o.path', 'like', `${escapeLike(p)}%`)),
      ]),
    )
    .orderBy('p.user_id')
    .execute()
  return rows.map((r) => ({
    userId: r.userId,
    name: r.name,
    orgId: r.orgId,
    orgPath: r.orgPath,
    orgName: r.orgName,
    capacity: r.capacity,
    districts: r.districts,
    parks: r.parks,
    industries: r.industries,
    load: Number(r.load ?? 0),
    servedBefore:
      r.servedFrom && r.servedUntil
        ? { from: new Date(r.servedFrom), until: new Date(r.servedUntil) }
        : null,
  }))
}

/** '/1/4/9/' → ['/1/', '/1/4/', '/1/4/9/']. */
export function ancestorPathsOf(path: string): string[] {
  const parts = path.split('/').filter(Boolean)
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`)
}

/** The enterprise with its org path, locked for the rest of the transaction. */
export function lockEnterprise(db: DbOrTrx, id: number) {
  return db
    .selectFrom('enterprise as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .select([
      'e.id',
      'e.name',
      'e.org_id',
      'e.district',
      'e.park',
      'e.industry',
      'e.tags',
      'e.steward_user_id',
      'o.path as orgPath',
      'o.name as orgName',
    ])
    .where('e.id', '=', id)
    .forUpdate('e')
    .executeTakeFirst()
}

/** The same, without the lock (for pages). */
export function findEnterpriseForSteward(db: DbOrTrx, id: number) {
  return db
    .selectFrom('enterprise as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .leftJoin('app_user as s', 's.id', 'e.steward_user_id')
    .select([
      'e.id',
      'e.name',
      'e.org_id',
      'e.district',
      'e.park',
      'e.industry',
      'e.tags',
      'e.steward_user_id',
      'o.path as orgPath',
      'o.name as orgName',
      's.name as stewardName',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst()
}

export function currentAssignment(db: DbOrTrx, enterpriseId: number) {
  return db
    .selectFrom('steward_assignment')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
}

export function endAssignment(db: DbOrTrx, id: number, input: { at: Date; reason: string | null }) {
  return db
    .updateTable('steward_assignment')
    .set({ ended_at: input.at, ended_reason: input.reason })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute()
}

export function insertAssignment(
  db: DbOrTrx,
  input: {
    enterpriseId: number
    stewardId: number
    assignedBy: number
    reason: string | null
    at: Date
  },
) {
  return db
    .insertInto('steward_assignment')
    .values({
      enterprise_id: input.enterpriseId,
      steward_user_id: input.stewardId,
      assigned_by: input.assignedBy,
      reason: input.reason,
      assigned_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function setEnterpriseSteward(db: DbOrTrx, enterpriseId: number, stewardId: number) {
  return db
    .updateTable('enterprise')
    .set({ steward_user_id: stewardId })
    .where('id', '=', enterpriseId)
    .execute()
}

/** Who was the enterprise's steward, when, chosen by whom and why; newest first. */
export function assignmentHistory(db: DbOrTrx, enterpriseId: number) {
  return db
    .selectFrom('steward_assignment as a')
    .innerJoin('app_user as s', 's.id', 'a.steward_user_id')
    .innerJoin('app_user as b', 'b.id', 'a.assigned_by')
    .select([
      'a.id',
      'a.steward_user_id as stewardId',
      's.name as stewardName',
      'b.name as assignedByName',
      'a.reason',
      'a.assigned_at as assignedAt',
      'a.ended_at as endedAt',
      'a.ended_reason as endedReason',
    ])
    .where('a.enterprise_id', '=', enterpriseId)
    .orderBy('a.assigned_at', 'desc')
    .orderBy('a.id', 'desc')
    .execute()
}

/** The enterprise's needs lists in the given states, oldest first. */
export function casesOfEnterprise(db: DbOrTrx, enterpriseId: number, states: readonly string[]) {
  return db
    .selectFrom('needs_list')
    .select(['id', 'title', 'status', 'steward_user_id', 'stage_entered_at'])
    .where('enterprise_id', '=', enterpriseId)
    .where('status', 'in', [...states])
    .orderBy('id')
    .execute()
}
