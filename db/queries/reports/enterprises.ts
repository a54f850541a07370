import { sql } from 'kysely'
import type { DbOrTrx } from '#db/client.server.ts'
import { OPEN_CASE_STATES } from '#workflows/case-states.ts'
import type { EnterpriseListFilters } from '#workflows/reports/list-filters.ts'
import { CLOSED_GROUP_STATES } from './cases.ts'
import {
  containsPattern,
  countRows,
  idBatches,
  inSubtrees,
  type ListScope,
  type SortDirection,
  sortedPage,
} from './scope.ts'

/** Enterprises of the subtrees with their case counts (one lateral aggregate per row). */

export interface EnterpriseReportRow {
  id: number
  name: string
  creditCode: string | null
  orgName: string
  industry: string | null
  district: string | null
  park: string | null
  tags: string[]
  stewardName: string | null
  casesFiled: number
  casesClosed: number
  lastFiledAt: Date | null
}

export interface EnterpriseQuery {
  scope: ListScope
  filters: EnterpriseListFilters
}

export type EnterpriseSortKey = 'name' | 'filed' | 'last'

const SORT_COLUMN: Record<EnterpriseSortKey, string> = {
  name: 'e.name',
  filed: 'cases.filed',
  last: 'cases.last_filed',
}

function filtered(db: DbOrTrx, q: EnterpriseQuery) {
  const f = q.filters
  let qb = db
    .selectFrom('enterprise as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .where(inSubtrees('o.path', q.scope.paths))
  if (f.industry) qb = qb.where('e.industry', '=', f.industry)
  if (f.district) qb = qb.where('e.district', '=', f.district)
  if (f.park) qb = qb.where('e.park', '=', f.park)
  if (f.tag) qb = qb.where(sql<boolean>`${f.tag} = any(e.tags)`)
  if (f.hasOpen) {
    qb = qb.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('needs_list as n')
          .select(sql`1`.as('x'))
          .whereRef('n.enterprise_id', '=', 'e.id')
          .where('n.status', 'in', [...OPEN_CASE_STATES]),
      ),
    )
  }
  if (f.text) {
    const pattern = containsPattern(f.text)
    qb = qb.where((eb) =>
      eb.or([eb('e.name', 'ilike', pattern), eb('e.credit_code', 'ilike', pattern)]),
    )
  }
  return qb
}

function withColumns(db: DbOrTrx, q: EnterpriseQuery) {
  return filtered(db, q)
    .leftJoin('app_user as s', 's.id', 'e.steward_user_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('needs_list as n')
          .whereRef('n.enterprise_id', '=', 'e.id')
          .select([
            sql<number>`count(*) filter (where n.submitted_at is not null)::int`.as('filed'),
            sql<number>`count(*) filter (where n.status in (${sql.join(CLOSED_GROUP_STATES)}))::int`.as(
              'closed',
            ),
            sql<Date | null>`max(n.submitted_at)`.as('last_filed'),
          ])
          .as('cases'),
      (join) => join.onTrue(),
    )
    .select([
      'e.id',
      'e.name',
      'e.credit_code as creditCode',
      'o.name as orgName',
      'e.industry',
      'e.district',
      'e.park',
      'e.tags',
      's.name as stewardName',
      sql<number>`coalesce(cases.filed, 0)`.as('casesFiled'),
      sql<number>`coalesce(cases.closed, 0)`.as('casesClosed'),
      sql<Date | null>`cases.last_filed`.as('lastFiledAt'),
    ])
}

export function countEnterprises(db: DbOrTrx, q: EnterpriseQuery): Promise<number> {
  return countRows(filtered(db, q))
}

export function enterprisePage(
  db: DbOrTrx,
  q: EnterpriseQuery,
  page: { sort: EnterpriseSortKey; dir: SortDirection; limit: number; offset: number },
): Promise<EnterpriseReportRow[]> {
  return sortedPage(withColumns(db, q), { sort: SORT_COLUMN[page.sort], id: 'e.id' }, page)
}

/** Every matching enterprise in keyset batches by id. */
export function enterpriseBatches(
  db: DbOrTrx,
  q: EnterpriseQuery,
  size: number,
): AsyncGenerator<EnterpriseReportRow[]> {
  return idBatches(withColumns(db, q), 'e.id', size)
}
