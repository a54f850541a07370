import { type RawBuilder, sql } from 'kysely'
import type { OutcomeFigures, StageSla, StageTime } from '#workflows/dashboard/types.ts'
import type { DbOrTrx } from '../../client.server.ts'

// Readers of the dashboard summaries (org_period_*). Every figure of an org's
// subtree for a reporting period is read from the org's own rows for that
// period's key (they are kept for every ancestor, month, quarter and year), so
// no query here walks the subtree's cases or sums across months.

/**
 * Summed figures as they come from SQL: every outcome figure but the distinct
 * enterprises (counted apart, see enterprisesServed).
 */
export type FigureSums = Omit<OutcomeFigures, 'enterprisesServed'>

export const ZERO_SUMS: FigureSums = {
  casesFiled: 0,
  casesClosed: 0,
  itemsClosed: 0,
  problemsSolved: 0,
  partlySolved: 0,
  expertParticipations: 0,
  workersTrained: 0,
  benefitEstimated: '0.00',
  benefitConfirmed: '0.00',
  benefitTotal: '0.00',
  agreementsSigned: 0,
  averageRating: null,
  ratingCount: 0,
}

// One select list for every grouping; numeric sums keep two decimals even when empty.
const SUMS = sql`
  coalesce(sum(f.cases_filed), 0)::int as "casesFiled",
  coalesce(sum(f.cases_closed), 0)::int as "casesClosed",
  coalesce(sum(f.items_closed), 0)::int as "itemsClosed",
  coalesce(sum(f.problems_solved), 0)::int as "problemsSolved",
  coalesce(sum(f.partly_solved), 0)::int as "partlySolved",
  coalesce(sum(f.expert_participations), 0)::int as "expertParticipations",
  coalesce(sum(f.workers_trained), 0)::int as "workersTrained",
  coalesce(sum(f.benefit_estimated), 0)::numeric(18,2)::text as "benefitEstimated",
  coalesce(sum(f.benefit_confirmed), 0)::numeric(18,2)::text as "benefitConfirmed",
  (coalesce(sum(f.benefit_estimated), 0) + coalesce(sum(f.benefit_confirmed), 0))::numeric(18,2)::text as "benefitTotal",
  coalesce(sum(f.agreements_signed), 0)::int as "agreementsSigned",
  case when coalesce(sum(f.rating_count), 0) > 0
    then round(sum(f.rating_sum) / sum(f.rating_count), 2)::numeric(5,2)::text end as "averageRating",
  coalesce(sum(f.rating_count), 0)::int as "ratingCount"`

/** Normalise driver differences (PGlite and pg both give ints here, but be strict). */
function toSums(r: Record<string, unknown>): FigureSums {
  return {
    casesFiled: Number(r.casesFiled ?? 0),
    casesClosed: Number(r.casesClosed ?? 0),
    itemsClosed: Number(r.itemsClosed ?? 0),
    problemsSolved: Number(r.problemsSolved ?? 0),
    partlySolved: Number(r.partlySolved ?? 0),
    expertParticipations: Number(r.expertParticipations ?? 0),
    workersTrained: Number(r.workersTrained ?? 0),
    benefitEstimated: String(r.benefitEstimated ?? '0.00'),
    benefitConfirmed: String(r.benefitConfirmed ?? '0.00'),
    benefitTotal: String(r.benefitTotal ?? '0.00'),
    agreementsSigned: Number(r.agreementsSigned ?? 0),
    averageRating:
      r.averageRating === null || r.averageRating === undefined ? null : String(r.averageRating),
    ratingCount: Number(r.ratingCount ?? 0),
  }
}

/** A reporting period as the summaries key it (see workflows/dashboard/period.ts). */
export interface PeriodRange {
  key: string
  fromMonth: string
  toMonth: string
}

const inPeriod = (range: PeriodRange): RawBuilder<boolean> => sql<boolean>`f.period = ${range.key}`

/** The subtree's figures over the months (dim 'all'). */
export async function orgFigures(
  db: DbOrTrx,
  orgId: number,
  range: PeriodRange,
): Promise<FigureSums> {
  const { rows } = await sql<Record<string, unknown>>`
    select ${SUMS} from org_period_figures f
    where f.org_id = ${orgId} and ${inPeriod(range)} and f.dim = 'all'`.execute(db)
  return rows[0] ? toSums(rows[0]) : { ...ZERO_SUMS }
}

/** The figures of each of the given orgs' subtrees (dim 'all'), by org id. */
export async function figuresByOrg(
  db: DbOrTrx,
  orgIds: readonly number[],
  range: PeriodRange,
): Promise<Map<number, FigureSums>> {
  if (orgIds.length === 0) return new Map()
  const { rows } = await sql<Record<string, unknown> & { orgId: number }>`
    select f.org_id as "orgId", ${SUMS} from org_period_figures f
    where f.org_id in (${sql.join([...orgIds])}) and ${inPeriod(range)} and f.dim = 'all'
    group by f.org_id`.execute(db)
  return new Map(rows.map((r) => [Number(r.orgId), toSums(r)]))
}

