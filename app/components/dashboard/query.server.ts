import { redirect } from '@remix-run/node'
import { requireRole } from '#app/auth/session.server.ts'
import type { AppContext } from '#app/context.ts'
import { queryId } from '#app/utils/http.server.ts'
import type { DbOrTrx } from '#db/client.server.ts'
import { dashboardAsOf } from '#db/queries/dashboard/refresh.ts'
import { DASHBOARD_ROLES } from '#workflows/commands/dashboard.ts'
import {
  currentYear,
  MAX_YEAR,
  MIN_YEAR,
  makePeriod,
  type Period,
  parsePeriod,
} from '#workflows/dashboard/period.ts'

/** A query parameter the page could not read and replaced by its default. */
export interface QueryNotice {
  kind: 'badPeriod' | 'badOrg'
  /** What was given (shortened), shown back to the reader. */
  value: string
}

export interface DashboardQuery {
  /** The org asked for, or null for the viewer's own (first) scope. */
  orgId: number | null
  period: Period
  notices: QueryNotice[]
}

const shown = (raw: string) => (raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)

function intIn(raw: string | null, min: number, max: number): number | null {
  if (!raw || !/^\d{1,4}$/.test(raw)) return null
  const n = Number(raw)
  return n >= min && n <= max ? n : null
}

/**
 * The period picker posts year, quarter and month as separate selects (a GET
 * form without script): they become the one canonical `period` parameter.
 * Null when the request does not come from the picker.
 */
export function pickedPeriod(params: URLSearchParams): string | null {
  if (!params.has('year')) return null
  const year = intIn(params.get('year'), MIN_YEAR, MAX_YEAR)
  if (year === null) return params.get('year') ?? ''
  const month = intIn(params.get('month'), 1, 12)
  if (month !== null) return makePeriod('month', year, month).key
  const quarter = intIn(params.get('quarter'), 1, 4)
  if (quarter !== null) return makePeriod('quarter', year, quarter).key
  return makePeriod('year', year).key
}

/**
 * Reads `org` and `period` from a dashboard URL. Anything unreadable falls
 * back to the default (the viewer's org, the current Beijing year) with a
 * notice; a picker submission is redirected to the canonical URL.
 */
export function readDashboardQuery(request: Request, now: Date): DashboardQuery {
  const url = new URL(request.url)
  const params = url.searchParams
  const picked = pickedPeriod(params)
  if (picked !== null) {
    const next = new URLSearchParams()
    for (const [k, v] of params) {
      if (k !== 'year' && k !== 'quarter' && k !== 'month' && k !== 'period' && k !== 'page') {
        next.append(k, v)
      }
    }
    next.set('period', picked)
    throw redirect(`${url.pathname}?${next}`)
  }
  const notices: QueryNotice[] = []
  const rawPeriod = (params.get('period') ?? '').trim()
  let period = currentYear(now)
  if (rawPeriod !== '') {
    const parsed = parsePeriod(rawPeriod)
    if (parsed) period = parsed
    else notices.push({ kind: 'badPeriod', value: shown(rawPeriod) })
  }
  const rawOrg = (params.get('org') ?? '').trim()
  let orgId: number | null = null
  if (rawOrg !== '') {
    orgId = queryId(params, 'org')
    if (orgId === null) notices.push({ kind: 'badOrg', value: shown(rawOrg) })
  }
  return { orgId, period, notices }
}

/** The signed-in union reader and what the URL asks for (403 for anyone else). */
export async function dashboardRequest(
  request: Request,
  context: Pick<AppContext, 'db' | 'sessionCookie' | 'now'>,
) {
  const user = await requireRole(request, context, DASHBOARD_ROLES)
  return { user, query: readDashboardQuery(request, context.now()) }
}

/** A page number from the query (anything else is the first page). */
function pageParam(params: URLSearchParams): number {
  const raw = params.get('page') ?? ''
  return /^\d{1,6}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1
}

type Named = { id: number; name: string }

/** What a dashboard page tells the layout (see useDashboardFrame): its org, the trail, the data time. */
export function dashboardFrame(found: { org: Named; trail: readonly Named[] }, asOf: Date) {
  return {
    org: { id: found.org.id, name: found.org.name },
    trail: found.trail.map((o) => ({ id: o.id, name: o.name })),
    asOf,
  }
}

/** The frame of a page that reads no summaries itself (data time from the last refresh), and its org. */
export async function pageFrame(db: DbOrTrx, found: { org: Named; trail: readonly Named[] }) {
  const frame = dashboardFrame(found, await dashboardAsOf(db))
  return { frame, org: { ...frame.org } }
}

/** What a paged list (stewards, experts) asks its command for: org, period, page and sort. */
export function listRequest(request: Request, query: DashboardQuery, now: Date) {
  const params = new URL(request.url).searchParams
  return {
    orgId: query.orgId,
    period: query.period,
    now,
    page: pageParam(params),
    sort: params.get('sort'),
  }
}

/** A paged list's loader data: frame, org, period and the page of rows with its sort. */
export async function listData<Row, Sort extends string>(
  db: DbOrTrx,
  found: {
    org: Named
    trail: readonly Named[]
    period: { key: string }
    rows: Row[]
    total: number
    page: number
    pageSize: number
    sort: Sort
  },
) {
  return {
    ...(await pageFrame(db, found)),
    period: { key: found.period.key },
    rows: found.rows,
    total: found.total,
    page: found.page,
    pageSize: found.pageSize,
    sort: found.sort,
  }
}
