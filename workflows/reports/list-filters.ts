import { z } from 'zod'
import { makePeriod, type Period, parsePeriod } from '#workflows/dashboard/period.ts'
import { NEEDS_LIST_STATES } from '#workflows/machines/needs-list.machine.ts'
import { VISIT_STATES } from '#workflows/machines/visit.machine.ts'
import { NEED_CATEGORIES } from '#workflows/needs-list.schema.ts'
import { BENEFIT_STATUSES, OUTCOME_RESULTS } from '#workflows/outcomes/aggregate.ts'

/**
 * The federation lists' filters, sorts and page from the query string (the
 * filter form works without JavaScript). One schema per filter, so a bad
 * value resets only that filter and is named in `invalid`.
 */

export const LIST_KINDS = ['cases', 'enterprises', 'visits', 'outcomes'] as const
export type ListKind = (typeof LIST_KINDS)[number]

export const LIST_PAGE_SIZE = 50
export const MAX_PAGE = 100_000

/** Filed cases only: drafts are the enterprise's own business. */
export const CASE_STATES = NEEDS_LIST_STATES.filter((s) => s !== 'draft')
/** Status groups besides the single states: open cases and closed (办结) ones. */
export const CASE_STATUS_GROUPS = ['open', 'closed'] as const
export type CaseStatusFilter = (typeof CASE_STATES)[number] | (typeof CASE_STATUS_GROUPS)[number]

export const VISIT_KINDS = ['inspection', 'follow_up', 'training'] as const
export const INDUSTRY_LETTERS = 'ABCDEFGHIJKLMNOPQRST'.split('')

export const CASE_PERIOD_BY = ['filed', 'closed'] as const
export const OUTCOME_PERIOD_BY = ['recorded', 'closed'] as const
/** Benefit status filter: a status, or no amount at all. */
export const BENEFIT_FILTERS = [...BENEFIT_STATUSES, 'none'] as const

export interface CaseListFilters {
  /** A union org: its subtree (must lie inside the viewer's scope). */
  org?: number
  period?: Period
  /** Which date the period applies to; filed when absent. */
  periodBy?: (typeof CASE_PERIOD_BY)[number]
  status?: CaseStatusFilter
  /** Cases with at least one item of this category. */
  category?: string
  industry?: string
  district?: string
  park?: string
  tag?: string
  /** The case's dedicated steward (user id). */
  steward?: number
  /** Open cases past their current stage's deadline. */
  overdue?: boolean
  /** Part of the case title or the enterprise name. */
  text?: string
}

export interface EnterpriseListFilters {
  org?: number
  industry?: string
  district?: string
  park?: string
  tag?: string
  /** Enterprises with at least one open case. */
  hasOpen?: boolean
  /** Part of the name or credit code. */
  text?: string
}

export interface VisitListFilters {
  org?: number
  /** Visits starting in the period. */
  period?: Period
  status?: (typeof VISIT_STATES)[number]
  kind?: (typeof VISIT_KINDS)[number]
  /** Part of an expert member's name. */
  expert?: string
}

export interface OutcomeListFilters {
  org?: number
  period?: Period
  /** Recorded in the period, or the case closed in it; recorded when absent. */
  periodBy?: (typeof OUTCOME_PERIOD_BY)[number]
  result?: (typeof OUTCOME_RESULTS)[number]
  category?: string
  benefitStatus?: (typeof BENEFIT_FILTERS)[number]
}

export interface ListFiltersByKind {
  cases: CaseListFilters
  enterprises: EnterpriseListFilters
  visits: VisitListFilters
  outcomes: OutcomeListFilters
}
export type ListFilters<K extends ListKind = ListKind> = ListFiltersByKind[K]

export const LIST_SORTS = {
  cases: ['filed', 'closed', 'due', 'title', 'enterprise'],
  enterprises: ['name', 'filed', 'last'],
  visits: ['starts', 'case', 'enterprise'],
  outcomes: ['recorded', 'benefit', 'case'],
} as const satisfies Record<ListKind, readonly string[]>
export type ListSortKey<K extends ListKind = ListKind> = (typeof LIST_SORTS)[K][number]
export type SortDir = 'asc' | 'desc'

export interface ListSort<K extends ListKind = ListKind> {
  key: ListSortKey<K>
  dir: SortDir
}

export const DEFAULT_SORTS: { [K in ListKind]: ListSort<K> } = {
  cases: { key: 'filed', dir: 'desc' },
  enterprises: { key: 'name', dir: 'asc' },
  visits: { key: 'starts', dir: 'desc' },
  outcomes: { key: 'recorded', dir: 'desc' },
}

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const text = (max: number) => z.preprocess(blank, z.string().trim().max(max).optional())
const id = z.preprocess(blank, z.coerce.number().int().positive().max(2_147_483_647).optional())
const flag = z.preprocess(
  blank,
  z
    .literal('1')
    .transform(() => true)
    .optional(),
)
const period = z.preprocess(
  blank,
  z
    .string()
    .transform((v, ctx) => {
      const p = parsePeriod(v)
      if (!p) {
        ctx.addIssue({ code: 'custom', message: 'period' })
        return z.NEVER
      }
      return p
    })
    .optional(),
)
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(blank, z.enum(values).optional())

