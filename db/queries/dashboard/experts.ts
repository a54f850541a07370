import { sql } from 'kysely'
import type { ExpertRow } from '#workflows/dashboard/types.ts'
import type { DbOrTrx } from '../../client.server.ts'
import { pathLikeSubtree } from '../orgs.ts'

export const EXPERT_SORTS = ['name', 'engagements', 'visits', 'hours', 'rating'] as const
export type ExpertSort = (typeof EXPERT_SORTS)[number]

export function isExpertSort(v: unknown): v is ExpertSort {
  return typeof v === 'string' && (EXPERT_SORTS as readonly string[]).includes(v)
}

const ORDER: Record<ExpertSort, ReturnType<typeof sql>> = {
  name: sql`x.name, x.id`,
  engagements: sql`x.engagements desc, x.name, x.id`,
  visits: sql`x.visits_held desc, x.name, x.id`,
  hours: sql`x.minutes desc, x.name, x.id`,
  rating: sql`x.rating_avg desc nulls last, x.rating_count desc, x.name, x.id`,
}

export type ExpertFigureRow = ExpertRow

interface Bounds {
  orgPath: string
  start: Date
  end: Date
}

/**
 * Experts managed in the subtree (expert.org_id) with their activity in
 * [start, end): engagements (pairings made), visits held (checked in, the
 * expert a member) and their planned hours, enterprise ratings received.
 * Idle: active, with neither an engagement nor a held visit in the period.
 */
function expertActivity(b: Bounds, page?: { limit: number; offset: number }) {
  const inScope = sql`o.path like ${pathLikeSubtree(b.orgPath)}`
  // Sorted by name, the page is known before any figure: compute them for it alone.
  // Otherwise every expert of the subtree needs its figures, so they are grouped
  // once per table (hash joins) rather than looked up expert by expert.
  if (page) {
    return sql`
      select e.id, e.name, o.name as org_name, e.status,
             pa.engagements, vh.visits_held, vh.minutes, er.rating_avg, er.rating_count,
             (e.status = 'active' and pa.engagements = 0 and vh.visits_held = 0) as idle
      from (select e0.* from expert e0 join union_org o on o.id = e0.org_id
            where ${inScope}
            order by e0.name, e0.id limit ${page.limit} offset ${page.offset}) e
      join union_org o on o.id = e.org_id
      cross join lateral (
        select count(*)::int as engagements from pairing pr
        where pr.expert_id = e.id and pr.created_at >= ${b.start} and pr.created_at < ${b.end}
      ) pa
      cross join lateral (
        select count(*)::int as visits_held, coalesce(sum(x.duration_minutes), 0)::int as minutes
        from (
          select distinct v.id, v.duration_minutes
          from visit_member vm join visit v on v.id = vm.visit_id
          where vm.expert_id = e.id
            and v.checked_in_at >= ${b.start} and v.checked_in_at < ${b.end}
        ) x
      ) vh
      cross join lateral (
        select round(avg(r.score), 2)::numeric(5,2) as rating_avg, count(*)::int as rating_count
        from expert_rating r
        where r.expert_id = e.id and r.rated_at >= ${b.start} and r.rated_at < ${b.end}
      ) er`
  }
  return sql`
    select e.id, e.name, o.name as org_name, e.status,
           coalesce(pa.engagements, 0) as engagements,
           coalesce(vh.visits_held, 0) as visits_held, coalesce(vh.minutes, 0) as minutes,
           er.rating_avg, coalesce(er.rating_count, 0) as rating_count,
           (e.status = 'active' and pa.expert_id is null and vh.expert_id is null) as idle
    from expert e
    join union_org o on o.id = e.org_id
    left join (
      select pr.expert_id, count(*)::int as engagements from pairing pr
      where pr.created_at >= ${b.start} and pr.created_at < ${b.end}
      group by pr.expert_id
    ) pa on pa.expert_id = e.id
    left join (
      select x.expert_id, count(*)::int as visits_held,
             coalesce(sum(x.duration_minutes), 0)::int as minutes
      from (
        select distinct vm.expert_id, v.id, v.duration_minutes
        from visit_member vm join visit v on v.id = vm.visit_id
        where vm.expert_id is not null
          and v.checked_in_at >= ${b.start} and v.checked_in_at < ${b.end}
      ) x
      group by x.expert_id
    ) vh on vh.expert_id = e.id
    left join (
      select r.expert_id, round(avg(r.score), 2)::numeric(5,2) as rating_avg,
             count(*)::int as rating_count
      from expert_rating r
      where r.rated_at >= ${b.start} and r.rated_at < ${b.end}
      group by r.expert_id
    ) er on er.expert_id = e.id
    where ${inScope}`
}

export async function expertFigures(
  db: DbOrTrx,
  input: Bounds & { sort: ExpertSort; idleOnly: boolean; limit: number; offset: number },
): Promise<{ rows: ExpertFigureRow[]; total: number }> {
  const byNamePage = input.sort === 'name' && !input.idleOnly
  const page = { limit: input.limit, offset: input.offset }
  const { rows } = await sql<{
    id: number
    name: string
    org_name: string
    status: string
    engagements: number
    visits_held: number
    minutes: number
    rating_avg: string | null
    rating_count: number
    idle: boolean
    total: number
  }>`
    select x.id, x.name, x.org_name, x.status, x.engagements, x.visits_held, x.minutes,
           x.rating_avg::text as rating_avg, x.rating_count, x.idle, count(*) over ()::int as total
    from (${expertActivity(input, byNamePage ? page : undefined)}) x
    ${input.idleOnly ? sql`where x.idle` : sql``}
    order by ${ORDER[input.sort]}
    ${byNamePage ? sql`` : sql`limit ${input.limit} offset ${input.offset}`}`.execute(db)
  const total = byNamePage
    ? await countExperts(db, input)
    : rows[0] !== undefined
      ? Number(rows[0].total)
      : input.offset > 0
        ? await countExperts(db, input)
        : 0
  return {
    total,
    rows: rows.map((r) => ({
      expertId: Number(r.id),
      name: r.name,
      orgName: r.org_name,
      status: r.status,
      engagements: Number(r.engagements),
      visitsHeld: Number(r.visits_held),
      // Hours with one decimal, rounded half up from whole minutes.
      hours: Math.round((Number(r.minutes) * 10) / 60) / 10,
      averageRating: r.rating_avg ?? null,
      ratingCount: Number(r.rating_count),
      idle: Boolean(r.idle),
    })),
  }
}

async function countExperts(db: DbOrTrx, input: Bounds & { idleOnly: boolean }) {
  if (input.idleOnly) return idleExpertCount(db, input)
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from expert e join union_org o on o.id = e.org_id
    where o.path like ${pathLikeSubtree(input.orgPath)}`.execute(db)
  return Number(rows[0]?.n ?? 0)
}

/** Active experts of the subtree with no engagement and no held visit in the period. */
export async function idleExpertCount(db: DbOrTrx, b: Bounds): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n
    from expert e
    join union_org o on o.id = e.org_id
    where o.path like ${pathLikeSubtree(b.orgPath)}
      and e.status = 'active'
      and not exists (
        select 1 from pairing pr
        where pr.expert_id = e.id and pr.created_at >= ${b.start} and pr.created_at < ${b.end})
      and not exists (
        select 1 from visit_member vm join visit v on v.id = vm.visit_id
        where vm.expert_id = e.id and v.checked_in_at >= ${b.start} and v.checked_in_at < ${b.end})`.execute(
    db,
  )
  return Number(rows[0]?.n ?? 0)
}
