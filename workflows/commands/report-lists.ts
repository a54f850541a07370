import type { Readable } from 'node:stream'
import type { TFunction } from 'i18next'
import { tFor } from '#app/i18n/i18n.server.ts'
import type { Db, DbOrTrx } from '#db/client.server.ts'
import { caseBatches, casePage, countCases } from '#db/queries/reports/cases.ts'
import {
  countEnterprises,
  enterpriseBatches,
  enterprisePage,
} from '#db/queries/reports/enterprises.ts'
import { countOutcomes, outcomeBatches, outcomePage } from '#db/queries/reports/outcomes.ts'
import {
  type ListScope,
  orgById,
  orgOptions,
  type SortDirection,
  stewardOptions,
} from '#db/queries/reports/scope.ts'
import { countVisits, visitBatches, visitPage } from '#db/queries/reports/visits.ts'
import type { Role } from '#db/schema.ts'
import { type Principal, scopesFor } from '#workflows/access.ts'
import { beijingMonth } from '#workflows/dashboard/period.ts'
import { ForbiddenError } from '#workflows/errors.ts'
import {
  type ColumnSpec,
  headerKey,
  LIST_COLUMNS,
  type ListRowByKind,
} from '#workflows/reports/columns.ts'
import {
  DEFAULT_SORTS,
  LIST_PAGE_SIZE,
  LIST_SORTS,
  type ListFilters,
  type ListFiltersInput,
  type ListKind,
  type ListSort,
  normaliseFilters,
} from '#workflows/reports/list-filters.ts'
import { streamListXlsx } from '#workflows/reports/xlsx.server.ts'

/**
 * The federation lists (cases, enterprises, visits, item outcomes) for union
 * readers, scoped to their subtrees: a page filtered and sorted on the
 * server, and the whole filtered set as a streamed .xlsx.
 */

export const LIST_READER_ROLES: Role[] = ['federation_admin', 'coordinator']
export const EXPORT_BATCH_SIZE = 2_000

/** The subtrees the principal may list. */
export function listScopes(principal: Principal) {
  return scopesFor(principal, LIST_READER_ROLES)
}

/**
 * The subtrees a list reads: the viewer's scopes, or the asked org's
 * subtree when it lies inside one of them (else ForbiddenError).
 */
async function resolveScope(
  db: DbOrTrx,
  principal: Principal,
  orgId: number | undefined,
): Promise<{ scope: ListScope; org: { id: number; name: string } | null }> {
  const scopes = listScopes(principal)
  if (scopes.length === 0) throw new ForbiddenError('the lists are for union readers')
  if (orgId === undefined) return { scope: { paths: scopes.map((s) => s.orgPath) }, org: null }
  const org = await orgById(db, orgId)
  if (!org || !scopes.some((s) => org.path.startsWith(s.orgPath))) {
    throw new ForbiddenError('org outside your scope')
  }
  return { scope: { paths: [org.path] }, org: { id: org.id, name: org.name } }
}

/**
 * Each list's page, count and export batches, all over the same query
 * (scope, filters and `now`, which only the cases read for their overdue flag).
 */
interface ListQueries {
  page: (db: DbOrTrx, q: never, page: never) => Promise<unknown[]>
  count: (db: DbOrTrx, q: never) => Promise<number>
  batches: (db: DbOrTrx, q: never, size: number) => AsyncIterable<unknown[]>
}

const LIST_QUERIES: Record<ListKind, ListQueries> = {
  cases: { page: casePage, count: countCases, batches: caseBatches },
  enterprises: { page: enterprisePage, count: countEnterprises, batches: enterpriseBatches },
  visits: { page: visitPage, count: countVisits, batches: visitBatches },
  outcomes: { page: outcomePage, count: countOutcomes, batches: outcomeBatches },
}

export interface ListResult<K extends ListKind> {
  kind: K
  org: { id: number; name: string } | null
  rows: ListRowByKind[K][]
  total: number
  page: number
  pageSize: number
  pageCount: number
  sort: ListSort<K>
}

function validSort<K extends ListKind>(kind: K, sort: ListSort<K> | undefined): ListSort<K> {
  if (
    sort &&
    (LIST_SORTS[kind] as readonly string[]).includes(sort.key) &&
    (sort.dir === 'asc' || sort.dir === 'desc')
  ) {
    return sort
  }
  return DEFAULT_SORTS[kind] as ListSort<K>
}

