import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { principalOf } from '#app/auth/session.server.ts'
import { splitBarChart } from '#app/components/charts/bar.server.ts'
import { stageFunnelChart } from '#app/components/charts/funnel.server.ts'
import { monthlyTrendChart } from '#app/components/charts/trend.server.ts'
import {
  BREAKDOWN_ROWS,
  dashboardSearch,
  daysSince,
  fenToYuan,
  formatCount,
  formatPercent,
  formatYuan,
  hoursToDays,
  percentOrNone,
  yuanToFen,
} from '#app/components/dashboard/format.ts'
import { dashboardFrame, dashboardRequest } from '#app/components/dashboard/query.server.ts'
import {
  childrenTargetColumn,
  formatTarget,
  metricColumn,
  targetColumn,
} from '#app/components/dashboard/target-columns.tsx'
import { ChartFigure, type Column, DashTable } from '#app/components/dashboard/ui.tsx'
import { translatorFor } from '#app/i18n/i18n.server.ts'
import { formatDateTime } from '#app/utils/format.ts'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { categoryOptions } from '#app/utils/taxonomy.server.ts'
import { type CategoryOption, categoryLabel } from '#app/utils/taxonomy.ts'
import { loadOverview } from '#workflows/commands/dashboard.ts'
import { BREAKDOWN_DIMS, type BreakdownDim } from '#workflows/dashboard/metrics.ts'
import type { BreakdownRow, OutcomeFigures } from '#workflows/dashboard/types.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'dashboard.tabs.overview')

/** Dimensions drawn as a bar chart besides their table (the rest are tables only). */
const CHARTED: readonly BreakdownDim[] = ['category', 'district', 'park']

/** The label of a breakdown key in the UI language ('' is "not given"). */
function keyLabel(
  dim: BreakdownDim,
  key: string,
  t: TFunction,
  locale: string,
  categories: readonly CategoryOption[],
): string {
  if (key === '') return t('dashboard.notSet')
  switch (dim) {
    case 'category':
      return categoryLabel(categories, key, t, locale)
    case 'industry':
      return t(`enterprise.industry.${key}`, { defaultValue: key })
    case 'tag':
      return t(`enterprise.tag.${key}`, { defaultValue: key })
    default:
      return key
  }
}

/** Month axis labels in the UI language ('1月' / 'Jan'). */
function monthLabel(month: string, locale: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  )
}