export interface DimFigures extends FigureSums {
  dim: string
  key: string
}

/** The subtree's figures per breakdown dimension and key (every dim but 'all'). */
export async function figuresByDimension(
  db: DbOrTrx,
  orgId: number,
  range: PeriodRange,
): Promise<DimFigures[]> {
  const { rows } = await sql<Record<string, unknown> & { dim: string; key: string }>`
    select f.dim, f.key, ${SUMS} from org_period_figures f
    where f.org_id = ${orgId} and ${inPeriod(range)} and f.dim <> 'all'
    group by f.dim, f.key`.execute(db)
  return rows.map((r) => ({ dim: String(r.dim), key: String(r.key), ...toSums(r) }))
}

/** The subtree's figures per month (dim 'all'); months without rows are absent. */
export async function figuresByMonth(
  db: DbOrTrx,
  orgId: number,
  range: PeriodRange,
): Promise<Map<string, FigureSums>> {
  const { rows } = await sql<Record<string, unknown> & { month: string }>`
    select f.period as month, ${SUMS} from org_period_figures f
    where f.org_id = ${orgId} and f.dim = 'all' and length(f.period) = 7
      and f.period between ${range.fromMonth} and ${range.toMonth}
    group by f.period`.execute(db)
  return new Map(rows.map((r) => [String(r.month), toSums(r)]))
}

/**
 * Distinct enterprises with a case closed in the period in the org's subtree,
 * and in each child's (`byChild`, keyed by child id): rows of
 * org_period_enterprise, one per enterprise served, so the figure is a count
 * of rows and never sums a distinct count.
 */
export async function enterprisesServed(
  db: DbOrTrx,
  orgId: number,
  range: Pick<PeriodRange, 'key'>,
  childIds: readonly number[] = [],
): Promise<{ total: number; byChild: Map<number, number> }> {
  const ids = [orgId, ...childIds]
  const { rows } = await sql<{ orgId: number; n: number }>`
    select e.org_id as "orgId", count(*)::int as n
    from org_period_enterprise e
    where e.org_id in (${sql.join(ids)}) and e.period = ${range.key}
    group by e.org_id`.execute(db)
  const counts = new Map(rows.map((r) => [Number(r.orgId), Number(r.n)]))
  return {
    total: counts.get(orgId) ?? 0,
    byChild: new Map(childIds.map((id) => [id, counts.get(id) ?? 0])),
  }
}

export type StageHours = StageTime

/**
 * Finished stays per stage in the period, with percentiles as percentile_disc
 * over the histogram (to the hour up to three days, to the day beyond): the
 * smallest `hours` whose cumulative count of stays reaches 0.5 (0.9) of all.
 */
export async function stageHours(
  db: DbOrTrx,
  orgId: number,
  range: PeriodRange,
): Promise<StageHours[]> {
  const { rows } = await sql<StageHours>`
    with h as (
      select f.stage, f.hours, sum(f.spans) as spans
      from org_period_stage_hours f
      where f.org_id = ${orgId} and ${inPeriod(range)}
      group by f.stage, f.hours
    ), c as (
      select stage, hours,
             sum(spans) over (partition by stage order by hours) as cum,
             sum(spans) over (partition by stage) as total
      from h
    )
    select stage, max(total)::int as spans,
           min(hours) filter (where cum * 2 >= total)::int as "medianHours",
           min(hours) filter (where cum * 10 >= total * 9)::int as "p90Hours"
    from c group by stage having max(total) > 0`.execute(db)
  return rows.map((r) => ({
    stage: r.stage,
    spans: Number(r.spans),
    medianHours: r.medianHours === null ? null : Number(r.medianHours),
    p90Hours: r.p90Hours === null ? null : Number(r.p90Hours),
  }))
}

type SlaCounts = Omit<StageSla, 'rate'>

/** Deadlines over in the months, per SLA stage: resolved and met. */
export async function slaByStage(
  db: DbOrTrx,
  orgId: number,
  range: PeriodRange,
): Promise<SlaCounts[]> {
  const { rows } = await sql<SlaCounts>`
    select f.stage, coalesce(sum(f.resolved), 0)::int as resolved, coalesce(sum(f.met), 0)::int as met
    from org_period_sla f
    where f.org_id = ${orgId} and ${inPeriod(range)}
    group by f.stage`.execute(db)
  return rows.map((r) => ({ stage: r.stage, resolved: Number(r.resolved), met: Number(r.met) }))
}