/** One page of list `kind`. `now` decides what is overdue (defaults to the clock). */
export async function listRows<K extends ListKind>(
  db: Db,
  principal: Principal,
  kind: K,
  filtersIn: ListFiltersInput<K> | ListFilters<K>,
  options: { page?: number; sort?: ListSort<K>; now?: Date; pageSize?: number } = {},
): Promise<ListResult<K>> {
  const filters = normaliseFilters<K>(filtersIn)
  const { scope, org } = await resolveScope(db, principal, filters.org)
  const pageSize = options.pageSize ?? LIST_PAGE_SIZE
  const page =
    Number.isSafeInteger(options.page) && (options.page ?? 0) >= 1 ? (options.page as number) : 1
  const sort = validSort(kind, options.sort)
  const window = {
    sort: sort.key,
    dir: sort.dir as SortDirection,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  }
  const now = options.now ?? new Date()
  if (!Object.hasOwn(LIST_QUERIES, kind)) throw new ForbiddenError('unknown list')
  const source = LIST_QUERIES[kind]
  const q = { scope, filters, now } as never
  const [rows, total] = await Promise.all([
    source.page(db, q, window as never),
    source.count(db, q),
  ])
  return {
    kind,
    org,
    rows: rows as ListRowByKind[K][],
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    sort,
  }
}

/** The sheet (and file) name of each list. */
export const LIST_FILE_LABELS: Record<ListKind, { zh: string; ascii: string }> = {
  cases: { zh: '需求清单', ascii: 'cases' },
  enterprises: { zh: '企业', ascii: 'enterprises' },
  visits: { zh: '走访勘查', ascii: 'visits' },
  outcomes: { zh: '服务成效', ascii: 'outcomes' },
}

/** '需求清单-2026.xlsx' (the period filtered on, else the Beijing day) and its ASCII fallback. */
export function exportFileName(
  kind: ListKind,
  filtersIn: ListFiltersInput | ListFilters,
  now: Date,
): { name: string; ascii: string } {
  const filters = normaliseFilters(filtersIn)
  const period = 'period' in filters ? filters.period : undefined
  const suffix =
    period?.key ??
    `${beijingMonth(now)}-${new Date(now.getTime() + 8 * 3600_000).toISOString().slice(8, 10)}`
  const label = LIST_FILE_LABELS[kind]
  return { name: `${label.zh}-${suffix}.xlsx`, ascii: `${label.ascii}-${suffix}.xlsx` }
}

function batchesOf<K extends ListKind>(
  db: Db,
  kind: K,
  scope: ListScope,
  filters: ListFilters<K>,
  now: Date,
): AsyncIterable<ListRowByKind[K][]> {
  return LIST_QUERIES[kind].batches(
    db,
    { scope, filters, now } as never,
    EXPORT_BATCH_SIZE,
  ) as AsyncIterable<ListRowByKind[K][]>
}

/** Labels repeat on every row (states, industries…): translate each key once per export. */
function memoised(t: TFunction): TFunction {
  const cache = new Map<string, string>()
  return ((key: string, options?: unknown) => {
    let text = cache.get(key)
    if (text === undefined) {
      text = String(t(key, options as never))
      cache.set(key, text)
    }
    return text
  }) as unknown as TFunction
}

/**
 * The whole filtered set of list `kind` (not one page) as a streamed .xlsx
 * with Chinese headers. Scope and org are checked before the stream is
 * returned, so a refusal is an error, not a broken file.
 */
export async function exportList<K extends ListKind>(
  db: Db,
  principal: Principal,
  kind: K,
  filtersIn: ListFiltersInput<K> | ListFilters<K>,
  options: { now: Date },
): Promise<Readable> {
  if (!(kind in LIST_COLUMNS)) throw new ForbiddenError('unknown list')
  const filters = normaliseFilters<K>(filtersIn)
  const { scope } = await resolveScope(db, principal, filters.org)
  const t = memoised(tFor('zh-CN'))
  const columns = LIST_COLUMNS[kind] as ColumnSpec<ListRowByKind[K]>[]
  return streamListXlsx({
    sheetName: LIST_FILE_LABELS[kind].zh,
    columns,
    headers: columns.map((c) => t(headerKey(kind, c.id))),
    t,
    batches: batchesOf(db, kind, scope, filters, options.now),
  })
}

/** What the filter forms offer: the orgs and stewards of the viewer's subtrees. */
export async function listFilterOptions(db: Db, principal: Principal) {
  const scopes = listScopes(principal)
  if (scopes.length === 0) throw new ForbiddenError('the lists are for union readers')
  const scope = { paths: scopes.map((s) => s.orgPath) }
  const [orgs, stewards] = await Promise.all([orgOptions(db, scope), stewardOptions(db, scope)])
  const minDepth = Math.min(...orgs.map((o) => o.depth))
  return {
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, level: o.depth - minDepth })),
    stewards: stewards.map((s) => ({ id: s.id, name: s.name })),
  }
}