/**
 * The overview of an org's subtree over a period, with the charts drawn here
 * on the server (SVG) in the reader's language.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, query } = await dashboardRequest(request, context)
  const now = context.now()
  const [overview, categories, { t, locale }] = await Promise.all([
    loadOverview(context.db, principalOf(user), {
      orgId: query.orgId,
      period: query.period,
      now,
    }).catch(throwDomainError),
    categoryOptions(context.db),
    translatorFor(request),
  ])

  // The largest keys only (they come sorted): a country has thousands of parks;
  // the periodic report's workbook lists them all.
  const breakdowns = Object.fromEntries(
    BREAKDOWN_DIMS.map((dim) => [
      dim,
      overview.breakdowns[dim].slice(0, BREAKDOWN_ROWS).map((row) => ({
        ...row,
        label: keyLabel(dim, row.key, t, locale, categories),
      })),
    ]),
  ) as Record<BreakdownDim, (BreakdownRow & { label: string })[]>
  const breakdownMore = Object.fromEntries(
    BREAKDOWN_DIMS.map((dim) => [
      dim,
      Math.max(0, overview.breakdowns[dim].length - BREAKDOWN_ROWS),
    ]),
  ) as Record<BreakdownDim, number>

  const started = performance.now()
  const charts = {
    funnel: stageFunnelChart(
      overview.pipeline.byStage.map((s) => ({
        label: t(`status.${s.stage}`, { defaultValue: s.stage }),
        value: s.cases,
      })),
      t('dashboard.pipeline.series'),
    ),
    trend: monthlyTrendChart(
      overview.months.map((m) => monthLabel(m.month, locale)),
      [
        {
          name: t('dashboard.columns.casesFiled'),
          kind: 'bar',
          values: overview.months.map((m) => m.casesFiled),
        },
        {
          name: t('dashboard.columns.casesClosed'),
          kind: 'bar',
          values: overview.months.map((m) => m.casesClosed),
        },
        {
          name: t('dashboard.columns.problemsSolved'),
          kind: 'line',
          values: overview.months.map((m) => m.problemsSolved),
        },
      ],
    ),
    breakdown: Object.fromEntries(
      CHARTED.map((dim) => [
        dim,
        splitBarChart(
          breakdowns[dim].map((r) => ({
            label: r.label,
            value: dim === 'category' ? r.itemsClosed : r.casesClosed,
          })),
          t(dim === 'category' ? 'dashboard.breakdown.seriesItems' : 'dashboard.breakdown.series'),
        ),
      ]),
    ) as Partial<Record<BreakdownDim, ReturnType<typeof splitBarChart>>>,
  }
  context.logger.debug({ ms: Math.round(performance.now() - started) }, 'dashboard charts rendered')

  return {
    frame: dashboardFrame(overview, overview.asOf),
    now,
    org: overview.org,
    period: { key: overview.period.key, year: overview.period.year, kind: overview.period.kind },
    pipeline: overview.pipeline,
    figures: overview.figures,
    previous: overview.previous,
    stageTimes: overview.stageTimes,
    sla: overview.sla,
    overdueByStage: overview.overdueByStage,
    overdue: overview.overdue,
    children: overview.children,
    breakdowns,
    breakdownMore,
    months: overview.months.map((m) => ({ ...m, label: monthLabel(m.month, locale) })),
    targets: overview.targets,
    charts,
    notices: query.notices,
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function DashboardOverview() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const q = (extra: Record<string, string> = {}) =>
    dashboardSearch(data.org.id, data.period.key, extra)
  return (
    <div className="dash-overview">
      <nav className="card dash-links" aria-label={t('dashboard.links.title')}>
        <Link to={`/reports/cases${q()}`}>{t('dashboard.links.cases')}</Link>
        <Link to={`/reports/periodic${q()}`}>{t('dashboard.links.periodic')}</Link>
      </nav>
      <Pipeline data={data} />
      <Figures data={data} />
      <Targets data={data} />
      <StageTimes data={data} />
      <Overdue data={data} />
      <Children data={data} />
      <Breakdowns data={data} />
      <Months data={data} />
    </div>
  )
}

function Pipeline({ data }: { data: Data }) {
  const { t } = useTranslation()
  const org = String(data.org.id)
  const stat = (label: string, value: number, to: string, id: string) => (
    <div className="dash-stat" data-testid={id}>
      <span className="dash-stat-label">{label}</span>
      <Link to={to} className="dash-stat-value">
        {formatCount(value)}
      </Link>
    </div>
  )
  const list = (params: Record<string, string>) =>
    `/reports/cases?${new URLSearchParams({ org, ...params })}`
  return (
    <section className="card dash-section" aria-labelledby="pipeline-title">
      <h2 id="pipeline-title">{t('dashboard.pipeline.title')}</h2>
      <p className="muted">{t('dashboard.pipeline.intro')}</p>
      <div className="dash-stats">
        {stat(t('dashboard.pipeline.open'), data.pipeline.open, list({ status: 'open' }), 'open')}
        {stat(
          t('dashboard.pipeline.overdue'),
          data.pipeline.overdue,
          list({ status: 'open', overdue: '1' }),
          'overdue',
        )}
        {stat(
          t('dashboard.pipeline.filed'),
          data.figures.casesFiled,
          list({ period: data.period.key }),
          'filed',
        )}
        {stat(
          t('dashboard.pipeline.closed'),
          data.figures.casesClosed,
          list({ period: data.period.key, periodBy: 'closed' }),
          'closed',
        )}
      </div>
      <div className="dash-pair">
        <ChartFigure
          chart={data.charts.funnel}
          caption={t('dashboard.pipeline.chart')}
          id="funnel"
        />
        {data.pipeline.open === 0 ? (
          <p className="muted">{t('dashboard.pipeline.noneOpen')}</p>
        ) : (
          <DashTable
            caption={t('dashboard.pipeline.chart')}
            hiddenCaption
            columns={[
              stageColumn(t, t('dashboard.pipeline.stage'), 'status'),
              countColumn(t('dashboard.pipeline.cases'), 'cases'),
            ]}
            rows={data.pipeline.byStage}
            rowKey={(s) => s.stage}
          />
        )}
      </div>
    </section>
  )
}

/** "Up 3 on the previous period" for counts. */
function countChange(t: TFunction, now: number, before: number): string {
  const d = now - before
  if (d === 0) return t('dashboard.figures.same')
  return t(d > 0 ? 'dashboard.figures.up' : 'dashboard.figures.down', {
    value: formatCount(Math.abs(d)),
  })
}

