import type { Db } from '#db/client.server.ts'
import {
  type ExpertSort,
  expertFigures,
  idleExpertCount,
  isExpertSort,
} from '#db/queries/dashboard/experts.ts'
import {
  enterprisesServed,
  type FigureSums,
  figuresByDimension,
  figuresByMonth,
  figuresByOrg,
  orgFigures,
  slaByStage,
  stageHours,
  ZERO_SUMS,
} from '#db/queries/dashboard/figures.ts'
import {
  type OverdueInput,
  openCasesByChild,
  openCasesByState,
  overdueNow,
} from '#db/queries/dashboard/pipeline.ts'
import { dashboardAsOf, refreshDashboard } from '#db/queries/dashboard/refresh.ts'
import {
  DASHBOARD_PAGE_SIZE,
  isStewardSort,
  type StewardSort,
  stewardFigures,
  stewardOpenByStage,
} from '#db/queries/dashboard/stewards.ts'
import {
  childTargetSums,
  childTargets,
  deleteTarget,
  targetsOf,
  upsertTarget,
} from '#db/queries/dashboard/targets.ts'
import { ancestryOf, childOrgs, getOrg, isInSubtree } from '#db/queries/orgs.ts'
import type { Role } from '#db/schema.ts'
import { type Principal, type PrincipalMembership, scopesFor } from '../access.ts'
import { OPEN_CASE_STATES } from '../case-states.ts'
import {
  BREAKDOWN_DIMS,
  type BreakdownDim,
  TARGET_METRICS,
  type TargetMetric,
} from '../dashboard/metrics.ts'
import { makePeriod, monthsOf, type Period, previousPeriod } from '../dashboard/period.ts'
import { MONEY_METRICS, targetsSchema, targetYearSchema } from '../dashboard/targets.schema.ts'
import type {
  BreakdownRow,
  ChildRow,
  DashboardOverview,
  ExpertRow,
  MonthRow,
  OrgRef,
  OutcomeFigures,
  StageSla,
  StageTime,
  StewardRow,
  TargetProgress,
} from '../dashboard/types.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import { INVITATION_DEADLINE_STAGE } from '../machines/invitation.machine.ts'
import { DEADLINE_STAGE_OF_STATE, NEEDS_LIST_STATES } from '../machines/needs-list.machine.ts'
import { SLA_STAGES } from '../sla.ts'

/** Who reads dashboards: union readers, each over their own subtrees. */
export const DASHBOARD_ROLES: Role[] = ['federation_admin', 'coordinator']
/** Who sets targets (for their org or any org below it). */
export const TARGET_SETTER_ROLES: Role[] = ['federation_admin']
/** The longest-overdue list on the overview. */
export const OVERDUE_LIMIT = 20

/** The viewer's dashboard scopes (nested ones dropped); the first is the default. */
export function dashboardScopes(principal: Principal): PrincipalMembership[] {
  return scopesFor(principal, DASHBOARD_ROLES)
}

interface ResolvedOrg {
  org: OrgRef
  trail: OrgRef[]
  scope: PrincipalMembership
}

/**
 * The org a dashboard is about: the given one (which must lie in one of the
 * viewer's scopes) or the viewer's first scope. The trail runs from the scope
 * org down to it, never above what the viewer may see.
 */
async function resolveOrg(
  db: Db,
  principal: Principal,
  orgId: number | null | undefined,
): Promise<ResolvedOrg> {
  const scopes = dashboardScopes(principal)
  const first = scopes[0]
  if (!first) throw new ForbiddenError('dashboards are for federation admins and coordinators')
  const id = orgId ?? first.orgId
  const row = await getOrg(db, id)
  if (!row) throw new NotFoundError('union_org', id)
  const scope = scopes.find((s) => isInSubtree(s.orgPath, row.path))
  if (!scope) throw new ForbiddenError('this org is outside your scope')
  const chain = await ancestryOf(db, row.path)
  const trail = chain.filter((o) => isInSubtree(scope.orgPath, o.path)).map(orgRef)
  return { org: orgRef(row), trail, scope }
}

function orgRef(o: { id: number; name: string; path: string; depth: number }): OrgRef {
  return { id: o.id, name: o.name, path: o.path, depth: o.depth }
}

const withServed = (s: FigureSums, enterprisesServed: number): OutcomeFigures => ({
  ...s,
  enterprisesServed,
})

