import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { principalOf } from '#app/auth/session.server.ts'
import { splitBarChart } from '#app/components/charts/bar.server.ts'
import { stageFunnelChart } from '#app/components/charts/funnel.server.ts'
import { monthlyTrendChart } from '#app/components/charts/trend.server.ts'
import {
  dashboardSearch,
  daysSince,
  fenToYuan,
  formatCount,
  formatPercent,
  formatYuan,
  hoursToDays,
  yuanToFen,
} from '#app/components/dashboard/format.ts'
import { dashboardRequest } from '#app/components/dashboard/query.server.ts'
import { ChartFigure } from '#app/components/dashboard/ui.tsx'
import { translatorFor } from '#app/i18n/i18n.server.ts'
import { formatDateTime } from '#app/utils/format.ts'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { categoryOptions } from '#app/utils/taxonomy.server.ts'
import { type CategoryOption, categoryLabel } from '#app/utils/taxonomy.ts'
import { loadOverview } from '#workflows/commands/dashboard.ts'
import {
  BREAKDOWN_DIMS,
  type BreakdownDim,
  type TargetMetric,
} from '#workflows/dashboard/metrics.ts'
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

  const breakdowns = Object.fromEntries(
    BREAKDOWN_DIMS.map((dim) => [
      dim,
      overview.breakdowns[dim].map((row) => ({
        ...row,
        label: keyLabel(dim, row.key, t, locale, categories),
      })),
    ]),
  ) as Record<BreakdownDim, (BreakdownRow & { label: string })[]>

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
    frame: {
      org: { id: overview.org.id, name: overview.org.name },
      trail: overview.trail.map((o) => ({ id: o.id, name: o.name })),
      asOf: overview.asOf,
    },
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
          <table className="dash-table">
            <caption className="visually-hidden">{t('dashboard.pipeline.chart')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.pipeline.stage')}</th>
                <th scope="col" className="num">
                  {t('dashboard.pipeline.cases')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.pipeline.byStage.map((s) => (
                <tr key={s.stage}>
                  <th scope="row">{t(`status.${s.stage}`, { defaultValue: s.stage })}</th>
                  <td className="num">{formatCount(s.cases)}</td>
                </tr>
              ))}
            </tbody>
          </table>
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

/** A target value as shown: money with two decimals, counts grouped. */
function targetValue(metric: TargetMetric, value: string): string {
  return metric === 'benefit_yuan' ? formatYuan(value) : formatCount(Number(value))
}

function Targets({ data }: { data: Data }) {
  const { t } = useTranslation()
  return (
    <section className="card dash-section" aria-labelledby="targets-title">
      <h2 id="targets-title">{t('dashboard.targets.titleYear', { year: data.period.year })}</h2>
      {data.period.kind !== 'year' ? (
        <p className="muted">{t('dashboard.targets.intro', { year: data.period.year })}</p>
      ) : null}
      <table className="dash-table dash-targets">
        <thead>
          <tr>
            <th scope="col">{t('dashboard.targets.metric')}</th>
            <th scope="col" className="num">
              {t('dashboard.targets.actual')}
            </th>
            <th scope="col" className="num">
              {t('dashboard.targets.target')}
            </th>
            <th scope="col">{t('dashboard.targets.progress')}</th>
            <th scope="col" className="num">
              {t('dashboard.targets.childrenTarget')}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.targets.map((row) => {
            const pct = row.progress === null ? null : formatPercent(row.progress)
            const label = t(`dashboard.metric.${row.metric}`)
            return (
              <tr key={row.metric} data-testid={`target-${row.metric}`}>
                <th scope="row">{label}</th>
                <td className="num">{targetValue(row.metric, row.actual)}</td>
                <td className="num">
                  {row.target === null
                    ? t('dashboard.targets.noTarget')
                    : targetValue(row.metric, row.target)}
                </td>
                <td>
                  {pct === null || row.progress === null ? (
                    <span className="muted">{t('dashboard.none')}</span>
                  ) : (
                    <div
                      className="dash-bar"
                      title={t('dashboard.targets.progressLabel', { metric: label })}
                    >
                      <span
                        className={row.progress >= 1 ? 'dash-bar-fill done' : 'dash-bar-fill'}
                        style={{ width: `${Math.min(100, row.progress * 100)}%` }}
                      />
                      <span className="dash-bar-text">
                        {t('dashboard.percent', { value: pct })}
                      </span>
                    </div>
                  )}
                </td>
                <td className="num">
                  {row.childrenTarget === null
                    ? t('dashboard.targets.noChildren')
                    : targetValue(row.metric, row.childrenTarget)}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <p className="dash-noprint">
        <Link to={`/dashboard/targets${dashboardSearch(data.org.id, data.period.key)}`}>
          {t('dashboard.targets.edit')}
        </Link>
      </p>
    </section>
  )
}

/** Two cells: the time in days (one decimal) and in whole hours. */
function Duration({ hours }: { hours: number | null }) {
  const { t } = useTranslation()
  if (hours === null) {
    return (
      <>
        <td className="num">{t('dashboard.none')}</td>
        <td className="num">{t('dashboard.none')}</td>
      </>
    )
  }
  return (
    <>
      <td className="num">{hoursToDays(hours)}</td>
      <td className="num">{formatCount(hours)}</td>
    </>
  )
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
          <table className="dash-table" data-testid="stage-times">
            <thead>
              <tr>
                <th scope="col">{t('dashboard.stageTimes.stage')}</th>
                <th scope="col" className="num">
                  {t('dashboard.stageTimes.spans')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.stageTimes.medianDays')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.stageTimes.medianHours')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.stageTimes.p90Days')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.stageTimes.p90Hours')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.stageTimes.map((s) => (
                <tr key={s.stage}>
                  <th scope="row">{t(`status.${s.stage}`, { defaultValue: s.stage })}</th>
                  <td className="num">{formatCount(s.spans)}</td>
                  <Duration hours={s.medianHours} />
                  <Duration hours={s.p90Hours} />
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div>
        <h2>{t('dashboard.sla.title')}</h2>
        <p className="muted">{t('dashboard.sla.intro')}</p>
        {data.sla.length === 0 ? (
          <p className="muted">{t('dashboard.empty')}</p>
        ) : (
          <table className="dash-table" data-testid="sla">
            <thead>
              <tr>
                <th scope="col">{t('dashboard.sla.stage')}</th>
                <th scope="col" className="num">
                  {t('dashboard.sla.resolved')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.sla.met')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.sla.rate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.sla.map((s) => (
                <tr key={s.stage}>
                  <th scope="row">{t(`deadlines.stage.${s.stage}`, { defaultValue: s.stage })}</th>
                  <td className="num">{formatCount(s.resolved)}</td>
                  <td className="num">{formatCount(s.met)}</td>
                  <td className="num">
                    {s.rate === null
                      ? t('dashboard.none')
                      : t('dashboard.percent', { value: formatPercent(s.rate) })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
          <table className="dash-table dash-narrow">
            <caption>{t('dashboard.overdue.byStage')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.overdue.stage')}</th>
                <th scope="col" className="num">
                  {t('dashboard.overdue.count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.overdueByStage.map((s) => (
                <tr key={s.stage}>
                  <th scope="row">{t(`deadlines.stage.${s.stage}`, { defaultValue: s.stage })}</th>
                  <td className="num">{formatCount(s.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="dash-table" data-testid="overdue-items">
            <caption>{t('dashboard.overdue.items')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.overdue.item')}</th>
                <th scope="col">{t('dashboard.overdue.stage')}</th>
                <th scope="col">{t('dashboard.overdue.dueAt')}</th>
                <th scope="col" className="num">
                  {t('dashboard.overdue.overdueFor')}
                </th>
                <th scope="col">{t('dashboard.overdue.owner')}</th>
                <th scope="col">{t('dashboard.overdue.org')}</th>
              </tr>
            </thead>
            <tbody>
              {data.overdue.map((o) => (
                <tr key={`${o.kind}-${o.needsListId}-${o.stage}-${String(o.dueAt)}`}>
                  <td>
                    <span className="muted">{t(`dashboard.overdue.kind.${o.kind}`)}</span>{' '}
                    <Link to={`/needs-lists/${o.needsListId}`}>{o.title}</Link>
                  </td>
                  <td>{t(`deadlines.stage.${o.stage}`, { defaultValue: o.stage })}</td>
                  <td>{formatDateTime(o.dueAt, i18n.language)}</td>
                  <td className="num">
                    {t('dashboard.overdue.days', { count: daysSince(o.dueAt, data.now) })}
                  </td>
                  <td>{o.ownerName ?? t('dashboard.overdue.coordinators')}</td>
                  <td>{o.orgName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}

function Children({ data }: { data: Data }) {
  const { t } = useTranslation()
  if (data.children.length === 0) return null
  return (
    <section className="card dash-section" aria-labelledby="children-title">
      <h2 id="children-title">{t('dashboard.children.title')}</h2>
      <p className="muted dash-noprint">{t('dashboard.children.intro')}</p>
      <div className="dash-scroll">
        <table className="dash-table" data-testid="children">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.children.org')}</th>
              <th scope="col" className="num">
                {t('dashboard.children.open')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.casesFiled')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.casesClosed')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.enterprisesServed')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.problemsSolved')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.expertParticipations')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.workersTrained')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.benefitTotal')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.agreementsSigned')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.averageRating')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.children.map((c) => (
              <tr key={c.org.id}>
                <th scope="row">
                  <Link to={`/dashboard${dashboardSearch(c.org.id, data.period.key)}`}>
                    {c.org.name}
                  </Link>
                </th>
                <td className="num">{formatCount(c.openCases)}</td>
                <td className="num">{formatCount(c.casesFiled)}</td>
                <td className="num">{formatCount(c.casesClosed)}</td>
                <td className="num">{formatCount(c.enterprisesServed)}</td>
                <td className="num">{formatCount(c.problemsSolved)}</td>
                <td className="num">{formatCount(c.expertParticipations)}</td>
                <td className="num">{formatCount(c.workersTrained)}</td>
                <td className="num">{formatYuan(c.benefitTotal)}</td>
                <td className="num">{formatCount(c.agreementsSigned)}</td>
                <td className="num">{c.averageRating ?? t('dashboard.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
            <table className="dash-table">
              <caption className="visually-hidden">{dimLabel}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.breakdown.key')}</th>
                  <th scope="col" className="num">
                    {t('dashboard.columns.casesFiled')}
                  </th>
                  <th scope="col" className="num">
                    {t('dashboard.columns.casesClosed')}
                  </th>
                  <th scope="col" className="num">
                    {t('dashboard.columns.itemsClosed')}
                  </th>
                  <th scope="col" className="num">
                    {t('dashboard.columns.problemsSolved')}
                  </th>
                  <th scope="col" className="num">
                    {t('dashboard.columns.partlySolved')}
                  </th>
                  <th scope="col" className="num">
                    {t('dashboard.columns.workersTrained')}
                  </th>
                  <th scope="col" className="num">
                    {t('dashboard.columns.benefitTotal')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">
                      {r.key === '' ? r.label : <Link to={caseLink(r.key)}>{r.label}</Link>}
                    </th>
                    <td className="num">{formatCount(r.casesFiled)}</td>
                    <td className="num">{formatCount(r.casesClosed)}</td>
                    <td className="num">{formatCount(r.itemsClosed)}</td>
                    <td className="num">{formatCount(r.problemsSolved)}</td>
                    <td className="num">{formatCount(r.partlySolved)}</td>
                    <td className="num">{formatCount(r.workersTrained)}</td>
                    <td className="num">{formatYuan(r.benefitTotal)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  )
}

function Months({ data }: { data: Data }) {
  const { t } = useTranslation()
  if (data.months.length <= 1) return null
  return (
    <section className="card dash-section" aria-labelledby="months-title">
      <h2 id="months-title">{t('dashboard.months.title')}</h2>
      <ChartFigure chart={data.charts.trend} caption={t('dashboard.months.chart')} id="trend" />
      <div className="dash-scroll">
        <table className="dash-table" data-testid="months">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.months.month')}</th>
              <th scope="col" className="num">
                {t('dashboard.columns.casesFiled')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.casesClosed')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.problemsSolved')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.expertParticipations')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.workersTrained')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.benefitTotal')}
              </th>
              <th scope="col" className="num">
                {t('dashboard.columns.agreementsSigned')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td className="num">{formatCount(m.casesFiled)}</td>
                <td className="num">{formatCount(m.casesClosed)}</td>
                <td className="num">{formatCount(m.problemsSolved)}</td>
                <td className="num">{formatCount(m.expertParticipations)}</td>
                <td className="num">{formatCount(m.workersTrained)}</td>
                <td className="num">{formatYuan(m.benefitTotal)}</td>
                <td className="num">{formatCount(m.agreementsSigned)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
