import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf } from '#app/auth/session.server.ts'
import { dashboardSearch, formatCount, formatPercent } from '#app/components/dashboard/format.ts'
import { dashboardRequest } from '#app/components/dashboard/query.server.ts'
import { Pager } from '#app/components/dashboard/ui.tsx'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { dashboardAsOf } from '#db/queries/dashboard/refresh.ts'
import { STEWARD_SORTS } from '#db/queries/dashboard/stewards.ts'
import { loadStewards } from '#workflows/commands/dashboard.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'dashboard.stewards.title')

/** A page number from the query (anything else is the first page). */
function pageParam(params: URLSearchParams): number {
  const raw = params.get('page') ?? ''
  return /^\d{1,6}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1
}

/** The dedicated stewards of the org's subtree, ranked, one page at a time. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, query } = await dashboardRequest(request, context)
  const params = new URL(request.url).searchParams
  const found = await loadStewards(context.db, principalOf(user), {
    orgId: query.orgId,
    period: query.period,
    now: context.now(),
    page: pageParam(params),
    sort: params.get('sort'),
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
    sorts: STEWARD_SORTS,
  }
}

export default function DashboardStewards() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const { pathname } = useLocation()
  const search = (extra: Record<string, string> = {}) =>
    dashboardSearch(data.org.id, data.period.key, { sort: data.sort, ...extra })
  return (
    <section className="card dash-section" aria-labelledby="stewards-title">
      <h2 id="stewards-title">{t('dashboard.stewards.title')}</h2>
      <p className="muted">{t('dashboard.stewards.intro')}</p>
      <p className="muted">{t('dashboard.stewards.rankRule')}</p>
      <Form method="get" action={pathname} className="filters dash-noprint" key={data.sort}>
        <input type="hidden" name="org" value={data.org.id} />
        <input type="hidden" name="period" value={data.period.key} />
        <div className="field">
          <label htmlFor="steward-sort">{t('dashboard.sort.label')}</label>
          <select id="steward-sort" name="sort" defaultValue={data.sort}>
            {data.sorts.map((s) => (
              <option key={s} value={s}>
                {t(`dashboard.stewards.sortBy.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="secondary">
            {t('dashboard.sort.apply')}
          </button>
        </div>
      </Form>
      <p className="muted" data-testid="total">
        {t('dashboard.stewards.total', { count: data.total })}
      </p>
      {data.rows.length === 0 ? (
        <p className="muted">{t('dashboard.stewards.empty')}</p>
      ) : (
        <div className="dash-scroll">
          <table className="dash-table" data-testid="stewards">
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('dashboard.stewards.rank')}
                </th>
                <th scope="col">{t('dashboard.stewards.name')}</th>
                <th scope="col" className="num">
                  {t('dashboard.stewards.load')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.stewards.openCases')}
                </th>
                <th scope="col">{t('dashboard.stewards.byStage')}</th>
                <th scope="col" className="num">
                  {t('dashboard.stewards.closed')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.stewards.deadlines')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.stewards.onTime')}
                </th>
                <th scope="col" className="num">
                  {t('dashboard.stewards.rating')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.userId}>
                  <td className="num">{r.rank ?? t('dashboard.none')}</td>
                  <th scope="row">
                    <Link to={`/stewards/${r.userId}`}>{r.name}</Link>
                    <br />
                    <span className="muted">{r.orgName}</span>
                  </th>
                  <td className="num">
                    {t('dashboard.stewards.loadValue', { load: r.load, capacity: r.capacity })}
                  </td>
                  <td className="num">
                    {r.openCases > 0 ? (
                      <Link
                        to={`/reports/cases?${new URLSearchParams({
                          org: String(data.org.id),
                          steward: String(r.userId),
                          status: 'open',
                        })}`}
                      >
                        {formatCount(r.openCases)}
                      </Link>
                    ) : (
                      formatCount(r.openCases)
                    )}
                  </td>
                  <td>
                    {r.byStage.length === 0
                      ? t('dashboard.none')
                      : r.byStage
                          .map(
                            (s) =>
                              `${t(`status.${s.stage}`, { defaultValue: s.stage })} ${s.cases}`,
                          )
                          .join('、')}
                  </td>
                  <td className="num">{formatCount(r.closedInPeriod)}</td>
                  <td className="num">
                    {t('dashboard.stewards.deadlinesValue', {
                      resolved: r.deadlinesResolved,
                      met: r.deadlinesMet,
                    })}
                  </td>
                  <td className="num">
                    {r.onTimeRate === null
                      ? t('dashboard.none')
                      : t('dashboard.percent', { value: formatPercent(r.onTimeRate) })}
                  </td>
                  <td className="num">
                    {r.averageRating === null
                      ? t('dashboard.none')
                      : `${r.averageRating}（${r.ratingCount}）`}
                  </td>
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
