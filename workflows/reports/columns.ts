import type { TFunction } from 'i18next'
import type { CaseReportRow } from '#db/queries/reports/cases.ts'
import type { EnterpriseReportRow } from '#db/queries/reports/enterprises.ts'
import type { OutcomeReportRow } from '#db/queries/reports/outcomes.ts'
import type { VisitReportRow } from '#db/queries/reports/visits.ts'
import type { ListKind } from './list-filters.ts'

/**
 * One column spec per list, used by both the page's table and the Excel
 * sheet, so the two never drift apart: the header (a translation key under
 * reports.columns.<kind>), the cell value and its type (which gives the
 * Excel number format and the page's formatting).
 */

export type CellType = 'text' | 'int' | 'money' | 'decimal' | 'datetime'
/** Money is the exact yuan string; dates are instants (shown in Beijing time). */
export type CellValue = string | number | Date | null

export interface ColumnSpec<R> {
  id: string
  type: CellType
  /** Excel column width (characters). */
  width: number
  value: (row: R, t: TFunction) => CellValue
  /** The page links the cell here. */
  href?: (row: R) => string
}

export const NUM_FMT: Record<CellType, string | undefined> = {
  text: undefined,
  int: '#,##0',
  money: '#,##0.00',
  decimal: '#,##0.00',
  datetime: 'yyyy-mm-dd hh:mm',
}

const orNull = (v: string | null | undefined) => (v === undefined || v === '' ? null : v)
const label = (t: TFunction, prefix: string, code: string | null) =>
  code ? t(`${prefix}.${code}`, { defaultValue: code }) : null
const yesNo = (t: TFunction, v: boolean) => t(v ? 'reports.yes' : 'reports.no')

/** The org and the enterprise's place, as the cases and the enterprises lists show them. */
const PLACE_COLUMNS: ColumnSpec<{
  orgName: string
  industry: string | null
  district: string | null
  park: string | null
}>[] = [
  { id: 'org', type: 'text', width: 24, value: (r) => r.orgName },
  {
    id: 'industry',
    type: 'text',
    width: 18,
    value: (r, t) => label(t, 'enterprise.industry', r.industry),
  },
  { id: 'district', type: 'text', width: 12, value: (r) => orNull(r.district) },
  { id: 'park', type: 'text', width: 20, value: (r) => orNull(r.park) },
]

const STEWARD_COLUMN: ColumnSpec<{ stewardName: string | null }> = {
  id: 'steward',
  type: 'text',
  width: 12,
  value: (r) => r.stewardName,
}

const ENTERPRISE_NAME_COLUMN: ColumnSpec<{ enterpriseName: string }> = {
  id: 'enterprise',
  type: 'text',
  width: 28,
  value: (r) => r.enterpriseName,
}

/** The case a visit or an outcome belongs to, linked to that tab of the case. */
const caseColumn = (
  tab: 'visits' | 'outcomes',
): ColumnSpec<{ caseId: number; caseTitle: string }> => ({
  id: 'case',
  type: 'text',
  width: 30,
  value: (r) => r.caseTitle,
  href: (r) => `/needs-lists/${r.caseId}/${tab}`,
})

export const CASE_COLUMNS: ColumnSpec<CaseReportRow>[] = [
  { id: 'id', type: 'int', width: 8, value: (r) => r.id },
  {
    id: 'title',
    type: 'text',
    width: 32,
    value: (r) => r.title,
    href: (r) => `/needs-lists/${r.id}`,
  },
  ENTERPRISE_NAME_COLUMN,
  ...PLACE_COLUMNS,
  { id: 'status', type: 'text', width: 12, value: (r, t) => label(t, 'status', r.status) },
  STEWARD_COLUMN,
  { id: 'filedAt', type: 'datetime', width: 17, value: (r) => r.filedAt },
  { id: 'closedAt', type: 'datetime', width: 17, value: (r) => r.closedAt },
  { id: 'dueAt', type: 'datetime', width: 17, value: (r) => r.dueAt },
  { id: 'overdue', type: 'text', width: 8, value: (r, t) => yesNo(t, r.overdue) },
  { id: 'items', type: 'int', width: 8, value: (r) => r.items },
  { id: 'solved', type: 'int', width: 10, value: (r) => r.solved },
  { id: 'benefitEstimated', type: 'money', width: 16, value: (r) => r.benefitEstimated },
  { id: 'benefitConfirmed', type: 'money', width: 16, value: (r) => r.benefitConfirmed },
  { id: 'rating', type: 'decimal', width: 8, value: (r) => r.rating },
]

