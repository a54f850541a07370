import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf } from '#app/auth/session.server.ts'
import { dashboardSearch, formatCount } from '#app/components/dashboard/format.ts'
import { dashboardRequest } from '#app/components/dashboard/query.server.ts'
import { Pager } from '#app/components/dashboard/ui.tsx'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { EXPERT_SORTS } from '#db/queries/dashboard/experts.ts'
import { dashboardAsOf } from '#db/queries/dashboard/refresh.ts'
import { loadExperts } from '#workflows/commands/dashboard.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'dashboard.experts.title')

function pageParam(params: URLSearchParams): number {
  const raw = params.get('page') ?? ''
  return /^\d{1,6}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1
}

/** Experts managed in the org's subtree and their activity in the period; idle ones on request. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, query } = await dashboardRequest(request, context)
  const params = new URL(request.url).searchParams
  const found = await loadExperts(context.db, principalOf(user), {
    orgId: query.orgId,
    period: query.period,
    now: context.now(),
    page: pageParam(params),
    sort: params.get('sort'),
    idleOnly: params.get('idle') === '1',
  }).catch(throwDomainError)
  const asOf = await dashboardAsOf(context.db)
  return {
    frame: {
      org: { id: found.org.id, name: found.org.name },
      trail: found.trail.map((o) => ({ id: o.id, name: o.name })),
      asOf,
    },
    org: { id: found.org.id, name: found.org.name },
    period: { key: found.period.key },
    rows: found.rows,
    total: found.total,
    page: found.page,
    pageSize: found.pageSize,
    sort: found.sort,
    sorts: EXPERT_SORTS,
    idleOnly: found.idleOnly,
    idleCount: found.idleCount,
  }
}

export default function DashboardExperts() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const { pathname } = useLocation()
  const search = (extra: Record<string, string> = {}) =>
    dashboardSearch(data.org.id, data.period.key, {
      sort: data.sort,
      ...(data.idleOnly ? { idle: '1' } : {}),
      ...extra,
    })
  return (
    <section className="card dash-section" aria-labelledby="experts-title">
      <h2 id="experts-title">{t('dashboard.experts.title')}</h2>
      <p className="muted">{t('dashboard.experts.intro')}</p>
      <p data-testid="idle-count">{t('dashboard.experts.idleCount', { count: data.idleCount })}</p>
      <Form
        method="get"
        action={pathname}
        className="filters dash-noprint"
        key={`${data.sort}-${data.idleOnly}`}
      >
        <input type="hidden" name="org" value={data.org.id} />
        <input type="hidden" name="period" value={data.period.key} />
        <div className="field">
          <label htmlFor="expert-sort">{t('dashboard.sort.label')}</label>
          <select id="expert-sort" name="sort" defaultValue={data.sort}>
            {data.sorts.map((s) => (
              <option key={s} value={s}>
                {t(`dashboard.experts.sortBy.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field dash-check">
          <label>
            <input type="checkbox" name="idle" value="1" defaultChecked={data.idleOnly} />{' '}
            {t('dashboard.experts.idleOnly')}
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="secondary">
            {t('dashboard.sort.apply')}
          </button>
        </div>
      </Form>
      <p className="muted" data-testid="total">
        {t('dashboard.experts.total', { count: data.total })}
      </p>
      {data.rows.length === 0 ? (
        <p className="muted">{t('dashboard.experts.empty')}</p>
      ) : (
        <div className="dash-scroll">
          <table className="dash-table" data-testid="experts">
            <thead>
              <tr>
                <th scope="col">{t('dashboard.experts.name')}</th>
                <th scope="col">{t('dashboard.experts.status')}</th>
                <th scope="col" className="num">
                  {t('dashboard.experts.engagements')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.experts.visits')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.experts.hours')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.experts.rating')}
                </th>
                <th scope="col">{t('dashboard.experts.idle')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.expertId} className={r.idle ? 'dash-idle' : undefined}>
                  <th scope="row">
                    <Link to={`/experts/${r.expertId}`}>{r.name}</Link>
                    <br />
                    <span className="muted">{r.orgName}</span>
                  </th>
                  <td>{t(`talent.status.${r.status}`, { defaultValue: r.status })}</td>
                  <td className="num">{formatCount(r.engagements)}</td>
                  <td className="num">{formatCount(r.visitsHeld)}</td>
                  <td className="num">{r.hours}</td>
                  <td className="num">
                    {r.averageRating === null
                      ? t('dashboard.none')
                      : `${r.averageRating}（${r.ratingCount}）`}
                  </td>
                  <td>{r.idle ? t('dashboard.experts.idleYes') : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={data.page}
        total={data.total}
        pageSize={data.pageSize}
        href={(page) => `${pathname}${search({ page: String(page) })}`}
      />
    </section>
  )
}