/** Known stages first in their canonical order, any other after them by name. */
function byCanonicalOrder<T extends { stage: string }>(rows: T[], order: readonly string[]): T[] {
  const rank = (s: string) => {
    const i = order.indexOf(s)
    return i === -1 ? order.length : i
  }
  return [...rows].sort((a, b) => rank(a.stage) - rank(b.stage) || a.stage.localeCompare(b.stage))
}

const OVERDUE_INPUT: OverdueInput = {
  openStates: OPEN_CASE_STATES,
  caseStageOf: DEADLINE_STAGE_OF_STATE,
  invitationStage: INVITATION_DEADLINE_STAGE,
  // A visit's deadline while on site is its report, once reported the enterprise's confirmation.
  visitStageOf: { on_site: 'report', reported: 'report_confirmation' },
}

/** A target as shown: whole units for counts, yuan with two decimals for money. */
function showTarget(metric: TargetMetric, value: string | undefined): string | null {
  if (value === undefined) return null
  if (MONEY_METRICS.includes(metric)) return value
  return value.replace(/\.0+$/, '')
}

function actualOf(metric: TargetMetric, f: OutcomeFigures): string {
  switch (metric) {
    case 'enterprises_served':
      return String(f.enterprisesServed)
    case 'problems_solved':
      return String(f.problemsSolved)
    case 'expert_participations':
      return String(f.expertParticipations)
    case 'workers_trained':
      return String(f.workersTrained)
    case 'benefit_yuan':
      return f.benefitTotal
    case 'agreements_signed':
      return String(f.agreementsSigned)
  }
}

function progressRows(
  actual: OutcomeFigures,
  own: Map<string, string>,
  children: Map<string, string>,
): TargetProgress[] {
  return TARGET_METRICS.map((metric) => {
    const target = showTarget(metric, own.get(metric))
    const childrenTarget = showTarget(metric, children.get(metric))
    const a = actualOf(metric, actual)
    const t = target === null ? null : Number(target)
    return {
      metric,
      target,
      childrenTarget,
      actual: a,
      // No ratio against a zero target (nothing to divide by).
      progress: t === null || t === 0 ? null : Number(a) / t,
    }
  })
}

/**
 * The overview of an org's subtree over a period. Summaries are brought up to
 * date first; additive figures come from the org's (and its children's) own
 * summary rows; distinct enterprises from case_fact; the pipeline is live.
 */
