import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, NavLink, Outlet, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf } from '#app/auth/session.server.ts'
import { dashboardSearch, type PeriodLike, periodLabel } from '#app/components/dashboard/format.ts'
import { dashboardRequest } from '#app/components/dashboard/query.server.ts'
import { useDashboardFrame } from '#app/components/dashboard/ui.tsx'
import { OrgPicker } from '#app/components/org-picker.tsx'
import styles from '#app/styles/dashboard.css?url'
import { formatDateTime } from '#app/utils/format.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { orgsInSubtrees } from '#db/queries/intake.ts'
import { dashboardScopes } from '#workflows/commands/dashboard.ts'
import { currentYear } from '#workflows/dashboard/period.ts'

/** Orgs offered in the org picker, at most this many. */
const PICKER_LIMIT = 300

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'dashboard.title')

/**
 * The frame of the dashboard pages: who may see them (union readers), the
 * org and period the URL asks for (unreadable values fall back with a
 * notice), and the orgs of the viewer's subtrees for the picker.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, query } = await dashboardRequest(request, context)
  const scopes = dashboardScopes(principalOf(user))
  const rows = await orgsInSubtrees(
    context.db,
    scopes.map((s) => s.orgPath),
    PICKER_LIMIT,
  )
  const minDepth = Math.min(...rows.map((o) => o.depth))
  const orgs = rows.map((o) => ({ id: o.id, name: o.name, depth: o.depth - minDepth }))
  const defaultOrg = orgs.find((o) => o.id === scopes[0]?.orgId) ?? null
  const { period } = query
  const thisYear = currentYear(context.now()).year
  const first = Math.min(thisYear - 5, period.year)
  const last = Math.max(thisYear + 1, period.year)
  return {
    orgs,
    orgId: query.orgId ?? defaultOrg?.id ?? null,
    period: { kind: period.kind, year: period.year, index: period.index, key: period.key },
    years: Array.from({ length: last - first + 1 }, (_, i) => last - i),
    notices: query.notices,
    defaultOrgName: defaultOrg?.name ?? '',
  }
}

type LayoutData = ReturnType<typeof useLoaderData<typeof loader>>

const TABS = [
  { path: '/dashboard', key: 'overview', end: true },
  { path: '/dashboard/stewards', key: 'stewards', end: false },
  { path: '/dashboard/experts', key: 'experts', end: false },
  { path: '/dashboard/targets', key: 'targets', end: false },
] as const

export default function DashboardLayout() {
  const data = useLoaderData<typeof loader>()
  const frame = useDashboardFrame()
  const { t, i18n } = useTranslation()
  const { pathname } = useLocation()
  const orgId = frame?.org.id ?? data.orgId
  const search = orgId === null ? '' : dashboardSearch(orgId, data.period.key)
  const orgName = frame?.org.name ?? data.orgs.find((o) => o.id === orgId)?.name ?? ''
  return (
    <div className="dashboard">
      <header className="card dash-head">
        <div className="dash-title">
          <h1>
            {t('dashboard.title')} · {orgName}
            <span className="dash-period"> · {periodLabel(t, data.period as PeriodLike)}</span>
          </h1>
          <button type="button" className="secondary dash-print" onClick={() => window.print()}>
            {t('dashboard.print')}
          </button>
        </div>
        {frame && frame.trail.length > 1 ? (
          <nav aria-label={t('dashboard.trail')} className="dash-trail">
            <ol>
              {frame.trail.map((o, i) => (
                <li key={o.id}>
                  {i === frame.trail.length - 1 ? (
                    <span aria-current="page">{o.name}</span>
                  ) : (
                    <Link to={`${pathname}${dashboardSearch(o.id, data.period.key)}`}>
                      {o.name}
                    </Link>
                  )}
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        {frame?.asOf ? (
          <p className="muted dash-asof" data-testid="as-of">
            {t('dashboard.asOf', { at: formatDateTime(frame.asOf, i18n.language) })}
          </p>
        ) : null}
        {data.notices.map((n) => (
          <p key={n.kind} className="form-error" role="alert">
            {n.kind === 'badPeriod'
              ? t('dashboard.notice.badPeriod', {
                  value: n.value,
                  period: periodLabel(t, data.period as PeriodLike),
                })
              : t('dashboard.notice.badOrg', { value: n.value, org: data.defaultOrgName })}
          </p>
        ))}
        <Pickers data={data} orgId={orgId} action={pathname} />
        <nav aria-label={t('dashboard.tabs.label')} className="dash-tabs">
          {TABS.map((tab) => (
            <NavLink key={tab.key} to={`${tab.path}${search}`} end={tab.end}>
              {t(`dashboard.tabs.${tab.key}`)}
            </NavLink>
          ))}
        </nav>
      </header>
      <Outlet />
    </div>
  )
}

/** Org and period in one GET form (works without script; the loader makes the URL canonical). */
function Pickers({
  data,
  orgId,
  action,
}: {
  data: LayoutData
  orgId: number | null
  action: string
}) {
  const { t } = useTranslation()
  const { period } = data
  const fields = <PeriodFields key={period.key} period={period} years={data.years} />
  if (data.orgs.length > 1 && orgId !== null) {
    return (
      <div className="dash-pickers">
        <OrgPicker
          key={`${orgId}-${period.key}`}
          action={action}
          orgs={data.orgs}
          current={orgId}
          labelKey="dashboard.picker.org"
          buttonKey="dashboard.picker.show"
        >
          {fields}
        </OrgPicker>
        <p className="muted dash-hint">{t('dashboard.picker.hint')}</p>
      </div>
    )
  }
  return (
    <div className="dash-pickers">
      <Form method="get" action={action} className="filters">
        {orgId !== null ? <input type="hidden" name="org" value={orgId} /> : null}
        {fields}
        <div className="actions">
          <button type="submit" className="secondary">
            {t('dashboard.picker.show')}
          </button>
        </div>
      </Form>
      <p className="muted dash-hint">{t('dashboard.picker.hint')}</p>
    </div>
  )
}

function PeriodFields({
  period,
  years,
}: {
  period: { kind: string; year: number; index?: number }
  years: number[]
}) {
  const { t } = useTranslation()
  return (
    <>
      <div className="field">
        <label htmlFor="period-year">{t('dashboard.picker.year')}</label>
        <select id="period-year" name="year" defaultValue={String(period.year)}>
          {years.map((y) => (
            <option key={y} value={y}>
              {t('dashboard.period.year', { year: y })}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="period-quarter">{t('dashboard.picker.quarter')}</label>
        <select
          id="period-quarter"
          name="quarter"
          defaultValue={period.kind === 'quarter' ? String(period.index) : ''}
        >
          <option value="">{t('dashboard.picker.wholeYear')}</option>
          {[1, 2, 3, 4].map((q) => (
            <option key={q} value={q}>
              {t('dashboard.picker.quarterN', { n: q })}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="period-month">{t('dashboard.picker.month')}</label>
        <select
          id="period-month"
          name="month"
          defaultValue={period.kind === 'month' ? String(period.index) : ''}
        >
          <option value="">{t('dashboard.picker.noMonth')}</option>
          {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
            <option key={m} value={m}>
              {t('dashboard.picker.monthN', { n: m })}
            </option>
          ))}
        </select>
      </div>
    </>
  )
}