export const ENTERPRISE_COLUMNS: ColumnSpec<EnterpriseReportRow>[] = [
  {
    id: 'name',
    type: 'text',
    width: 30,
    value: (r) => r.name,
    href: (r) => `/enterprises/${r.id}`,
  },
  { id: 'creditCode', type: 'text', width: 22, value: (r) => r.creditCode },
  ...PLACE_COLUMNS,
  { id: 'tags', type: 'text', width: 24, value: (r) => orNull(r.tags.join('、')) },
  STEWARD_COLUMN,
  { id: 'casesFiled', type: 'int', width: 10, value: (r) => r.casesFiled },
  { id: 'casesClosed', type: 'int', width: 10, value: (r) => r.casesClosed },
  { id: 'lastFiledAt', type: 'datetime', width: 17, value: (r) => r.lastFiledAt },
]

export const VISIT_COLUMNS: ColumnSpec<VisitReportRow>[] = [
  caseColumn('visits'),
  ENTERPRISE_NAME_COLUMN,
  {
    id: 'kind',
    type: 'text',
    width: 12,
    value: (r, t) => label(t, 'visits.kind', r.kind),
    href: (r) => `/visits/${r.id}`,
  },
  { id: 'status', type: 'text', width: 12, value: (r, t) => label(t, 'visits.status', r.status) },
  { id: 'startsAt', type: 'datetime', width: 17, value: (r) => r.startsAt },
  { id: 'place', type: 'text', width: 28, value: (r) => r.place },
  { id: 'experts', type: 'text', width: 24, value: (r) => r.experts },
  { id: 'duration', type: 'int', width: 10, value: (r) => r.durationMinutes },
  { id: 'checkedInAt', type: 'datetime', width: 17, value: (r) => r.checkedInAt },
  { id: 'reportConfirmedAt', type: 'datetime', width: 17, value: (r) => r.reportConfirmedAt },
]

export const OUTCOME_COLUMNS: ColumnSpec<OutcomeReportRow>[] = [
  caseColumn('outcomes'),
  ENTERPRISE_NAME_COLUMN,
  { id: 'item', type: 'text', width: 30, value: (r) => r.itemTitle },
  { id: 'category', type: 'text', width: 14, value: (r, t) => label(t, 'category', r.category) },
  { id: 'result', type: 'text', width: 12, value: (r, t) => label(t, 'outcomes.result', r.result) },
  { id: 'benefit', type: 'money', width: 16, value: (r) => r.benefitYuan },
  {
    id: 'benefitStatus',
    type: 'text',
    width: 10,
    value: (r, t) =>
      r.benefitYuan === null ? null : label(t, 'outcomes.benefitStatus', r.benefitStatus),
  },
  { id: 'workersTrained', type: 'int', width: 10, value: (r) => r.workersTrained },
  { id: 'patents', type: 'int', width: 8, value: (r) => r.patents },
  { id: 'innovations', type: 'int', width: 8, value: (r) => r.innovations },
  { id: 'recordedAt', type: 'datetime', width: 17, value: (r) => r.recordedAt },
]

export interface ListRowByKind {
  cases: CaseReportRow
  enterprises: EnterpriseReportRow
  visits: VisitReportRow
  outcomes: OutcomeReportRow
}

export const LIST_COLUMNS: { [K in ListKind]: ColumnSpec<ListRowByKind[K]>[] } = {
  cases: CASE_COLUMNS,
  enterprises: ENTERPRISE_COLUMNS,
  visits: VISIT_COLUMNS,
  outcomes: OUTCOME_COLUMNS,
}

/** The header's translation key. */
export const headerKey = (kind: ListKind, id: string) => `reports.columns.${kind}.${id}`

/** Beijing wall time of an instant, 'YYYY-MM-DD HH:mm'. */
export function beijingDateTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/** '1234567.50' → '1,234,567.50' without going through a float. */
export function groupDigits(value: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(value)
  if (!m) return value
  return `${m[1]}${(m[2] as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`
}

/** A cell as the page shows it ('' for nothing). */
export function formatCell(type: CellType, value: CellValue): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return beijingDateTime(value)
  if (type === 'int') return groupDigits(String(value))
  if (type === 'money') {
    const s = typeof value === 'number' ? value.toFixed(2) : value
    const [whole, frac = ''] = s.split('.')
    return groupDigits(`${whole}.${frac.padEnd(2, '0').slice(0, 2)}`)
  }
  return String(value)
}

export interface PageCell {
  text: string
  href?: string
  numeric?: boolean
}

/** Rows as the page's table shows them, formatted on the server with the viewer's language. */
export function pageCells<K extends ListKind>(
  kind: K,
  rows: ListRowByKind[K][],
  t: TFunction,
): { key: string; cells: PageCell[] }[] {
  const columns = LIST_COLUMNS[kind] as ColumnSpec<ListRowByKind[K]>[]
  return rows.map((row) => ({
    key: String((row as { id: number }).id),
    cells: columns.map((c) => {
      const text = formatCell(c.type, c.value(row, t))
      const cell: PageCell = { text }
      if (c.href && text) cell.href = c.href(row)
      if (c.type !== 'text' && c.type !== 'datetime') cell.numeric = true
      return cell
    }),
  }))
}