export async function loadOverview(
  db: Db,
  principal: Principal,
  input: { orgId?: number | null; period: Period; now: Date },
): Promise<DashboardOverview> {
  const { org, trail } = await resolveOrg(db, principal, input.orgId)
  await refreshDashboard(db, input.now)
  const { period, now } = input
  const prev = previousPeriod(period)
  const year = period.kind === 'year' ? period : makePeriod('year', period.year)
  const children = await childOrgs(db, org.id)
  const childIds = children.map((c) => c.id)

  const [
    asOf,
    figures,
    previous,
    served,
    prevServed,
    childFigures,
    dims,
    months,
    stages,
    sla,
    openStates,
    openChildren,
    overdueAll,
    ownTargets,
    childTargetSum,
    yearFigures,
    yearServed,
  ] = await Promise.all([
    dashboardAsOf(db),
    orgFigures(db, org.id, period),
    orgFigures(db, org.id, prev),
    enterprisesServed(db, org.id, period, childIds),
    enterprisesServed(db, org.id, prev),
    figuresByOrg(db, childIds, period),
    figuresByDimension(db, org.id, period),
    figuresByMonth(db, org.id, period),
    stageHours(db, org.id, period),
    slaByStage(db, org.id, period),
    openCasesByState(db, org.path, OPEN_CASE_STATES),
    openCasesByChild(db, org, OPEN_CASE_STATES),
    overdueNow(db, org.path, now, { ...OVERDUE_INPUT, limit: OVERDUE_LIMIT }),
    targetsOf(db, org.id, period.year),
    childTargetSums(db, org.id, period.year),
    period.kind === 'year' ? null : orgFigures(db, org.id, year),
    period.kind === 'year' ? null : enterprisesServed(db, org.id, year),
  ])

  const { byStage: overdueStages, items: overdue } = overdueAll
  const headline = withServed(figures, served.total)
  const openCount = new Map(openStates.map((r) => [r.stage, r.cases]))
  const byStage = OPEN_CASE_STATES.map((stage) => ({ stage, cases: openCount.get(stage) ?? 0 }))

  const childRows: ChildRow[] = children.map((c) => ({
    org: orgRef(c),
    ...withServed(childFigures.get(c.id) ?? ZERO_SUMS, served.byChild.get(c.id) ?? 0),
    openCases: openChildren.get(c.id) ?? 0,
  }))

  const breakdowns = Object.fromEntries(
    BREAKDOWN_DIMS.map((dim) => [dim, [] as BreakdownRow[]]),
  ) as Record<BreakdownDim, BreakdownRow[]>
  for (const d of dims) {
    const list = breakdowns[d.dim as BreakdownDim]
    if (!list) continue
    const { dim: _dim, key, ...sums } = d
    list.push({ key, ...sums, enterprisesServed: null })
  }
  for (const dim of BREAKDOWN_DIMS) {
    breakdowns[dim].sort(
      (a, b) =>
        b.casesClosed - a.casesClosed || b.casesFiled - a.casesFiled || a.key.localeCompare(b.key),
    )
  }

  const monthRows: MonthRow[] = monthsOf(period).map((month) => ({
    month,
    ...(months.get(month) ?? ZERO_SUMS),
  }))

  const stageTimes: StageTime[] = byCanonicalOrder(stages, NEEDS_LIST_STATES)
  const slaRows: StageSla[] = byCanonicalOrder(sla, SLA_STAGES).map((s) => ({
    ...s,
    rate: s.resolved > 0 ? s.met / s.resolved : null,
  }))

  const yearActual =
    period.kind === 'year' ? headline : withServed(yearFigures ?? ZERO_SUMS, yearServed?.total ?? 0)

  return {
    org,
    trail,
    period,
    asOf,
    pipeline: {
      byStage,
      open: openStates.reduce((n, r) => n + r.cases, 0),
      overdue: overdueStages.reduce((n, r) => n + r.count, 0),
    },
    figures: headline,
    previous: withServed(previous, prevServed.total),
    stageTimes,
    sla: slaRows,
    overdueByStage: overdueStages,
    overdue,
    children: childRows,
    breakdowns,
    months: monthRows,
    targets: progressRows(yearActual, ownTargets, childTargetSum),
  }
}

/** What a paged dashboard list is asked for (an unknown sort falls back to the default). */
interface ListInput<Sort extends string> {
  orgId?: number | null
  period: Period
  now: Date
  page?: number
  sort?: Sort | string | null
}

/** One page of a dashboard list, with the org, period and sort it is of. */
interface ListPage<Row, Sort extends string> {
  org: OrgRef
  trail: OrgRef[]
  period: Period
  rows: Row[]
  total: number
  page: number
  pageSize: number
  sort: Sort
}

/** The page asked for (the first unless a positive integer) and its rows' window. */
function pageWindow(page: number | undefined) {
  const n = Number.isInteger(page) && (page as number) >= 1 ? (page as number) : 1
  return { page: n, limit: DASHBOARD_PAGE_SIZE, offset: (n - 1) * DASHBOARD_PAGE_SIZE }
}

/** Stewards of the subtree (by profile org) with their period figures and rank. */
export async function loadStewards(
  db: Db,
  principal: Principal,
  input: ListInput<StewardSort>,
): Promise<ListPage<StewardRow, StewardSort>> {
  const { org, trail } = await resolveOrg(db, principal, input.orgId)
  await refreshDashboard(db, input.now)
  const { page, limit, offset } = pageWindow(input.page)
  const sort: StewardSort = isStewardSort(input.sort) ? input.sort : 'rank'
  const { rows, total } = await stewardFigures(db, {
    orgPath: org.path,
    period: input.period.key,
    openStates: OPEN_CASE_STATES,
    sort,
    limit,
    offset,
  })
  const stages = await stewardOpenByStage(
    db,
    rows.map((r) => r.userId),
    OPEN_CASE_STATES,
  )
  return {
    org,
    trail,
    period: input.period,
    rows: rows.map((r) => ({
      ...r,
      byStage: byCanonicalOrder(stages.get(r.userId) ?? [], NEEDS_LIST_STATES),
    })),
    total,
    page,
    pageSize: DASHBOARD_PAGE_SIZE,
    sort,
  }
}

