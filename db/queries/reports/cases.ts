import { sql } from 'kysely'
import type { DbOrTrx } from '#db/client.server.ts'
import { OPEN_CASE_STATES } from '#workflows/case-states.ts'
import type { CaseListFilters } from '#workflows/reports/list-filters.ts'
import {
  containsPattern,
  countRows,
  inSubtrees,
  keysetBatches,
  type ListScope,
  type SortDirection,
  sortedPage,
} from './scope.ts'

/**
 * The cases list over the real tables: filed needs lists (drafts are not
 * cases) with their enterprise, org and steward, and per-case aggregates
 * (confirmed items, items solved, benefit by status, rating) computed in the
 * same statement, so a page or an export batch is one query.
 */

/** The 'closed' status group: cases whose service is over (办结, archived or not). */
export const CLOSED_GROUP_STATES = ['closed', 'archived'] as const

export interface CaseReportRow {
  id: number
  title: string
  enterpriseId: number
  enterpriseName: string
  orgName: string
  industry: string | null
  district: string | null
  park: string | null
  status: string
  stewardName: string | null
  filedAt: Date
  closedAt: Date | null
  dueAt: Date | null
  overdue: boolean
  items: number
  solved: number
  /** Yuan, exact (two decimals). */
  benefitEstimated: string
  benefitConfirmed: string
  /** Average score, e.g. '4.50', or null when not rated. */
  rating: string | null
}

export interface CaseQuery {
  scope: ListScope
  filters: CaseListFilters
  now: Date
}

export type CaseSortKey = 'filed' | 'closed' | 'due' | 'title' | 'enterprise'

const SORT_COLUMN: Record<CaseSortKey, string> = {
  filed: 'n.submitted_at',
  closed: 'n.closed_at',
  due: 'n.due_at',
  title: 'n.title',
  enterprise: 'e.name',
}

