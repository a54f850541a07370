import type { BreakdownDim, TargetMetric } from './metrics.ts'
import type { Period } from './period.ts'

// What the dashboard, the periodic report and the bench read. Money is yuan as
// an exact decimal string with two decimals ('1234.50'); counts are numbers.

export interface OrgRef {
  id: number
  name: string
  path: string
  depth: number
}

/** Outcome figures over a period (see metrics.ts for each definition). */
export interface OutcomeFigures {
  casesFiled: number
  casesClosed: number
  enterprisesServed: number
  itemsClosed: number
  problemsSolved: number
  partlySolved: number
  expertParticipations: number
  workersTrained: number
  benefitEstimated: string
  benefitConfirmed: string
  /** Estimated plus confirmed. */
  benefitTotal: string
  agreementsSigned: number
  /** Average of the enterprise ratings (1–5, two decimals) or null without any. */
  averageRating: string | null
  ratingCount: number
}

export interface StageCount {
  stage: string
  cases: number
}

export interface StageTime {
  stage: string
  /** Finished stays in the period (left the stage in it). */
  spans: number
  /** Whole hours, to the hour up to three days and to the day beyond; null without stays. */
  medianHours: number | null
  p90Hours: number | null
}

export interface StageSla {
  stage: string
  /** Deadlines over in the period: met (stage left in time) or missed (breach fired). */
  resolved: number
  met: number
  /** met / resolved, 0–1, or null when none resolved. */
  rate: number | null
}

export interface OverdueItem {
  kind: 'case' | 'invitation' | 'visit'
  /** The needs list it belongs to. */
  needsListId: number
  title: string
  stage: string
  dueAt: Date
  /** Who should act: the steward, the invited expert, or null (the org's coordinators). */
  ownerName: string | null
  orgName: string
}

export interface OverdueByStage {
  stage: string
  count: number
}

export interface BreakdownRow extends Omit<OutcomeFigures, 'enterprisesServed'> {
  key: string
  /** Distinct enterprises; only for child orgs (null for other dimensions). */
  enterprisesServed: number | null
}

export interface ChildRow extends OutcomeFigures {
  org: OrgRef
  /** Open cases now (pipeline), in the child's subtree. */
  openCases: number
}

export interface MonthRow extends Omit<OutcomeFigures, 'enterprisesServed'> {
  month: string
}

export interface TargetProgress {
  metric: TargetMetric
  /** The org's own target for the year, or null when it set none. */
  target: string | null
  /** Sum of the child orgs' targets (null when no child set one). */
  childrenTarget: string | null
  actual: string
  /** actual / target, or null without a target. */
  progress: number | null
}

export interface DashboardOverview {
  org: OrgRef
  /** The org and its ancestors down from the top of the viewer's scope (breadcrumbs). */
  trail: OrgRef[]
  period: Period
  /** When the summaries were last brought up to date. */
  asOf: Date
  pipeline: {
    /** Open cases now, by workflow state (stage). */
    byStage: StageCount[]
    open: number
    overdue: number
  }
  figures: OutcomeFigures
  /** The same figures for the previous period of the same kind. */
  previous: OutcomeFigures
  stageTimes: StageTime[]
  sla: StageSla[]
  overdueByStage: OverdueByStage[]
  /** The longest-overdue items (at most 20). */
  overdue: OverdueItem[]
  children: ChildRow[]
  breakdowns: Record<BreakdownDim, BreakdownRow[]>
  months: MonthRow[]
  targets: TargetProgress[]
}

export interface StewardRow {
  userId: number
  name: string
  orgName: string
  /** Enterprises with an open case that the steward is dedicated to, and the capacity. */
  load: number
  capacity: number
  openCases: number
  byStage: StageCount[]
  closedInPeriod: number
  deadlinesResolved: number
  deadlinesMet: number
  onTimeRate: number | null
  averageRating: string | null
  ratingCount: number
  /** 1-based rank by the ranking rule (see stewards query); null when not ranked. */
  rank: number | null
}

export interface ExpertRow {
  expertId: number
  name: string
  orgName: string
  status: string
  /** Pairings made in the period. */
  engagements: number
  /** Visits held (checked in) in the period and their planned hours. */
  visitsHeld: number
  hours: number
  averageRating: string | null
  ratingCount: number
  /** Active, and neither paired nor on a held visit in the period. */
  idle: boolean
}
