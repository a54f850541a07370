import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { OrgField, type PickableOrg } from '#app/components/org-picker.tsx'
import styles from '#app/styles/periodic.css?url'
import { formatDate, formatDateTime } from '#app/utils/format.ts'
import { queryId, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { DASHBOARD_ROLES } from '#workflows/commands/dashboard.ts'
import { loadPeriodicReport } from '#workflows/commands/periodic-report.ts'
import { BREAKDOWN_DIMS } from '#workflows/dashboard/metrics.ts'
import { beijingMonth, currentYear, type Period, parsePeriod } from '#workflows/dashboard/period.ts'
import {
  changeRate,
  type FigureLike,
  figureNumber,
  groupYuan,
  type Lang,
  periodLabel,
  SUMMARY_METRICS,
  type SummaryMetric,
  subtractYuan,
} from '#workflows/reports/periodic-format.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const root = matches.find((m) => m.id === 'root')?.data as { locale?: string } | undefined
  const title = data?.report.title
  return pageTitle(
    matches,
    'periodic.title',
    title ? (root?.locale === 'en' ? title.en : title.zh) : null,
  )
}

/** Years offered in the period picker: this one and the four before it. */
const PICKER_YEARS = 5

/**
 * The printable periodic report of an org's subtree. A period or org that
 * does not parse falls back to the default (this Beijing year, the viewer's
 * own union) and the page says so; an org outside the viewer's scope is 403.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, DASHBOARD_ROLES)
  const params = new URL(request.url).searchParams
  const now = context.now()
  const notices: { key: string; values: Record<string, string> }[] = []
  const rawOrg = params.get('org')?.trim() ?? ''
  const orgId = queryId(params, 'org')
  if (rawOrg !== '' && orgId === null) {
    notices.push({ key: 'periodic.notice.badOrg', values: { value: rawOrg.slice(0, 40) } })
  }
  const rawPeriod = params.get('period')?.trim() ?? ''
  let period = parsePeriod(rawPeriod)
  if (!period) {
    period = currentYear(now)
    if (rawPeriod !== '') {
      notices.push({
        key: 'periodic.notice.badPeriod',
        values: { value: rawPeriod.slice(0, 40), fallback: period.key },
      })
    }
  }
  const report = await loadPeriodicReport(context.db, principalOf(user), {
    orgId,
    period,
    now,
  }).catch(throwDomainError)
  const thisYear = Number(beijingMonth(now).slice(0, 4))
  const years = Array.from({ length: PICKER_YEARS }, (_, k) => thisYear - k)
  if (!years.includes(period.year)) years.push(period.year)
  return { report, notices, periodKeys: periodKeysOf(years) }
}

/** Every period of the given years: the year, its quarters, its months. */
function periodKeysOf(years: number[]): string[] {
  return years.flatMap((y) => [
    String(y),
    ...[1, 2, 3, 4].map((q) => `${y}-Q${q}`),
    ...Array.from({ length: 12 }, (_, m) => `${y}-${String(m + 1).padStart(2, '0')}`),
  ])
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Figures = Data['report']['overview']['figures']

function langOf(language: string): Lang {
  return language.startsWith('zh') ? 'zh' : 'en'
}

function PeriodPicker({ data, lang }: { data: Data; lang: Lang }) {
  const { t } = useTranslation()
  const { report } = data
  const orgs: PickableOrg[] = report.orgs
  const byYear = new Map<number, string[]>()
  for (const key of data.periodKeys) {
    const y = Number(key.slice(0, 4))
    byYear.set(y, [...(byYear.get(y) ?? []), key])
  }
  // One GET form for both choices, so changing one keeps the other
  // (the org select is the admin pages' org picker's).
  return (
    <Form method="get" action="/reports/periodic" className="filters periodic-picker">
      {orgs.length > 1 ? (
        <OrgField orgs={orgs} current={report.org.id} label={t('periodic.org')} />
      ) : (
        <input type="hidden" name="org" value={report.org.id} />
      )}
      <div className="field">
        <label htmlFor="period">{t('periodic.period')}</label>
        <select id="period" name="period" defaultValue={report.period.key}>
          {[...byYear.entries()].map(([year, keys]) => (
            <optgroup key={year} label={String(year)}>
              {keys.map((key) => {
                const p = parsePeriod(key) as Period
                return (
                  <option key={key} value={key}>
                    {periodLabel(p, lang)} · {t(`periodic.kind.${p.kind}`)}
                  </option>
                )
              })}
            </optgroup>
          ))}
        </select>
      </div>
      <div className="actions">
        <button type="submit" className="secondary">
          {t('periodic.show')}
        </button>
      </div>
    </Form>
  )
}

function useNumbers() {
  const { i18n } = useTranslation()
  const lng = i18n.language
  const count = (n: number | null | undefined) =>
    n === null || n === undefined ? '—' : n.toLocaleString(lng)
  const percent = (r: number | null | undefined) =>
    r === null || r === undefined
      ? '—'
      : r.toLocaleString(lng, { style: 'percent', maximumFractionDigits: 1 })
  const yuan = (v: string | null | undefined) =>
    v === null || v === undefined ? '—' : groupYuan(v)
  return { lng, count, percent, yuan }
}

function metricValue(f: Figures | FigureLike, m: SummaryMetric, n: ReturnType<typeof useNumbers>) {
  const v = f[m.key as keyof typeof f] as number | string | null | undefined
  if (m.kind === 'money') return n.yuan(v as string)
  if (m.kind === 'rating') return v === null || v === undefined ? '—' : String(v)
  return n.count(v as number)
}

function SummaryTable({ data, lang }: { data: Data; lang: Lang }) {
  const { t } = useTranslation()
  const n = useNumbers()
  const o = data.report.overview
  const previous = data.report.previous as unknown as Period
  const targets = new Map(o.targets.map((x) => [x.metric, x]))
  return (
    <table className="figures">
      <thead>
        <tr>
          <th scope="col">{t('periodic.col.no')}</th>
          <th scope="col">{t('periodic.col.metric')}</th>
          <th scope="col">{t('periodic.col.unit')}</th>
          <th scope="col">{t('periodic.col.current')}</th>
          <th scope="col">{t('periodic.col.previous', { label: periodLabel(previous, lang) })}</th>
          <th scope="col">{t('periodic.col.change')}</th>
          <th scope="col">{t('periodic.col.target', { year: o.period.year })}</th>
          <th scope="col">{t('periodic.col.yearActual', { year: o.period.year })}</th>
          <th scope="col">{t('periodic.col.progress')}</th>
        </tr>
      </thead>
      <tbody>
        {SUMMARY_METRICS.map((m, i) => {
          const cur = o.figures[m.key]
          const prev = o.previous[m.key]
          const delta =
            m.kind === 'money'
              ? n.yuan(subtractYuan(String(cur), String(prev)))
              : m.kind === 'rating'
                ? '—'
                : n.count(Number(cur) - Number(prev))
          const rate = changeRate(figureNumber(cur), figureNumber(prev))
          const target = m.target ? targets.get(m.target) : undefined
          return (
            <tr key={m.key}>
              <td className="c">{i + 1}</td>
              <th scope="row">{m.label[lang]}</th>
              <td className="c">{m.unit[lang]}</td>
              <td className="n">{metricValue(o.figures, m, n)}</td>
              <td className="n">{metricValue(o.previous, m, n)}</td>
              <td className="n">
                {delta}
                {rate !== null && m.kind !== 'rating' ? (
                  <span className="muted"> ({n.percent(rate)})</span>
                ) : null}
              </td>
              <td className="n">
                {target?.target == null
                  ? '—'
                  : m.kind === 'money'
                    ? n.yuan(target.target)
                    : n.count(Number(target.target))}
              </td>
              <td className="n">
                {target
                  ? m.kind === 'money'
                    ? n.yuan(target.actual)
                    : n.count(Number(target.actual))
                  : '—'}
              </td>
              <td className="n">{target ? n.percent(target.progress) : '—'}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

const FIGURE_COLUMNS = [
  ['casesFiled', 'count'],
  ['casesClosed', 'count'],
  ['itemsClosed', 'count'],
  ['problemsSolved', 'count'],
  ['expertParticipations', 'count'],
  ['workersTrained', 'count'],
  ['benefitTotal', 'money'],
  ['agreementsSigned', 'count'],
] as const

const FIGURE_HEADER: Record<(typeof FIGURE_COLUMNS)[number][0], string> = {
  casesFiled: 'periodic.col.casesFiled',
  casesClosed: 'periodic.col.casesClosed',
  itemsClosed: 'periodic.col.items',
  problemsSolved: 'periodic.col.solved',
  expertParticipations: 'periodic.col.experts',
  workersTrained: 'periodic.col.trained',
  benefitTotal: 'periodic.col.benefit',
  agreementsSigned: 'periodic.col.agreements',
}

function FigureCells({ f }: { f: Figures | FigureLike }) {
  const n = useNumbers()
  return (
    <>
      {FIGURE_COLUMNS.map(([key, kind]) => (
        <td key={key} className="n">
          {kind === 'money' ? n.yuan(f[key] as string) : n.count(f[key] as number)}
        </td>
      ))}
    </>
  )
}

function FigureHeaders() {
  const { t } = useTranslation()
  return (
    <>
      {FIGURE_COLUMNS.map(([key]) => (
        <th key={key} scope="col">
          {t(FIGURE_HEADER[key])}
        </th>
      ))}
    </>
  )
}

function ChildrenTable({ data }: { data: Data }) {
  const { t } = useTranslation()
  const n = useNumbers()
  const { overview: o, own } = data.report
  if (o.children.length === 0) return <p className="muted">{t('periodic.noChildren')}</p>
  const query = `period=${encodeURIComponent(o.period.key)}`
  return (
    <table className="figures">
      <thead>
        <tr>
          <th scope="col">{t('periodic.col.org')}</th>
          <th scope="col">{t('periodic.col.enterprisesServed')}</th>
          <FigureHeaders />
          <th scope="col">{t('periodic.col.openCases')}</th>
        </tr>
      </thead>
      <tbody>
        {o.children.map((c) => (
          <tr key={c.org.id}>
            <th scope="row">
              <Link to={`/reports/periodic?org=${c.org.id}&${query}`}>{c.org.name}</Link>
            </th>
            <td className="n">{n.count(c.enterprisesServed)}</td>
            <FigureCells f={c} />
            <td className="n">{n.count(c.openCases)}</td>
          </tr>
        ))}
        {own ? (
          <tr>
            <th scope="row">{t('periodic.own', { org: o.org.name })}</th>
            <td className="n">{n.count(own.figures.enterprisesServed)}</td>
            <FigureCells f={own.figures} />
            <td className="n">{n.count(own.openCases)}</td>
          </tr>
        ) : null}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('periodic.total')}</th>
          <td className="n">{n.count(o.figures.enterprisesServed)}</td>
          <FigureCells f={o.figures} />
          <td className="n">{n.count(o.pipeline.open)}</td>
        </tr>
      </tfoot>
    </table>
  )
}

function Breakdowns({ data, lang }: { data: Data; lang: Lang }) {
  const { t } = useTranslation()
  const { overview: o, categoryNames } = data.report
  const label = (dim: (typeof BREAKDOWN_DIMS)[number], key: string) => {
    if (key === '') return t('periodic.unset')
    if (dim === 'category') return categoryNames[key]?.[lang] ?? key
    if (dim === 'industry') return `${key} ${t(`enterprise.industry.${key}`, { defaultValue: '' })}`
    if (dim === 'tag') return t(`enterprise.tag.${key}`, { defaultValue: key })
    return key
  }
  const dims = BREAKDOWN_DIMS.filter((d) => o.breakdowns[d].length > 0)
  if (dims.length === 0) return <p className="muted">{t('periodic.none')}</p>
  return (
    <>
      {dims.map((dim) => (
        <div key={dim} className="breakdown">
          <h3>{t(`periodic.dim.${dim}`)}</h3>
          <table className="figures">
            <thead>
              <tr>
                <th scope="col">{t('periodic.col.key')}</th>
                <FigureHeaders />
              </tr>
            </thead>
            <tbody>
              {o.breakdowns[dim].map((r) => (
                <tr key={r.key}>
                  <th scope="row">{label(dim, r.key)}</th>
                  <FigureCells f={r} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <p className="muted">{t('periodic.breakdownNote')}</p>
    </>
  )
}

function Months({ data }: { data: Data }) {
  const { t } = useTranslation()
  const o = data.report.overview
  return (
    <table className="figures">
      <thead>
        <tr>
          <th scope="col">{t('periodic.col.month')}</th>
          <FigureHeaders />
        </tr>
      </thead>
      <tbody>
        {o.months.map((m) => (
          <tr key={m.month}>
            <th scope="row">{m.month}</th>
            <FigureCells f={m} />
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('periodic.total')}</th>
          <FigureCells f={o.figures} />
        </tr>
      </tfoot>
    </table>
  )
}

function Stages({ data }: { data: Data }) {
  const { t } = useTranslation()
  const n = useNumbers()
  const o = data.report.overview
  const slaLabel = (s: string) => t(`deadlines.stage.${s}`, { defaultValue: t(`status.${s}`) })
  return (
    <>
      {o.stageTimes.length === 0 ? (
        <p className="muted">{t('periodic.none')}</p>
      ) : (
        <table className="figures">
          <thead>
            <tr>
              <th scope="col">{t('periodic.col.stage')}</th>
              <th scope="col">{t('periodic.col.spans')}</th>
              <th scope="col">{t('periodic.col.median')}</th>
              <th scope="col">{t('periodic.col.p90')}</th>
            </tr>
          </thead>
          <tbody>
            {o.stageTimes.map((s) => (
              <tr key={s.stage}>
                <th scope="row">{t(`status.${s.stage}`, { defaultValue: s.stage })}</th>
                <td className="n">{n.count(s.spans)}</td>
                <td className="n">{n.count(s.medianHours)}</td>
                <td className="n">{n.count(s.p90Hours)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('periodic.slaTitle')}</h3>
      {o.sla.length === 0 ? (
        <p className="muted">{t('periodic.none')}</p>
      ) : (
        <table className="figures">
          <thead>
            <tr>
              <th scope="col">{t('periodic.col.slaStage')}</th>
              <th scope="col">{t('periodic.col.resolved')}</th>
              <th scope="col">{t('periodic.col.met')}</th>
              <th scope="col">{t('periodic.col.missed')}</th>
              <th scope="col">{t('periodic.col.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {o.sla.map((s) => (
              <tr key={s.stage}>
                <th scope="row">{slaLabel(s.stage)}</th>
                <td className="n">{n.count(s.resolved)}</td>
                <td className="n">{n.count(s.met)}</td>
                <td className="n">{n.count(s.resolved - s.met)}</td>
                <td className="n">{n.percent(s.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('periodic.overdueTitle', { at: formatDateTime(o.asOf, n.lng) })}</h3>
      {o.overdueByStage.length === 0 ? (
        <p className="muted">{t('periodic.noOverdue')}</p>
      ) : (
        <table className="figures narrow">
          <thead>
            <tr>
              <th scope="col">{t('periodic.col.slaStage')}</th>
              <th scope="col">{t('periodic.col.overdue')}</th>
            </tr>
          </thead>
          <tbody>
            {o.overdueByStage.map((s) => (
              <tr key={s.stage}>
                <th scope="row">{slaLabel(s.stage)}</th>
                <td className="n">{n.count(s.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

function Cases({ data }: { data: Data }) {
  const { t } = useTranslation()
  const n = useNumbers()
  const { cases, casesTotal } = data.report
  return (
    <>
      <p className="muted">
        {casesTotal > cases.length
          ? t('periodic.casesNote', { total: casesTotal, shown: cases.length })
          : t('periodic.casesAll', { total: casesTotal })}
      </p>
      {cases.length === 0 ? null : (
        <table className="figures cases" data-testid="periodic-cases">
          <thead>
            <tr>
              <th scope="col">{t('periodic.col.no')}</th>
              <th scope="col">{t('periodic.col.caseTitle')}</th>
              <th scope="col">{t('periodic.col.enterprise')}</th>
              <th scope="col">{t('periodic.col.steward')}</th>
              <th scope="col">{t('periodic.col.closedAt')}</th>
              <th scope="col">{t('periodic.col.items')}</th>
              <th scope="col">{t('periodic.col.solved')}</th>
              <th scope="col">{t('periodic.col.experts')}</th>
              <th scope="col">{t('periodic.col.trained')}</th>
              <th scope="col">{t('periodic.col.benefit')}</th>
              <th scope="col">{t('periodic.col.rating')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c, i) => (
              <tr key={c.id}>
                <td className="c">{i + 1}</td>
                <td>
                  <Link to={`/needs-lists/${c.id}/archive`}>{c.title}</Link>
                  <br />
                  <span className="muted">{c.orgName}</span>
                </td>
                <td>{c.enterpriseName}</td>
                <td>{c.stewardName ?? '—'}</td>
                <td className="c">{formatDate(c.closedAt, n.lng)}</td>
                <td className="n">{n.count(c.items)}</td>
                <td className="n">{n.count(c.problemsSolved)}</td>
                <td className="n">{n.count(c.expertParticipations)}</td>
                <td className="n">{n.count(c.workersTrained)}</td>
                <td className="n">{n.yuan(c.benefitTotal)}</td>
                <td className="n">{c.rating ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

export default function PeriodicReportPage() {
  const data = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  const lang = langOf(i18n.language)
  const lng = i18n.language
  const { report } = data
  const o = report.overview
  const query = new URLSearchParams({ org: String(report.org.id), period: report.period.key })
  return (
    <div className="periodic">
      <section className="card no-print periodic-controls">
        <h1>{t('periodic.title')}</h1>
        <p className="muted">{t('periodic.intro')}</p>
        {data.notices.map((n) => (
          <p key={n.key} className="notice periodic-notice" role="status">
            {t(n.key, n.values)}
          </p>
        ))}
        <PeriodPicker data={data} lang={lang} />
        <p className="actions">
          <button type="button" onClick={() => window.print()}>
            {t('periodic.print')}
          </button>
          <a className="button secondary" href={`/reports/periodic.xlsx?${query}`} download>
            {t('periodic.download')}
          </a>
          <Link to={`/dashboard?${query}`}>{t('periodic.dashboard')}</Link>
        </p>
      </section>
      <article className="periodic-doc" data-testid="periodic-report">
        <header className="periodic-head">
          <h1>{report.title[lang]}</h1>
          <p className="periodic-meta">
            <span>{t('periodic.meta.org', { org: report.org.name })}</span>
            <span>
              {t('periodic.meta.period', {
                span: report.periodSpan[lang],
                label: report.periodLabel[lang],
              })}
            </span>
          </p>
          <p className="periodic-meta muted">
            <span>
              {t('periodic.meta.generatedAt', { at: formatDateTime(report.generatedAt, lng) })}
            </span>
            <span>{t('periodic.meta.asOf', { at: formatDateTime(o.asOf, lng) })}</span>
          </p>
        </header>
        <section className="periodic-section">
          <h2>{t('periodic.section.summary')}</h2>
          <SummaryTable data={data} lang={lang} />
          <p className="muted periodic-notes">{t('periodic.notes')}</p>
        </section>
        <section className="periodic-section">
          <h2>{t('periodic.section.children')}</h2>
          <ChildrenTable data={data} />
        </section>
        <section className="periodic-section">
          <h2>{t('periodic.section.breakdowns')}</h2>
          <Breakdowns data={data} lang={lang} />
        </section>
        <section className="periodic-section">
          <h2>{t('periodic.section.months')}</h2>
          <Months data={data} />
        </section>
        <section className="periodic-section">
          <h2>{t('periodic.section.stages')}</h2>
          <Stages data={data} />
        </section>
        <section className="periodic-section">
          <h2>{t('periodic.section.cases')}</h2>
          <Cases data={data} />
        </section>
        <footer className="periodic-sign">
          <span>{t('periodic.footer.head')}</span>
          <span>{t('periodic.footer.preparer')}</span>
          <span>{t('periodic.footer.phone')}</span>
          <span>{t('periodic.footer.date', { date: formatDate(report.generatedAt, lng) })}</span>
        </footer>
      </article>
    </div>
  )
}
