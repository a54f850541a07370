import { sql } from 'kysely'
import type { StageCount, StewardRow } from '#workflows/dashboard/types.ts'
import type { DbOrTrx } from '../../client.server.ts'
import { pathLikeSubtree } from '../orgs.ts'
import { loadOf } from '../stewards.ts'

export const STEWARD_SORTS = ['rank', 'name', 'load', 'open', 'closed', 'rating', 'onTime'] as const
export type StewardSort = (typeof STEWARD_SORTS)[number]

export function isStewardSort(v: unknown): v is StewardSort {
  return typeof v === 'string' && (STEWARD_SORTS as readonly string[]).includes(v)
}

export const DASHBOARD_PAGE_SIZE = 50

// Every order ends on name and id so pages never overlap.
const ORDER: Record<StewardSort, ReturnType<typeof sql>> = {
  rank: sql`r.rank asc nulls last, r.name, r.user_id`,
  name: sql`r.name, r.user_id`,
  load: sql`r.load desc, r.name, r.user_id`,
  open: sql`r.open_cases desc, r.name, r.user_id`,
  closed: sql`r.closed desc, r.name, r.user_id`,
  rating: sql`r.rating_avg desc nulls last, r.rating_count desc, r.name, r.user_id`,
  onTime: sql`r.on_time desc nulls last, r.resolved desc, r.name, r.user_id`,
}

/** A steward's row but the open cases by stage (read apart: stewardOpenByStage). */
export type StewardFigureRow = Omit<StewardRow, 'byStage'>

/**
 * Stewards whose profile org lies in the subtree, with their figures for the
 * period [start, end) and their rank, one page of them.
 *
 * 选树优秀管家 ranking rule: only stewards with at least one rated case closed
 * in the period are ranked, by
 *   1. average rating of those cases (two decimals, as shown) descending,
 *   2. on-time rate (deadlines met / resolved in the period) descending, none last,
 *   3. cases closed in the period descending,
 *   4. name (then user id, so ranks are strict).
 * Stewards without a rated case closed in the period get no rank (null) and
 * come after the ranked ones.
 *
 * Load is the existing steward load (enterprises they are the dedicated
 * steward of with an open case: loadOf in db/queries/stewards.ts); closures,
 * deadlines and ratings come from steward_period_figures (summed from the
 * case facts by the case's steward, wherever the case sits).
 */
export async function stewardFigures(
  db: DbOrTrx,
  input: {
    orgPath: string
    /** The reporting period's key ('2026', '2026-Q4', '2026-11'). */
    period: string
    openStates: readonly string[]
    sort: StewardSort
    limit: number
    offset: number
  },
): Promise<{ rows: StewardFigureRow[]; total: number }> {
  const open = sql.join(input.openStates.map((s) => sql`${s}`))
  const { rows } = await sql<{
    user_id: number
    name: string
    org_name: string
    load: number
    capacity: number
    open_cases: number
    closed: number
    resolved: number
    met: number
    on_time: number | null
    rating_avg: string | null
    rating_count: number
    rank: number | null
    total: number
  }>`
    with s as (
      select p.user_id, u.name, o.name as org_name, p.capacity,
             ${loadOf(sql.ref<number>('p.user_id'), input.openStates)}::int as load,
             (select count(*) from needs_list nl
               where nl.steward_user_id = p.user_id and nl.status in (${open}))::int as open_cases,
             coalesce(sp.cases_closed, 0) as closed,
             case when sp.rating_count > 0
               then round(sp.rating_sum / sp.rating_count, 2)::numeric(5,2) end as rating_avg,
             coalesce(sp.rating_count, 0) as rating_count,
             coalesce(sp.deadlines_resolved, 0) as resolved,
             coalesce(sp.deadlines_met, 0) as met
      from steward_profile p
      join app_user u on u.id = p.user_id
      join union_org o on o.id = p.org_id
      left join steward_period_figures sp
        on sp.steward_user_id = p.user_id and sp.period = ${input.period}
      where o.path like ${pathLikeSubtree(input.orgPath)}
    ), t as (
      select s.*, case when s.resolved > 0 then s.met::float8 / s.resolved end as on_time
      from s
    ), r as (
      select t.*,
             case when t.rating_count > 0 then
               row_number() over (
                 order by (t.rating_count > 0) desc, t.rating_avg desc nulls last,
                          on_time desc nulls last, t.closed desc, t.name, t.user_id)
             end as rank
      from t
    )
    select r.user_id, r.name, r.org_name, r.load, r.capacity, r.open_cases, r.closed,
           r.resolved, r.met, r.on_time, r.rating_avg::text as rating_avg, r.rating_count,
           r.rank::int as rank, count(*) over ()::int as total
    from r
    order by ${ORDER[input.sort]}
    limit ${input.limit} offset ${input.offset}`.execute(db)
  let total = rows[0] ? Number(rows[0].total) : 0
  if (rows.length === 0 && input.offset > 0) {
    // Past the last page: still report how many there are.
    const { rows: c } = await sql<{ n: number }>`
      select count(*)::int as n from steward_profile p join union_org o on o.id = p.org_id
      where o.path like ${pathLikeSubtree(input.orgPath)}`.execute(db)
    total = Number(c[0]?.n ?? 0)
  }
  return {
    total,
    rows: rows.map((r) => ({
      userId: Number(r.user_id),
      name: r.name,
      orgName: r.org_name,
      load: Number(r.load),
      capacity: Number(r.capacity),
      openCases: Number(r.open_cases),
      closedInPeriod: Number(r.closed),
      deadlinesResolved: Number(r.resolved),
      deadlinesMet: Number(r.met),
      onTimeRate: r.on_time === null ? null : Number(r.on_time),
      averageRating: r.rating_avg ?? null,
      ratingCount: Number(r.rating_count),
      rank: r.rank === null ? null : Number(r.rank),
    })),
  }
}

/** Open cases per steward and state, for the given stewards. */
export async function stewardOpenByStage(
  db: DbOrTrx,
  userIds: readonly number[],
  openStates: readonly string[],
): Promise<Map<number, StageCount[]>> {
  const out = new Map<number, StageCount[]>()
  if (userIds.length === 0 || openStates.length === 0) return out
  const rows = await db
    .selectFrom('needs_list')
    .select([
      'steward_user_id as userId',
      'status as stage',
      sql<number>`count(*)::int`.as('cases'),
    ])
    .where('steward_user_id', 'in', [...userIds])
    .where('status', 'in', [...openStates])
    .groupBy(['steward_user_id', 'status'])
    .execute()
  for (const r of rows) {
    if (r.userId === null) continue
    const list = out.get(r.userId) ?? []
    list.push({ stage: r.stage, cases: Number(r.cases) })
    out.set(r.userId, list)
  }
  return out
}
