import { sql } from 'kysely'
import type { DbOrTrx } from '#db/client.server.ts'
import type { VisitListFilters } from '#workflows/reports/list-filters.ts'
import {
  containsPattern,
  countRows,
  idBatches,
  inSubtrees,
  type ListScope,
  type SortDirection,
  sortedPage,
} from './scope.ts'

/** Visits of the subtrees' cases with their expert members and report confirmation. */

export interface VisitReportRow {
  id: number
  sequence: number
  caseId: number
  caseTitle: string
  enterpriseName: string
  kind: string
  status: string
  startsAt: Date
  place: string
  /** Expert members' names, joined with '、'. */
  experts: string | null
  durationMinutes: number
  checkedInAt: Date | null
  reportConfirmedAt: Date | null
}

export interface VisitQuery {
  scope: ListScope
  filters: VisitListFilters
}

export type VisitSortKey = 'starts' | 'case' | 'enterprise'

const SORT_COLUMN: Record<VisitSortKey, string> = {
  starts: 'v.starts_at',
  case: 'n.title',
  enterprise: 'e.name',
}

function filtered(db: DbOrTrx, q: VisitQuery) {
  const f = q.filters
  let qb = db
    .selectFrom('visit as v')
    .innerJoin('needs_list as n', 'n.id', 'v.needs_list_id')
    .innerJoin('enterprise as e', 'e.id', 'n.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'n.org_id')
    .where(inSubtrees('o.path', q.scope.paths))
  if (f.period)
    qb = qb.where('v.starts_at', '>=', f.period.start).where('v.starts_at', '<', f.period.end)
  if (f.status) qb = qb.where('v.status', '=', f.status)
  if (f.kind) qb = qb.where('v.kind', '=', f.kind)
  if (f.expert) {
    const pattern = containsPattern(f.expert)
    qb = qb.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('visit_member as m')
          .select(sql`1`.as('x'))
          .whereRef('m.visit_id', '=', 'v.id')
          .where('m.role', '=', 'expert')
          .where('m.name', 'ilike', pattern),
      ),
    )
  }
  return qb
}

function withColumns(db: DbOrTrx, q: VisitQuery) {
  return filtered(db, q)
    .leftJoin('visit_report as vr', 'vr.visit_id', 'v.id')
    .select([
      'v.id',
      'v.sequence',
      'n.id as caseId',
      'n.title as caseTitle',
      'e.name as enterpriseName',
      'v.kind',
      'v.status',
      'v.starts_at as startsAt',
      'v.place',
      sql<string | null>`(select string_agg(m.name, '、' order by m.id) from visit_member m
        where m.visit_id = v.id and m.role = 'expert')`.as('experts'),
      'v.duration_minutes as durationMinutes',
      'v.checked_in_at as checkedInAt',
      'vr.confirmed_at as reportConfirmedAt',
    ])
}

export function countVisits(db: DbOrTrx, q: VisitQuery): Promise<number> {
  return countRows(filtered(db, q))
}

export function visitPage(
  db: DbOrTrx,
  q: VisitQuery,
  page: { sort: VisitSortKey; dir: SortDirection; limit: number; offset: number },
): Promise<VisitReportRow[]> {
  return sortedPage(withColumns(db, q), { sort: SORT_COLUMN[page.sort], id: 'v.id' }, page)
}

/** Every matching visit in keyset batches by id. */
export function visitBatches(
  db: DbOrTrx,
  q: VisitQuery,
  size: number,
): AsyncGenerator<VisitReportRow[]> {
  return idBatches(withColumns(db, q), 'v.id', size)
}