function yuanChange(t: TFunction, now: string, before: string): string {
  const d = yuanToFen(now) - yuanToFen(before)
  if (d === 0n) return t('dashboard.figures.same')
  return t(d > 0n ? 'dashboard.figures.up' : 'dashboard.figures.down', {
    value: formatYuan(fenToYuan(d < 0n ? -d : d)),
  })
}

type CountKey =
  | 'enterprisesServed'
  | 'problemsSolved'
  | 'expertParticipations'
  | 'workersTrained'
  | 'agreementsSigned'

function Figures({ data }: { data: Data }) {
  const { t } = useTranslation()
  const cur: OutcomeFigures = data.figures
  const prev: OutcomeFigures = data.previous
  const countCard = (key: CountKey, extra?: React.ReactNode) => (
    <div className="dash-card" key={key} data-testid={`figure-${key}`}>
      <h3>{t(`dashboard.figures.${key}`)}</h3>
      <p className="dash-card-value">{formatCount(cur[key])}</p>
      {extra}
      <p className="muted dash-card-prev">
        {t('dashboard.figures.previous', { value: formatCount(prev[key]) })} ·{' '}
        {countChange(t, cur[key], prev[key])}
      </p>
    </div>
  )
  return (
    <section className="card dash-section" aria-labelledby="figures-title">
      <h2 id="figures-title">{t('dashboard.figures.title')}</h2>
      <p className="muted">{t('dashboard.figures.intro')}</p>
      <div className="dash-cards">
        {countCard('enterprisesServed')}
        {countCard(
          'problemsSolved',
          <p className="dash-card-sub">
            {t('dashboard.figures.partlySolved', { count: cur.partlySolved })}
          </p>,
        )}
        {countCard('expertParticipations')}
        {countCard('workersTrained')}
        <div className="dash-card dash-card-wide" data-testid="figure-benefit">
          <h3>{t('dashboard.figures.benefit')}</h3>
          <p className="dash-card-value">{formatYuan(cur.benefitTotal)}</p>
          <p className="dash-card-sub">
            {t('dashboard.figures.benefitEstimated', { amount: formatYuan(cur.benefitEstimated) })}{' '}
            ·{' '}
            {t('dashboard.figures.benefitConfirmed', { amount: formatYuan(cur.benefitConfirmed) })}
          </p>
          <p className="muted dash-card-prev">
            {t('dashboard.figures.previous', { value: formatYuan(prev.benefitTotal) })} ·{' '}
            {yuanChange(t, cur.benefitTotal, prev.benefitTotal)}
          </p>
        </div>
        {countCard('agreementsSigned')}
        <div className="dash-card" data-testid="figure-rating">
          <h3>{t('dashboard.figures.averageRating')}</h3>
          <p className="dash-card-value">{cur.averageRating ?? t('dashboard.none')}</p>
          <p className="dash-card-sub">
            {cur.ratingCount > 0
              ? t('dashboard.figures.ratingCount', { count: cur.ratingCount })
              : t('dashboard.figures.noRating')}
          </p>
          <p className="muted dash-card-prev">
            {t('dashboard.figures.previous', {
              value: prev.averageRating ?? t('dashboard.figures.noRating'),
            })}
          </p>
        </div>
      </div>
      <p>
        <Link
          to={`/dashboard/experts${dashboardSearch(data.org.id, data.period.key, { idle: '1' })}`}
        >
          {t('dashboard.experts.idleLink')}
        </Link>
      </p>
    </section>
  )
}

