import { sql } from 'kysely'
import type { DbOrTrx } from '#db/client.server.ts'
import type { OutcomeListFilters } from '#workflows/reports/list-filters.ts'
import {
  countRows,
  idBatches,
  inSubtrees,
  type ListScope,
  type SortDirection,
  sortedPage,
} from './scope.ts'

/** Item outcomes of the subtrees' cases (of items that are still confirmed). */

export interface OutcomeReportRow {
  id: number
  caseId: number
  caseTitle: string
  enterpriseName: string
  itemTitle: string
  category: string
  result: string
  /** Yuan, exact, or null when no amount was given. */
  benefitYuan: string | null
  benefitStatus: string | null
  workersTrained: number
  patents: number
  innovations: number
  recordedAt: Date
  caseClosedAt: Date | null
}

export interface OutcomeQuery {
  scope: ListScope
  filters: OutcomeListFilters
}

export type OutcomeSortKey = 'recorded' | 'benefit' | 'case'

const SORT_COLUMN: Record<OutcomeSortKey, string> = {
  recorded: 'io.recorded_at',
  benefit: 'io.benefit_yuan',
  case: 'n.title',
}

function filtered(db: DbOrTrx, q: OutcomeQuery) {
  const f = q.filters
  let qb = db
    .selectFrom('item_outcome as io')
    .innerJoin('confirmed_item as ci', 'ci.id', 'io.confirmed_item_id')
    .innerJoin('needs_list as n', 'n.id', 'io.needs_list_id')
    .innerJoin('enterprise as e', 'e.id', 'n.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'n.org_id')
    .where(inSubtrees('o.path', q.scope.paths))
  if (f.period) {
    const column = f.periodBy === 'closed' ? 'n.closed_at' : 'io.recorded_at'
    qb = qb.where(column, '>=', f.period.start).where(column, '<', f.period.end)
  }
  if (f.result) qb = qb.where('io.result', '=', f.result)
  if (f.category) qb = qb.where('ci.category', '=', f.category)
  if (f.benefitStatus === 'none') qb = qb.where('io.benefit_yuan', 'is', null)
  else if (f.benefitStatus) {
    qb = qb
      .where('io.benefit_status', '=', f.benefitStatus)
      .where('io.benefit_yuan', 'is not', null)
  }
  return qb
}

function withColumns(db: DbOrTrx, q: OutcomeQuery) {
  return filtered(db, q).select([
    'io.id',
    'n.id as caseId',
    'n.title as caseTitle',
    'e.name as enterpriseName',
    'ci.title as itemTitle',
    'ci.category',
    'io.result',
    sql<string | null>`io.benefit_yuan::text`.as('benefitYuan'),
    'io.benefit_status as benefitStatus',
    'io.workers_trained as workersTrained',
    'io.patents',
    'io.innovations',
    'io.recorded_at as recordedAt',
    'n.closed_at as caseClosedAt',
  ])
}

export function countOutcomes(db: DbOrTrx, q: OutcomeQuery): Promise<number> {
  return countRows(filtered(db, q))
}

export function outcomePage(
  db: DbOrTrx,
  q: OutcomeQuery,
  page: { sort: OutcomeSortKey; dir: SortDirection; limit: number; offset: number },
): Promise<OutcomeReportRow[]> {
  return sortedPage(withColumns(db, q), { sort: SORT_COLUMN[page.sort], id: 'io.id' }, page)
}

/** Every matching outcome in keyset batches by id. */
export function outcomeBatches(
  db: DbOrTrx,
  q: OutcomeQuery,
  size: number,
): AsyncGenerator<OutcomeReportRow[]> {
  return idBatches(withColumns(db, q), 'io.id', size)
}
