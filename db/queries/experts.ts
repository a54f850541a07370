import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'
import type { Database, HonourLevel } from '../schema.ts'
import { escapeLike } from './orgs.ts'

/**
 * The talent pool's repository: expert rows with their skills, honours and
 * blackouts, and the pool search. Authorisation is the commands' business
 * (workflows/commands/experts.ts); every search takes the org subtrees it
 * may look in.
 */

export interface ExpertValues {
  orgId: number
  userId: number | null
  name: string
  gender: 'male' | 'female' | null
  mobile: string
  email: string | null
  employer: string | null
  jobTitle: string | null
  grade: string | null
  districts: string[]
  parks: string[]
  weekdays: number[]
  capacity: number
  status: 'active' | 'paused'
  bio: string | null
}

export interface ExpertChildren {
  skills: { skillId: number; proficiency: number }[]
  honours: { type: string; level: HonourLevel; year: number | null }[]
  blackouts: { startsOn: string; endsOn: string; note?: string | null }[]
}

const columns = (v: Partial<ExpertValues>) => ({
  ...(v.orgId !== undefined && { org_id: v.orgId }),
  ...(v.userId !== undefined && { user_id: v.userId }),
  ...(v.name !== undefined && { name: v.name }),
  ...(v.gender !== undefined && { gender: v.gender }),
  ...(v.mobile !== undefined && { mobile: v.mobile }),
  ...(v.email !== undefined && { email: v.email }),
  ...(v.employer !== undefined && { employer: v.employer }),
  ...(v.jobTitle !== undefined && { job_title: v.jobTitle }),
  ...(v.grade !== undefined && { grade: v.grade }),
  ...(v.districts !== undefined && { districts: v.districts }),
  ...(v.parks !== undefined && { parks: v.parks }),
  ...(v.weekdays !== undefined && { weekdays: v.weekdays }),
  ...(v.capacity !== undefined && { capacity: v.capacity }),
  ...(v.status !== undefined && { status: v.status }),
  ...(v.bio !== undefined && { bio: v.bio }),
})

/** Rows at a time for multi-row inserts (well under PostgreSQL's 65,535 parameters). */
const CHUNK = 1000

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

export async function insertExperts(db: DbOrTrx, values: ExpertValues[]) {
  const out: { id: number; mobile: string }[] = []
  for (const part of chunks(values, 500)) {
    const rows = await db
      .insertInto('expert')
      .values(part.map((v) => columns(v) as Required<ReturnType<typeof columns>>))
      .returning(['id', 'mobile'])
      .execute()
    out.push(...rows)
  }
  return out
}

export async function insertExpert(db: DbOrTrx, v: ExpertValues) {
  const [row] = await insertExperts(db, [v])
  if (!row) throw new Error('insert returned nothing')
  return row.id
}

/** Changes the given columns (undefined ones stay) and touches updated_at. */
export function updateExpertRow(db: DbOrTrx, id: number, v: Partial<ExpertValues>) {
  return db
    .updateTable('expert')
    .set({ ...columns(v), updated_at: sql`now()` })
    .where('id', '=', id)
    .executeTakeFirst()
}

type ChildKind = keyof ExpertChildren

/**
 * Replaces the experts' skills, honours and/or blackouts (only the kinds
 * given) with the ones passed, for every expert of `byExpert`.
 */
export async function replaceExpertChildren(
  db: DbOrTrx,
  byExpert: Map<number, Partial<ExpertChildren>>,
) {
  const ids = (kind: ChildKind) =>
    [...byExpert].filter(([, c]) => c[kind] !== undefined).map(([id]) => id)
  const skillIds = ids('skills')
  const honourIds = ids('honours')
  const blackoutIds = ids('blackouts')
  for (const part of chunks(skillIds, 5000)) {
    await db.deleteFrom('expert_skill').where('expert_id', 'in', part).execute()
  }
  for (const part of chunks(honourIds, 5000)) {
    await db.deleteFrom('expert_honour').where('expert_id', 'in', part).execute()
  }
  for (const part of chunks(blackoutIds, 5000)) {
    await db.deleteFrom('expert_blackout').where('expert_id', 'in', part).execute()
  }
  const skills = [...byExpert].flatMap(([id, c]) =>
    (c.skills ?? []).map((s) => ({
      expert_id: id,
      skill_id: s.skillId,
      proficiency: s.proficiency,
    })),
  )
  const honours = [...byExpert].flatMap(([id, c]) =>
    (c.honours ?? []).map((h) => ({ expert_id: id, type: h.type, level: h.level, year: h.year })),
  )
  const blackouts = [...byExpert].flatMap(([id, c]) =>
    (c.blackouts ?? []).map((b) => ({
      expert_id: id,
      starts_on: b.startsOn,
      ends_on: b.endsOn,
      note: b.note ?? null,
    })),
  )
  for (const part of chunks(skills)) await db.insertInto('expert_skill').values(part).execute()
  for (const part of chunks(honours)) await db.insertInto('expert_honour').values(part).execute()
  for (const part of chunks(blackouts))
    await db.insertInto('expert_blackout').values(part).execute()
}