const FIELDS: { [K in ListKind]: Record<string, z.ZodType> } = {
  cases: {
    org: id,
    period,
    periodBy: oneOf(CASE_PERIOD_BY),
    status: oneOf([...CASE_STATES, ...CASE_STATUS_GROUPS] as unknown as [string, ...string[]]),
    category: oneOf(NEED_CATEGORIES),
    industry: oneOf(INDUSTRY_LETTERS as [string, ...string[]]),
    district: text(60),
    park: text(80),
    tag: text(40),
    steward: id,
    overdue: flag,
    text: text(100),
  },
  enterprises: {
    org: id,
    industry: oneOf(INDUSTRY_LETTERS as [string, ...string[]]),
    district: text(60),
    park: text(80),
    tag: text(40),
    hasOpen: flag,
    text: text(100),
  },
  visits: {
    org: id,
    period,
    status: oneOf(VISIT_STATES),
    kind: oneOf(VISIT_KINDS),
    expert: text(50),
  },
  outcomes: {
    org: id,
    period,
    periodBy: oneOf(OUTCOME_PERIOD_BY),
    result: oneOf(OUTCOME_RESULTS),
    category: oneOf(NEED_CATEGORIES),
    benefitStatus: oneOf(BENEFIT_FILTERS),
  },
}

export interface ParsedList<K extends ListKind> {
  filters: ListFilters<K>
  sort: ListSort<K>
  page: number
  /** Names of the parameters that were malformed and ignored. */
  invalid: string[]
}

/** The filters, sort and page of list `kind` from the query string. */
export function parseListParams<K extends ListKind>(
  kind: K,
  params: URLSearchParams,
): ParsedList<K> {
  const invalid: string[] = []
  const out: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(FIELDS[kind])) {
    const raw = params.get(name)
    if (raw === null) continue
    const parsed = schema.safeParse(raw)
    if (parsed.success) {
      if (parsed.data !== undefined) out[name] = parsed.data
    } else invalid.push(name)
  }
  const sort = { ...DEFAULT_SORTS[kind] } as ListSort<K>
  const rawSort = params.get('sort')
  if (rawSort !== null && rawSort !== '') {
    if ((LIST_SORTS[kind] as readonly string[]).includes(rawSort))
      sort.key = rawSort as ListSortKey<K>
    else invalid.push('sort')
  }
  const rawDir = params.get('dir')
  if (rawDir !== null && rawDir !== '') {
    if (rawDir === 'asc' || rawDir === 'desc') sort.dir = rawDir
    else invalid.push('dir')
  }
  const rawPage = params.get('page')
  let page = 1
  if (rawPage !== null && rawPage !== '') {
    const n = Number(rawPage)
    if (Number.isSafeInteger(n) && n >= 1 && n <= MAX_PAGE) page = n
    else invalid.push('page')
  }
  return { filters: out as ListFilters<K>, sort, page, invalid }
}

/** The filters alone (the export ignores sort and page). */
export function parseListFilters<K extends ListKind>(
  kind: K,
  params: URLSearchParams,
): { filters: ListFilters<K>; invalid: string[] } {
  const { filters, invalid } = parseListParams(kind, params)
  return { filters, invalid }
}

/** A period given as a Period, '2026' / '2026-Q4' / '2026-11', or a year number. */
export type PeriodInput = Period | string | number

/** Filters as callers may write them: the period may be a key or a year. */
export type ListFiltersInput<K extends ListKind = ListKind> = Omit<ListFilters<K>, 'period'> & {
  period?: PeriodInput | null
}

/** The period of a filter input, or undefined (a value that is no period is ignored). */
export function toPeriod(value: PeriodInput | null | undefined): Period | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'number')
    return Number.isInteger(value) ? (parsePeriod(String(value)) ?? undefined) : undefined
  if (typeof value === 'string') return parsePeriod(value) ?? undefined
  // A Period from elsewhere: rebuilt, so its bounds are right whatever was passed.
  return value.kind === 'year'
    ? makePeriod('year', value.year)
    : makePeriod(value.kind, value.year, value.index)
}

/** Filters with their period made a Period (a year number or '2026' key become one). */
export function normaliseFilters<K extends ListKind>(
  filters: ListFiltersInput<K> | ListFilters<K>,
): ListFilters<K> {
  const { period: raw, ...rest } = filters as { period?: PeriodInput | null }
  const period = toPeriod(raw)
  return (period ? { ...rest, period } : rest) as ListFilters<K>
}