function Targets({ data }: { data: Data }) {
  const { t } = useTranslation()
  return (
    <section className="card dash-section" aria-labelledby="targets-title">
      <h2 id="targets-title">{t('dashboard.targets.titleYear', { year: data.period.year })}</h2>
      {data.period.kind !== 'year' ? (
        <p className="muted">{t('dashboard.targets.intro', { year: data.period.year })}</p>
      ) : null}
      <DashTable
        className="dash-table dash-targets"
        columns={[
          metricColumn(t),
          {
            label: t('dashboard.targets.actual'),
            num: true,
            cell: (row) => formatTarget(row.metric, row.actual),
          },
          targetColumn(t),
          { label: t('dashboard.targets.progress'), cell: (row) => <Progress row={row} /> },
          childrenTargetColumn(t),
        ]}
        rows={data.targets}
        rowKey={(row) => row.metric}
        rowProps={(row) => ({ 'data-testid': `target-${row.metric}` })}
      />
      <p className="dash-noprint">
        <Link to={`/dashboard/targets${dashboardSearch(data.org.id, data.period.key)}`}>
          {t('dashboard.targets.edit')}
        </Link>
      </p>
    </section>
  )
}

/** The bar of a target's progress, or "none" without a target. */
function Progress({ row }: { row: Data['targets'][number] }) {
  const { t } = useTranslation()
  if (row.progress === null) return <span className="muted">{t('dashboard.none')}</span>
  return (
    <div
      className="dash-bar"
      title={t('dashboard.targets.progressLabel', { metric: t(`dashboard.metric.${row.metric}`) })}
    >
      <span
        className={row.progress >= 1 ? 'dash-bar-fill done' : 'dash-bar-fill'}
        style={{ width: `${Math.min(100, row.progress * 100)}%` }}
      />
      <span className="dash-bar-text">
        {t('dashboard.percent', { value: formatPercent(row.progress) })}
      </span>
    </div>
  )
}

/** A right-aligned column of the rows' count `key`. */
function countColumn<K extends string>(label: string, key: K): Column<Record<K, number>> {
  return { label, num: true, cell: (row) => formatCount(row[key]) }
}

/** The stage as the row header, named as a workflow state or as a deadline stage. */
function stageColumn<R extends { stage: string }>(
  t: TFunction,
  label: string,
  names: 'status' | 'deadlines.stage',
): Column<R> {
  return {
    label,
    rowHead: true,
    cell: (row) => t(`${names}.${row.stage}`, { defaultValue: row.stage }),
  }
}

/** Two columns for a time: in days (one decimal) and in whole hours. */
function durationColumns<K extends string>(
  t: TFunction,
  labels: [days: string, hours: string],
  key: K,
): Column<Record<K, number | null>>[] {
  const cell = (show: (h: number) => string) => (row: Record<K, number | null>) => {
    const h = row[key]
    return h === null ? t('dashboard.none') : show(h)
  }
  return [
    { label: labels[0], num: true, cell: cell(hoursToDays) },
    { label: labels[1], num: true, cell: cell(formatCount) },
  ]
}

function StageTimes({ data }: { data: Data }) {
  const { t } = useTranslation()
  return (
    <section className="card dash-section dash-split" aria-label={t('dashboard.stageTimes.title')}>
      <div>
        <h2>{t('dashboard.stageTimes.title')}</h2>
        <p className="muted">{t('dashboard.stageTimes.intro')}</p>
        {data.stageTimes.length === 0 ? (
          <p className="muted">{t('dashboard.empty')}</p>
        ) : (
          <DashTable
            testId="stage-times"
            columns={[
              stageColumn(t, t('dashboard.stageTimes.stage'), 'status'),
              countColumn(t('dashboard.stageTimes.spans'), 'spans'),
              ...durationColumns(
                t,
                [t('dashboard.stageTimes.medianDays'), t('dashboard.stageTimes.medianHours')],
                'medianHours',
              ),
              ...durationColumns(
                t,
                [t('dashboard.stageTimes.p90Days'), t('dashboard.stageTimes.p90Hours')],
                'p90Hours',
              ),
            ]}
            rows={data.stageTimes}
            rowKey={(s) => s.stage}
          />
        )}
      </div>
      <div>
        <h2>{t('dashboard.sla.title')}</h2>
        <p className="muted">{t('dashboard.sla.intro')}</p>
        {data.sla.length === 0 ? (
          <p className="muted">{t('dashboard.empty')}</p>
        ) : (
          <DashTable
            testId="sla"
            columns={[
              stageColumn(t, t('dashboard.sla.stage'), 'deadlines.stage'),
              countColumn(t('dashboard.sla.resolved'), 'resolved'),
              countColumn(t('dashboard.sla.met'), 'met'),
              { label: t('dashboard.sla.rate'), num: true, cell: (s) => percentOrNone(t, s.rate) },
            ]}
            rows={data.sla}
            rowKey={(s) => s.stage}
          />
        )}
      </div>
    </section>
  )
}