/** The expert with its managing org (for scope checks) and linked account. */
export function findExpert(db: DbOrTrx, id: number) {
  return db
    .selectFrom('expert as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .leftJoin('app_user as u', 'u.id', 'e.user_id')
    .selectAll('e')
    .select([
      'o.path as orgPath',
      'o.name as orgName',
      'u.name as userName',
      'u.email as userEmail',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst()
}

export async function findExpertIdByUserId(db: DbOrTrx, userId: number) {
  const row = await db
    .selectFrom('expert')
    .select('id')
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row?.id
}

/** Experts by mobile with their org path; `lock` takes row locks (import). */
export function expertsByMobiles(db: DbOrTrx, mobiles: string[], lock = false) {
  if (mobiles.length === 0) return Promise.resolve([])
  return db
    .selectFrom('expert as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .select(['e.id', 'e.mobile', 'e.org_id', 'o.path as orgPath'])
    .where('e.mobile', 'in', mobiles)
    .$if(lock, (q) => q.forUpdate('e'))
    .execute()
}

export async function skillsOfExperts(db: DbOrTrx, ids: number[]) {
  const out = new Map<
    number,
    {
      skillId: number
      code: string
      nameZh: string
      nameEn: string
      path: string
      proficiency: number
    }[]
  >()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('expert_skill as es')
    .innerJoin('skill as s', 's.id', 'es.skill_id')
    .select([
      'es.expert_id',
      'es.skill_id',
      'es.proficiency',
      's.code',
      's.name_zh',
      's.name_en',
      's.path',
    ])
    .where('es.expert_id', 'in', ids)
    .orderBy('es.expert_id')
    .orderBy('es.proficiency', 'desc')
    .orderBy('s.path')
    .execute()
  for (const r of rows) {
    const list = out.get(r.expert_id) ?? []
    list.push({
      skillId: r.skill_id,
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      path: r.path,
      proficiency: r.proficiency,
    })
    out.set(r.expert_id, list)
  }
  return out
}

export async function honoursOfExperts(db: DbOrTrx, ids: number[]) {
  const out = new Map<number, { type: string; level: HonourLevel; year: number | null }[]>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('expert_honour')
    .select(['expert_id', 'type', 'level', 'year'])
    .where('expert_id', 'in', ids)
    .orderBy('expert_id')
    // The most prominent first: national before provincial … before enterprise, then newest.
    .orderBy(
      sql`array_position(array['national','provincial','city','district','enterprise']::text[], level)`,
    )
    .orderBy(sql`year desc nulls last`)
    .orderBy('id')
    .execute()
  for (const r of rows) {
    const list = out.get(r.expert_id) ?? []
    list.push({ type: r.type, level: r.level, year: r.year })
    out.set(r.expert_id, list)
  }
  return out
}

export async function blackoutsOfExperts(db: DbOrTrx, ids: number[]) {
  const out = new Map<number, { startsOn: string; endsOn: string; note: string | null }[]>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('expert_blackout')
    .select(['expert_id', 'starts_on', 'ends_on', 'note'])
    .where('expert_id', 'in', ids)
    .orderBy('expert_id')
    .orderBy('starts_on')
    .orderBy('ends_on')
    .execute()
  for (const r of rows) {
    const list = out.get(r.expert_id) ?? []
    list.push({ startsOn: r.starts_on, endsOn: r.ends_on, note: r.note })
    out.set(r.expert_id, list)
  }
  return out
}

/** Teams the expert belongs to (or leads). */
export function teamsOfExpert(db: DbOrTrx, expertId: number) {
  return db
    .selectFrom('service_team_member as m')
    .innerJoin('service_team as t', 't.id', 'm.team_id')
    .select(['t.id', 't.name', 't.status', 't.leader_expert_id'])
    .where('m.expert_id', '=', expertId)
    .orderBy('t.name')
    .execute()
}

// ─── Search ───────────────────────────────────────────────────────────────

export const EXPERT_SORTS = ['name', 'recent', 'free'] as const
export type ExpertSort = (typeof EXPERT_SORTS)[number]

export interface ExpertSearch {
  /**
   * The caller's scopes: experts managed in these subtrees or by their
   * ancestors (an expert serves the subtree of the union that manages them).
   * Empty finds nothing.
   */
  orgPaths: string[]
  /** Name, employer (contains) or mobile (digits contained). */
  text?: string
  /** A taxonomy node's path: experts with a skill at or under it. */
  skillPath?: string
  minProficiency?: number
  honourType?: string
  honourLevel?: HonourLevel
  district?: string
  /** 'YYYY-MM-DD', inclusive: free on at least one day of the window. */
  availableFrom?: string
  availableTo?: string
  /** Load below capacity. */
  hasCapacity?: boolean
  status?: 'active' | 'paused'
  /** Case states that hold no one's capacity (CLOSED_CASE_STATES). */
  closedCaseStates: readonly string[]
}

/**
 * An expert's current load in SQL, the same count as engagementLoads(db,
 * 'expert', …) (db/queries/expert-load.ts, the definition): invitations
 * pending or accepted, not on behalf of a team, on cases not closed.
 * Used where the search must filter or sort on it; the shown figure comes
 * from engagementLoads.
 */
export function expertLoadSql(expertId: ReturnType<typeof sql.ref>, closed: readonly string[]) {
  const notClosed = closed.length > 0 ? sql`and n.status not in (${sql.join([...closed])})` : sql``
  return sql<number>`(select count(*)::int from invitation i join needs_list n on n.id = i.needs_list_id where i.expert_id = ${expertId} and i.team_id is null and i.status in ('pending', 'accepted') ${notClosed})`
}

type Eb = ExpressionBuilder<Database & { e: Database['expert'] }, 'e'>

function searchWhere(eb: Eb, s: ExpertSearch) {
  const conds: Expression<SqlBool>[] = [
    // Experts managed in the subtree, and those managed above it, who serve it too.
    eb.or(
      s.orgPaths.flatMap((p) => [
        eb(sql.ref('o.path'), 'like', `${escapeLike(p)}%`),
        sql<SqlBool>`${p} like o.path || '%'`,
      ]),
    ),
  ]
  if (s.text) {
    const like = `%${escapeLike(s.text)}%`
    const alternatives = [eb('e.name', 'ilike', like), eb('e.employer', 'ilike', like)]
    const digits = s.text.replace(/\D/g, '')
    if (digits.length >= 3) alternatives.push(eb('e.mobile', 'like', `%${digits}%`))
    conds.push(eb.or(alternatives))
  }
  if (s.status) conds.push(eb('e.status', '=', s.status))
  if (s.district) conds.push(sql<boolean>`${s.district} = any(e.districts)`)
  if (s.skillPath !== undefined) {
    const min = s.minProficiency ?? 1
    conds.push(
      sql<boolean>`exists (select 1 from expert_skill es join skill sk on sk.id = es.skill_id where es.expert_id = e.id and sk.path like ${`${escapeLike(s.skillPath)}%`} and es.proficiency >= ${min})`,
    )
  }
  if (s.honourType || s.honourLevel) {
    conds.push(
      sql<boolean>`exists (select 1 from expert_honour h where h.expert_id = e.id ${
        s.honourType ? sql`and h.type = ${s.honourType}` : sql``
      } ${s.honourLevel ? sql`and h.level = ${s.honourLevel}` : sql``})`,
    )
  }
  if (s.availableFrom && s.availableTo) {
    // A day of the window on one of the expert's weekdays and inside none of their blackouts.
    conds.push(
      sql<boolean>`exists (select 1 from generate_series(${s.availableFrom}::date, ${s.availableTo}::date, interval '1 day') as w(day) where extract(isodow from w.day)::int = any(e.weekdays) and not exists (select 1 from expert_blackout b where b.expert_id = e.id and to_char(w.day, 'YYYY-MM-DD') between b.starts_on and b.ends_on))`,
    )
  }
  if (s.hasCapacity) {
    conds.push(sql<boolean>`${expertLoadSql(sql.ref('e.id'), s.closedCaseStates)} < e.capacity`)
  }
  return eb.and(conds)
}

function baseSearch(db: DbOrTrx, s: ExpertSearch) {
  return db
    .selectFrom('expert as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .where((eb) => searchWhere(eb as unknown as Eb, s))
}

/** One page of the search, in the chosen order, with the managing org's name. */
export async function searchExperts(
  db: DbOrTrx,
  s: ExpertSearch,
  page: { sort: ExpertSort; limit: number; offset: number },
) {
  if (s.orgPaths.length === 0) return []
  let q = baseSearch(db, s).select([
    'e.id',
    'e.name',
    'e.gender',
    'e.mobile',
    'e.employer',
    'e.job_title',
    'e.grade',
    'e.districts',
    'e.capacity',
    'e.status',
    'e.user_id',
    'e.updated_at',
    'o.name as orgName',
  ])
  if (page.sort === 'recent') q = q.orderBy('e.updated_at', 'desc').orderBy('e.id', 'desc')
  else if (page.sort === 'free') {
    q = q
      .orderBy(sql`e.capacity - ${expertLoadSql(sql.ref('e.id'), s.closedCaseStates)}`, 'desc')
      .orderBy('e.name')
      .orderBy('e.id')
  } else q = q.orderBy('e.name').orderBy('e.id')
  return q.limit(page.limit).offset(page.offset).execute()
}

export async function countExperts(db: DbOrTrx, s: ExpertSearch): Promise<number> {
  if (s.orgPaths.length === 0) return 0
  const row = await baseSearch(db, s)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** The whole result in id order, `size` experts at a time (the export). */
export async function* searchExpertsInBatches(db: DbOrTrx, s: ExpertSearch, size = 500) {
  if (s.orgPaths.length === 0) return
  let after = 0
  for (;;) {
    const rows = await baseSearch(db, s)
      .selectAll('e')
      .where('e.id', '>', after)
      .orderBy('e.id')
      .limit(size)
      .execute()
    if (rows.length === 0) return
    yield rows
    const last = rows[rows.length - 1]
    if (!last || rows.length < size) return
    after = last.id
  }
}

/** Experts of the given subtrees by name, for pickers (team leader, members). */
export function expertsForPicker(
  db: DbOrTrx,
  input: { orgPaths: string[]; text?: string; excludeIds?: number[]; limit: number },
) {
  if (input.orgPaths.length === 0) return Promise.resolve([])
  return baseSearch(db, {
    orgPaths: input.orgPaths,
    text: input.text,
    closedCaseStates: [],
  })
    .select(['e.id', 'e.name', 'e.employer', 'e.status', 'o.name as orgName'])
    .$if((input.excludeIds?.length ?? 0) > 0, (q) =>
      q.where('e.id', 'not in', input.excludeIds ?? []),
    )
    .orderBy('e.name')
    .orderBy('e.id')
    .limit(input.limit)
    .execute()
}

/** Experts by id with their org paths (team membership checks). */
export function expertsWithOrgPaths(db: DbOrTrx, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .selectFrom('expert as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .select(['e.id', 'e.name', 'e.status', 'o.path as orgPath'])
    .where('e.id', 'in', ids)
    .execute()
}

/** A user who may be linked to a profile: their expert memberships' org paths and current link. */
export async function linkableUser(db: DbOrTrx, email: string) {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'name', 'email'])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst()
  if (!user) return undefined
  const [memberships, linked] = await Promise.all([
    db
      .selectFrom('membership as m')
      .innerJoin('union_org as o', 'o.id', 'm.org_id')
      .select('o.path')
      .where('m.user_id', '=', user.id)
      .where('m.role', '=', 'expert')
      .execute(),
    db.selectFrom('expert').select('id').where('user_id', '=', user.id).executeTakeFirst(),
  ])
  return {
    ...user,
    expertOrgPaths: memberships.map((m) => m.path),
    linkedExpertId: linked?.id ?? null,
  }
}

/** Skills of the taxonomy by code (the import's lookup). */
export function skillCatalogue(db: DbOrTrx) {
  return db
    .selectFrom('skill as s')
    .leftJoin('skill as f', 'f.id', 's.parent_id')
    .leftJoin('skill as d', 'd.id', 'f.parent_id')
    .select([
      's.id',
      's.code',
      's.level',
      's.name_zh',
      's.path',
      'f.name_zh as fieldZh',
      'd.name_zh as domainZh',
    ])
    .orderBy('s.path')
    .execute()
}
