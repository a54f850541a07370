import { PassThrough } from 'node:stream'
import type { Db, DbOrTrx } from '#db/client.server.ts'
import { orgsInSubtrees } from '#db/queries/intake.ts'
import {
  boundsOf,
  categoryNames,
  type PeriodicCaseRow,
  topCases,
} from '#db/queries/reports/closed-cases.ts'
import { type Principal, scopesFor } from '#workflows/access.ts'
import { loadOverview } from '#workflows/commands/dashboard.ts'
import { type Period, previousPeriod } from '#workflows/dashboard/period.ts'
import type { DashboardOverview, OrgRef } from '#workflows/dashboard/types.ts'
import {
  type Lang,
  type OwnRow,
  ownRow,
  periodLabel,
  periodSpan,
  reportKindLabel,
  reportTitle,
} from '#workflows/reports/periodic-format.ts'
import {
  type PeriodicWorkbook,
  writePeriodicWorkbook,
} from '#workflows/reports/periodic-workbook.server.ts'

/**
 * The periodic report (月报/季报/年报) a federation sends upward. Its figures
 * are the dashboard overview's (loadOverview), so the two never disagree; the
 * report adds its wording, the cases closed in the period and a workbook in
 * the layout of a statistics form. The case and outcome sheets read case_fact
 * (the per-case facts the summaries are summed from) in keyset batches, so a
 * national year streams with bounded memory.
 */

const UNION_READERS = ['federation_admin', 'coordinator'] as const

/** Cases listed on the page (the workbook has them all). */
export const PAGE_CASE_LIMIT = 200
/** Rows read per query for the detail sheets. */
export const DETAIL_BATCH = 2_000
/** Orgs offered in the org picker, at most this many. */
const PICKER_LIMIT = 300

export interface PeriodicInput {
  orgId?: number | null
  period: Period
  now: Date
}

export type { PeriodicCaseRow, PeriodicWorkbook }

export interface PeriodicReport {
  overview: DashboardOverview
  org: OrgRef
  period: Period
  previous: Period
  title: Record<Lang, string>
  periodLabel: Record<Lang, string>
  periodSpan: Record<Lang, string>
  kindLabel: Record<Lang, string>
  generatedAt: Date
  /** Cases closed in the period, the largest benefit first, at most PAGE_CASE_LIMIT. */
  cases: PeriodicCaseRow[]
  /** Every case closed in the period. */
  casesTotal: number
  caseLimit: number
  /** Service category names (the taxonomy is edited by admins, so it is read, not translated). */
  categoryNames: Record<string, Record<Lang, string>>
  /** The org's own cases (its figures less its children's); null when it has none. */
  own: OwnRow | null
  /** Orgs the viewer may report on, indented by depth (for the picker). */
  orgs: { id: number; name: string; depth: number }[]
}

function wording(org: OrgRef, period: Period) {
  const both = (f: (lang: Lang) => string) => ({ zh: f('zh'), en: f('en') })
  return {
    title: both((l) => reportTitle(org.name, period, l)),
    periodLabel: both((l) => periodLabel(period, l)),
    periodSpan: both((l) => periodSpan(period, l)),
    kindLabel: both((l) => reportKindLabel(period, l)),
  }
}

async function pickableOrgs(db: DbOrTrx, principal: Principal, current: OrgRef) {
  const scopes = scopesFor(principal, [...UNION_READERS])
  const orgs = await orgsInSubtrees(
    db,
    scopes.map((s) => s.orgPath),
    PICKER_LIMIT,
  )
  // The chosen org is offered even when the list stops short of it.
  const offered = orgs.some((o) => o.id === current.id) ? orgs : [...orgs, current]
  const minDepth = Math.min(...offered.map((o) => o.depth))
  return offered.map((o) => ({ id: o.id, name: o.name, depth: o.depth - minDepth }))
}

/**
 * The report for one org (its subtree) and period: the overview's figures
 * plus the wording and the cases closed in the period (the largest benefit
 * first, at most PAGE_CASE_LIMIT; `casesTotal` counts them all).
 * Outside the viewer's scope: ForbiddenError (from loadOverview).
 */
export async function loadPeriodicReport(
  db: Db,
  principal: Principal,
  input: PeriodicInput,
): Promise<PeriodicReport> {
  const overview = await loadOverview(db, principal, input)
  const { org, period } = overview
  const bounds = boundsOf(overview)
  const [cases, names, orgs] = await Promise.all([
    topCases(db, bounds, PAGE_CASE_LIMIT),
    categoryNames(db),
    pickableOrgs(db, principal, org),
  ])
  return {
    overview,
    org,
    period,
    previous: previousPeriod(period),
    ...wording(org, period),
    generatedAt: input.now,
    cases: cases.rows,
    casesTotal: cases.total,
    caseLimit: PAGE_CASE_LIMIT,
    categoryNames: names,
    own: ownRow(overview),
    orgs,
  }
}

/**
 * The report as a streamed .xlsx: 汇总, 下级工会, 分类统计, 月度趋势, 环节时效
 * from the overview; 案件明细 and 成效明细 with every case closed in the
 * period, read `batchSize` cases at a time. Access is checked (and the
 * overview read) before the stream is handed back, so a refusal is an error
 * of this call, not a broken download.
 */
export async function periodicReportWorkbook(
  db: Db,
  principal: Principal,
  input: PeriodicInput,
  options: { batchSize?: number } = {},
): Promise<PeriodicWorkbook> {
  const overview = await loadOverview(db, principal, input)
  const out = new PassThrough() as PassThrough & PeriodicWorkbook
  out.report = { org: overview.org, period: overview.period }
  const size = Math.max(1, Math.min(options.batchSize ?? DETAIL_BATCH, 10_000))
  writePeriodicWorkbook(db, out, overview, input.now, size).catch((err: unknown) => {
    out.destroy(err instanceof Error ? err : new Error(String(err)))
  })
  return out
}