function Overdue({ data }: { data: Data }) {
  const { t, i18n } = useTranslation()
  return (
    <section className="card dash-section" aria-labelledby="overdue-title">
      <h2 id="overdue-title">{t('dashboard.overdue.title')}</h2>
      {data.overdueByStage.length === 0 ? (
        <p className="muted">{t('dashboard.overdue.none')}</p>
      ) : (
        <>
          <DashTable
            className="dash-table dash-narrow"
            caption={t('dashboard.overdue.byStage')}
            columns={[
              stageColumn(t, t('dashboard.overdue.stage'), 'deadlines.stage'),
              countColumn(t('dashboard.overdue.count'), 'count'),
            ]}
            rows={data.overdueByStage}
            rowKey={(s) => s.stage}
          />
          <DashTable
            testId="overdue-items"
            caption={t('dashboard.overdue.items')}
            columns={[
              {
                label: t('dashboard.overdue.item'),
                cell: (o) => (
                  <>
                    <span className="muted">{t(`dashboard.overdue.kind.${o.kind}`)}</span>{' '}
                    <Link to={`/needs-lists/${o.needsListId}`}>{o.title}</Link>
                  </>
                ),
              },
              {
                label: t('dashboard.overdue.stage'),
                cell: (o) => t(`deadlines.stage.${o.stage}`, { defaultValue: o.stage }),
              },
              {
                label: t('dashboard.overdue.dueAt'),
                cell: (o) => formatDateTime(o.dueAt, i18n.language),
              },
              {
                label: t('dashboard.overdue.overdueFor'),
                num: true,
                cell: (o) => t('dashboard.overdue.days', { count: daysSince(o.dueAt, data.now) }),
              },
              {
                label: t('dashboard.overdue.owner'),
                cell: (o) => o.ownerName ?? t('dashboard.overdue.coordinators'),
              },
              { label: t('dashboard.overdue.org'), cell: (o) => o.orgName },
            ]}
            rows={data.overdue}
            rowKey={(o) => `${o.kind}-${o.needsListId}-${o.stage}-${String(o.dueAt)}`}
          />
        </>
      )}
    </section>
  )
}

/** Summed figures a table can show, each under 'dashboard.columns.<figure>'. */
type Figure = Exclude<keyof OutcomeFigures, 'benefitEstimated' | 'benefitConfirmed' | 'ratingCount'>

/** Columns of summed figures: counts grouped, money in yuan, the rating or "none". */
function figureColumns<K extends Figure>(
  t: TFunction,
  figures: readonly K[],
): Column<Pick<OutcomeFigures, K>>[] {
  return figures.map((figure) => ({
    label: t(`dashboard.columns.${figure}`),
    num: true,
    cell: (row) => {
      const value: OutcomeFigures[Figure] = row[figure]
      if (figure === 'benefitTotal') return formatYuan(value as string)
      if (figure === 'averageRating') return value ?? t('dashboard.none')
      return formatCount(value as number)
    },
  }))
}

function Children({ data }: { data: Data }) {
  const { t } = useTranslation()
  if (data.children.length === 0) return null
  const columns: Column<Data['children'][number]>[] = [
    {
      label: t('dashboard.children.org'),
      rowHead: true,
      cell: (c) => (
        <Link to={`/dashboard${dashboardSearch(c.org.id, data.period.key)}`}>{c.org.name}</Link>
      ),
    },
    countColumn(t('dashboard.children.open'), 'openCases'),
    ...figureColumns(t, [
      'casesFiled',
      'casesClosed',
      'enterprisesServed',
      'problemsSolved',
      'expertParticipations',
      'workersTrained',
      'benefitTotal',
      'agreementsSigned',
      'averageRating',
    ]),
  ]
  return (
    <section className="card dash-section" aria-labelledby="children-title">
      <h2 id="children-title">{t('dashboard.children.title')}</h2>
      <p className="muted dash-noprint">{t('dashboard.children.intro')}</p>
      <div className="dash-scroll">
        <DashTable
          testId="children"
          columns={columns}
          rows={data.children}
          rowKey={(c) => c.org.id}
        />
      </div>
    </section>
  )
}