function filtered(db: DbOrTrx, q: CaseQuery) {
  const f = q.filters
  let qb = db
    .selectFrom('needs_list as n')
    .innerJoin('enterprise as e', 'e.id', 'n.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'n.org_id')
    .where('n.submitted_at', 'is not', null)
    .where(inSubtrees('o.path', q.scope.paths))
  if (f.period) {
    const column = f.periodBy === 'closed' ? 'n.closed_at' : 'n.submitted_at'
    qb = qb.where(column, '>=', f.period.start).where(column, '<', f.period.end)
  }
  if (f.status === 'open') qb = qb.where('n.status', 'in', [...OPEN_CASE_STATES])
  else if (f.status === 'closed') qb = qb.where('n.status', 'in', [...CLOSED_GROUP_STATES])
  else if (f.status) qb = qb.where('n.status', '=', f.status)
  if (f.category) {
    const category = f.category
    // Confirmed items once the needs are confirmed, the filed items before.
    qb = qb.where(({ or, exists, not, selectFrom }) =>
      or([
        exists(
          selectFrom('confirmed_item as ci')
            .select(sql`1`.as('x'))
            .whereRef('ci.needs_list_id', '=', 'n.id')
            .where('ci.category', '=', category),
        ),
        not(
          exists(
            selectFrom('confirmed_item as ci')
              .select(sql`1`.as('x'))
              .whereRef('ci.needs_list_id', '=', 'n.id'),
          ),
        ).and(
          exists(
            selectFrom('need_item as ni')
              .select(sql`1`.as('x'))
              .whereRef('ni.needs_list_id', '=', 'n.id')
              .where('ni.category', '=', category),
          ),
        ),
      ]),
    )
  }
  if (f.industry) qb = qb.where('e.industry', '=', f.industry)
  if (f.district) qb = qb.where('e.district', '=', f.district)
  if (f.park) qb = qb.where('e.park', '=', f.park)
  if (f.tag) qb = qb.where(sql<boolean>`${f.tag} = any(e.tags)`)
  if (f.steward) qb = qb.where('n.steward_user_id', '=', f.steward)
  if (f.overdue) {
    qb = qb.where('n.due_at', '<', q.now).where('n.status', 'in', [...OPEN_CASE_STATES])
  }
  if (f.text) {
    const pattern = containsPattern(f.text)
    qb = qb.where((eb) => eb.or([eb('n.title', 'ilike', pattern), eb('e.name', 'ilike', pattern)]))
  }
  return qb
}

function withColumns(db: DbOrTrx, q: CaseQuery) {
  return filtered(db, q)
    .leftJoin('app_user as s', 's.id', 'n.steward_user_id')
    .leftJoin('service_rating as r', 'r.needs_list_id', 'n.id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('item_outcome as io')
          // Outcomes of items that are (still) confirmed only.
          .innerJoin('confirmed_item as ci', 'ci.id', 'io.confirmed_item_id')
          .whereRef('io.needs_list_id', '=', 'n.id')
          .select([
            sql<number>`count(*) filter (where io.result = 'solved')::int`.as('solved'),
            sql<string>`coalesce(sum(io.benefit_yuan) filter (where io.benefit_status = 'estimated'), 0.00)::text`.as(
              'estimated',
            ),
            sql<string>`coalesce(sum(io.benefit_yuan) filter (where io.benefit_status = 'confirmed'), 0.00)::text`.as(
              'confirmed',
            ),
          ])
          .as('agg'),
      (join) => join.onTrue(),
    )
    .select([
      'n.id',
      'n.title',
      'n.enterprise_id as enterpriseId',
      'e.name as enterpriseName',
      'o.name as orgName',
      'e.industry',
      'e.district',
      'e.park',
      'n.status',
      's.name as stewardName',
      sql<Date>`n.submitted_at`.as('filedAt'),
      'n.closed_at as closedAt',
      'n.due_at as dueAt',
      sql<boolean>`coalesce(n.due_at < ${q.now} and n.status in (${sql.join(
        OPEN_CASE_STATES,
      )}), false)`.as('overdue'),
      sql<number>`(select count(*)::int from confirmed_item c2 where c2.needs_list_id = n.id)`.as(
        'items',
      ),
      sql<number>`coalesce(agg.solved, 0)`.as('solved'),
      sql<string>`coalesce(agg.estimated, '0.00')`.as('benefitEstimated'),
      sql<string>`coalesce(agg.confirmed, '0.00')`.as('benefitConfirmed'),
      sql<string | null>`r.average::text`.as('rating'),
    ])
}

export function countCases(db: DbOrTrx, q: CaseQuery): Promise<number> {
  return countRows(filtered(db, q))
}

/** One page, sorted on the server (ties broken by id in the same direction). */
export function casePage(
  db: DbOrTrx,
  q: CaseQuery,
  page: { sort: CaseSortKey; dir: SortDirection; limit: number; offset: number },
): Promise<CaseReportRow[]> {
  return sortedPage(withColumns(db, q), { sort: SORT_COLUMN[page.sort], id: 'n.id' }, page)
}

/**
 * Every matching case in keyset batches of `size`, ordered by the period's
 * date (filed, or closed when the period is by closing) and id, so a period
 * filter reads its date index and no batch re-reads earlier rows. The key is
 * carried as text to keep the microseconds a JS Date would drop.
 */
export function caseBatches(
  db: DbOrTrx,
  q: CaseQuery,
  size: number,
): AsyncGenerator<CaseReportRow[]> {
  const byClosing = q.filters.period && q.filters.periodBy === 'closed'
  const key = byClosing ? sql`n.closed_at` : sql`n.submitted_at`
  let base = withColumns(db, q).select(sql<string>`${key}::text`.as('batchKey'))
  if (byClosing) base = base.where('n.closed_at', 'is not', null)
  return keysetBatches(
    size,
    (after: { at: string; id: number } | null) =>
      (after
        ? base.where(sql<boolean>`(${key}, n.id) > (${after.at}::timestamptz, ${after.id})`)
        : base
      )
        .orderBy(key)
        .orderBy('n.id')
        .limit(size)
        .execute(),
    (last) => ({ at: last.batchKey, id: last.id }),
  )
}