/** Experts managed in the subtree with their period activity; idle ones flagged. */
export async function loadExperts(
  db: Db,
  principal: Principal,
  input: ListInput<ExpertSort> & { idleOnly?: boolean },
): Promise<ListPage<ExpertRow, ExpertSort> & { idleOnly: boolean; idleCount: number }> {
  const { org, trail } = await resolveOrg(db, principal, input.orgId)
  const { page, limit, offset } = pageWindow(input.page)
  const sort: ExpertSort = isExpertSort(input.sort) ? input.sort : 'name'
  const idleOnly = input.idleOnly === true
  const bounds = { orgPath: org.path, start: input.period.start, end: input.period.end }
  const [{ rows, total }, idleCount] = await Promise.all([
    expertFigures(db, {
      ...bounds,
      sort,
      idleOnly,
      limit,
      offset,
    }),
    idleExpertCount(db, bounds),
  ])
  return {
    org,
    trail,
    period: input.period,
    rows,
    total,
    page,
    pageSize: DASHBOARD_PAGE_SIZE,
    sort,
    idleOnly,
    idleCount,
  }
}

function parseYear(year: unknown): number {
  const parsed = targetYearSchema.safeParse(year)
  if (!parsed.success) {
    throw new ValidationError(
      'year',
      parsed.error.issues[0]?.message ?? 'dashboard.errors.targetYear',
    )
  }
  return parsed.data
}

function canSetTargets(principal: Principal, orgPath: string): boolean {
  return scopesFor(principal, TARGET_SETTER_ROLES).some((s) => orgPath.startsWith(s.orgPath))
}

/** An org's targets for a year, the sum of its children's, and each child's. */
export async function loadTargets(
  db: Db,
  principal: Principal,
  input: { orgId?: number | null; year: number },
) {
  const { org, trail } = await resolveOrg(db, principal, input.orgId)
  const year = parseYear(input.year)
  const [own, sums, perChild] = await Promise.all([
    targetsOf(db, org.id, year),
    childTargetSums(db, org.id, year),
    childTargets(db, org.id, year),
  ])
  return {
    org,
    trail,
    year,
    canEdit: canSetTargets(principal, org.path),
    rows: TARGET_METRICS.map((metric) => ({
      metric,
      target: showTarget(metric, own.get(metric)),
      childrenTarget: showTarget(metric, sums.get(metric)),
    })),
    children: perChild.map((c) => ({
      org: orgRef(c.org),
      targets: Object.fromEntries(
        TARGET_METRICS.map((m) => [m, showTarget(m, c.targets.get(m))]),
      ) as Record<TargetMetric, string | null>,
    })),
  }
}

/**
 * Sets an org's targets for a year: federation admins of the org or an
 * ancestor only. Every value is checked before anything is written; a blank
 * (or null) value deletes that target; metrics not given stay as they are.
 */
export async function saveTargets(
  db: Db,
  principal: Principal,
  input: {
    orgId: number
    year: number
    values: Partial<Record<TargetMetric, string | null>>
    now: Date
  },
): Promise<{ orgId: number; year: number; saved: TargetMetric[]; deleted: TargetMetric[] }> {
  const org = await getOrg(db, input.orgId)
  if (!org) throw new NotFoundError('union_org', input.orgId)
  if (!canSetTargets(principal, org.path)) {
    throw new ForbiddenError('targets are set by the federation admins of the org or above')
  }
  const year = parseYear(input.year)
  const parsed = targetsSchema.safeParse(input.values ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ValidationError(
      String(issue?.path[0] ?? 'values'),
      issue?.message ?? 'dashboard.errors.targetCount',
    )
  }
  const saved: TargetMetric[] = []
  const deleted: TargetMetric[] = []
  await db.transaction().execute(async (trx) => {
    for (const metric of TARGET_METRICS) {
      const value = parsed.data[metric]
      if (value === undefined) continue
      if (value === null) {
        await deleteTarget(trx, { orgId: org.id, year, metric })
        deleted.push(metric)
      } else {
        await upsertTarget(trx, {
          orgId: org.id,
          year,
          metric,
          value,
          userId: principal.userId,
          at: input.now,
        })
        saved.push(metric)
      }
    }
  })
  return { orgId: org.id, year, saved, deleted }
}