function Breakdowns({ data }: { data: Data }) {
  const { t } = useTranslation()
  return (
    <section className="card dash-section" aria-labelledby="breakdowns-title">
      <h2 id="breakdowns-title">{t('dashboard.breakdown.title')}</h2>
      {BREAKDOWN_DIMS.map((dim) => (
        <Breakdown key={dim} dim={dim} data={data} />
      ))}
    </section>
  )
}

function Breakdown({ dim, data }: { dim: BreakdownDim; data: Data }) {
  const { t } = useTranslation()
  const rows = data.breakdowns[dim]
  const dimLabel = t(`dashboard.breakdown.dim.${dim}`)
  const chart = data.charts.breakdown[dim]
  const caseLink = (key: string) =>
    `/reports/cases?${new URLSearchParams({
      org: String(data.org.id),
      period: data.period.key,
      periodBy: 'closed',
      [dim]: key,
    })}`
  const columns: Column<(typeof rows)[number]>[] = [
    {
      label: t('dashboard.breakdown.key'),
      rowHead: true,
      cell: (r) => (r.key === '' ? r.label : <Link to={caseLink(r.key)}>{r.label}</Link>),
    },
    ...figureColumns(t, [
      'casesFiled',
      'casesClosed',
      'itemsClosed',
      'problemsSolved',
      'partlySolved',
      'workersTrained',
      'benefitTotal',
    ]),
  ]
  return (
    <div className="dash-breakdown" data-testid={`breakdown-${dim}`}>
      <h3>{dimLabel}</h3>
      {dim === 'category' ? <p className="muted">{t('dashboard.breakdown.categoryNote')}</p> : null}
      {dim === 'tag' ? <p className="muted">{t('dashboard.breakdown.tagNote')}</p> : null}
      {rows.length === 0 ? (
        <p className="muted">{t('dashboard.empty')}</p>
      ) : (
        <>
          {chart !== undefined ? (
            <ChartFigure
              chart={chart}
              id={`chart-${dim}`}
              caption={t(
                dim === 'category' ? 'dashboard.breakdown.chartItems' : 'dashboard.breakdown.chart',
                { dim: dimLabel },
              )}
            />
          ) : null}
          <div className="dash-scroll">
            <DashTable
              caption={dimLabel}
              hiddenCaption
              columns={columns}
              rows={rows}
              rowKey={(r) => r.key}
            />
          </div>
          {data.breakdownMore[dim] > 0 ? (
            <p className="muted">
              {t('dashboard.breakdown.more', { count: data.breakdownMore[dim] })}{' '}
              <Link
                to={`/reports/periodic?${new URLSearchParams({
                  org: String(data.org.id),
                  period: data.period.key,
                })}`}
              >
                {t('dashboard.breakdown.moreLink')}
              </Link>
            </p>
          ) : null}
        </>
      )}
    </div>
  )
}

function Months({ data }: { data: Data }) {
  const { t } = useTranslation()
  if (data.months.length <= 1) return null
  const columns: Column<Data['months'][number]>[] = [
    { label: t('dashboard.months.month'), rowHead: true, cell: (m) => m.month },
    ...figureColumns(t, [
      'casesFiled',
      'casesClosed',
      'problemsSolved',
      'expertParticipations',
      'workersTrained',
      'benefitTotal',
      'agreementsSigned',
    ]),
  ]
  return (
    <section className="card dash-section" aria-labelledby="months-title">
      <h2 id="months-title">{t('dashboard.months.title')}</h2>
      <ChartFigure chart={data.charts.trend} caption={t('dashboard.months.chart')} id="trend" />
      <div className="dash-scroll">
        <DashTable testId="months" columns={columns} rows={data.months} rowKey={(m) => m.month} />
      </div>
    </section>
  )
}
