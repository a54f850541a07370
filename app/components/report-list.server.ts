import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { translatorFor } from '#app/i18n/i18n.server.ts'
import { throwDomainError } from '#app/utils/http.server.ts'
import {
  exportFileName,
  exportList,
  LIST_READER_ROLES,
  listFilterOptions,
  listRows,
  listScopes,
} from '#workflows/commands/report-lists.ts'
import { VISIT_STATES } from '#workflows/machines/visit.machine.ts'
import { NEED_CATEGORIES } from '#workflows/needs-list.schema.ts'
import { BENEFIT_STATUSES, OUTCOME_RESULTS } from '#workflows/outcomes/aggregate.ts'
import { LIST_COLUMNS, type ListRowByKind, pageCells } from '#workflows/reports/columns.ts'
import {
  CASE_PERIOD_BY,
  CASE_STATES,
  CASE_STATUS_GROUPS,
  INDUSTRY_LETTERS,
  LIST_SORTS,
  type ListKind,
  OUTCOME_PERIOD_BY,
  parseListFilters,
  parseListParams,
  VISIT_KINDS,
} from '#workflows/reports/list-filters.ts'
import { XLSX_TYPE, xlsxDisposition } from '#workflows/talent/spreadsheet.server.ts'
import type { FilterField, ReportListData } from './report-list.tsx'

/** The four lists' loaders and exports share this; the routes only name their kind. */

const keyed = (prefix: string, values: readonly string[]) =>
  values.map((v) => ({ value: v, labelKey: `${prefix}.${v}` }))

type Options = Awaited<ReturnType<typeof listFilterOptions>>

function fieldsOf(kind: ListKind, options: Options): FilterField[] {
  const org: FilterField = {
    name: 'org',
    type: 'select',
    options: options.orgs.map((o) => ({ value: String(o.id), label: o.name, level: o.level })),
  }
  const period: FilterField = { name: 'period', type: 'period' }
  const category: FilterField = {
    name: 'category',
    type: 'select',
    options: keyed('category', NEED_CATEGORIES),
  }
  const industry: FilterField = {
    name: 'industry',
    type: 'select',
    options: keyed('enterprise.industry', INDUSTRY_LETTERS),
  }
  const place: FilterField[] = [
    { name: 'district', type: 'text', maxLength: 60 },
    { name: 'park', type: 'text', maxLength: 80 },
    { name: 'tag', type: 'text', maxLength: 40 },
  ]
  switch (kind) {
    case 'cases':
      return [
        org,
        period,
        {
          name: 'periodBy',
          type: 'select',
          options: keyed('reports.periodBy', CASE_PERIOD_BY),
          required: true,
        },
        {
          name: 'status',
          type: 'select',
          options: [
            ...keyed('reports.statusGroup', CASE_STATUS_GROUPS),
            ...keyed('status', CASE_STATES),
          ],
        },
        category,
        industry,
        ...place,
        {
          name: 'steward',
          type: 'select',
          options: options.stewards.map((s) => ({ value: String(s.id), label: s.name })),
        },
        { name: 'text', type: 'text', maxLength: 100, placeholderKey: 'reports.filter.textCases' },
        { name: 'overdue', type: 'checkbox' },
      ]
    case 'enterprises':
      return [
        org,
        industry,
        ...place,
        {
          name: 'text',
          type: 'text',
          maxLength: 100,
          placeholderKey: 'reports.filter.textEnterprises',
        },
        { name: 'hasOpen', type: 'checkbox' },
      ]
    case 'visits':
      return [
        org,
        period,
        { name: 'status', type: 'select', options: keyed('visits.status', VISIT_STATES) },
        { name: 'kind', type: 'select', options: keyed('visits.kind', VISIT_KINDS) },
        { name: 'expert', type: 'text', maxLength: 50 },
      ]
    default:
      return [
        org,
        period,
        {
          name: 'periodBy',
          type: 'select',
          options: keyed('reports.periodBy', OUTCOME_PERIOD_BY),
          required: true,
        },
        { name: 'result', type: 'select', options: keyed('outcomes.result', OUTCOME_RESULTS) },
        category,
        {
          name: 'benefitStatus',
          type: 'select',
          options: keyed('reports.benefitFilter', [...BENEFIT_STATUSES, 'none']),
        },
      ]
  }
}

/** The form's current values as strings. */
function valuesOf(filters: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined || v === null) continue
    if (v === true) out[k] = '1'
    else if (typeof v === 'object' && 'key' in (v as object))
      out[k] = String((v as { key: string }).key)
    else out[k] = String(v)
  }
  return out
}

/** The query string without the page (for the export link and the pager). */
function searchWithoutPage(url: URL): string {
  const params = new URLSearchParams(url.searchParams)
  params.delete('page')
  const s = params.toString()
  return s ? `?${s}` : ''
}

export async function loadReportList(
  kind: ListKind,
  { request, context }: LoaderFunctionArgs,
): Promise<ReportListData> {
  const user = await requireRole(request, context, LIST_READER_ROLES)
  const principal = principalOf(user)
  const url = new URL(request.url)
  const parsed = parseListParams(kind, url.searchParams)
  const [found, options, { t }] = await Promise.all([
    listRows(context.db, principal, kind, parsed.filters, {
      page: parsed.page,
      sort: parsed.sort,
      now: context.now(),
    }).catch(throwDomainError),
    listFilterOptions(context.db, principal).catch(throwDomainError),
    translatorFor(request),
  ])
  const scopes = listScopes(principal)
  return {
    kind,
    values: valuesOf(parsed.filters as Record<string, unknown>),
    sort: found.sort,
    sorts: [...LIST_SORTS[kind]],
    invalid: parsed.invalid,
    fields: fieldsOf(kind, options),
    total: found.total,
    page: found.page,
    pageCount: found.pageCount,
    columns: LIST_COLUMNS[kind].map((c) => ({
      id: c.id,
      numeric: c.type !== 'text' && c.type !== 'datetime',
    })),
    rows: pageCells(kind, found.rows as ListRowByKind[typeof kind][], t),
    search: searchWithoutPage(url),
    org: found.org?.name ?? null,
    scopes: [...new Set(user.memberships.filter((m) => scopes.includes(m)).map((m) => m.orgName))],
  }
}

/** The whole filtered set as a streamed .xlsx download. */
export async function exportReportList(kind: ListKind, { request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, LIST_READER_ROLES)
  const { filters } = parseListFilters(kind, new URL(request.url).searchParams)
  const now = context.now()
  const stream = await exportList(context.db, principalOf(user), kind, filters, { now }).catch(
    throwDomainError,
  )
  stream.on('error', (err) => context.logger.error({ err, kind }, 'list export failed'))
  const file = exportFileName(kind, filters, now)
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': xlsxDisposition(file.ascii, file.name),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
