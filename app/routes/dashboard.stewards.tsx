import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf } from '#app/auth/session.server.ts'
import {
  dashboardSearch,
  formatCount,
  percentOrNone,
  ratingOrNone,
} from '#app/components/dashboard/format.ts'
import { dashboardRequest, listData, listRequest } from '#app/components/dashboard/query.server.ts'
import {
  type Column,
  DashTable,
  NameWithOrg,
  Pager,
  SortForm,
} from '#app/components/dashboard/ui.tsx'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { STEWARD_SORTS } from '#db/queries/dashboard/stewards.ts'
import { loadStewards } from '#workflows/commands/dashboard.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'dashboard.stewards.title')

/** The dedicated stewards of the org's subtree, ranked, one page at a time. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, query } = await dashboardRequest(request, context)
  const found = await loadStewards(
    context.db,
    principalOf(user),
    listRequest(request, query, context.now()),
  ).catch(throwDomainError)
  return { ...(await listData(context.db, found)), sorts: STEWARD_SORTS }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function DashboardStewards() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const { pathname } = useLocation()
  const search = (extra: Record<string, string> = {}) =>
    dashboardSearch(data.org.id, data.period.key, { sort: data.sort, ...extra })
  const columns: Column<Data['rows'][number]>[] = [
    { label: t('dashboard.stewards.rank'), num: true, cell: (r) => r.rank ?? t('dashboard.none') },
    {
      label: t('dashboard.stewards.name'),
      rowHead: true,
      cell: (r) => <NameWithOrg to={`/stewards/${r.userId}`} name={r.name} orgName={r.orgName} />,
    },
    {
      label: t('dashboard.stewards.load'),
      num: true,
      cell: (r) => t('dashboard.stewards.loadValue', { load: r.load, capacity: r.capacity }),
    },
    {
      label: t('dashboard.stewards.openCases'),
      num: true,
      cell: (r) =>
        r.openCases > 0 ? (
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
        ),
    },
    {
      label: t('dashboard.stewards.byStage'),
      cell: (r) =>
        r.byStage.length === 0
          ? t('dashboard.none')
          : r.byStage
              .map((s) => `${t(`status.${s.stage}`, { defaultValue: s.stage })} ${s.cases}`)
              .join('、'),
    },
    {
      label: t('dashboard.stewards.closed'),
      num: true,
      cell: (r) => formatCount(r.closedInPeriod),
    },
    {
      label: t('dashboard.stewards.deadlines'),
      num: true,
      cell: (r) =>
        t('dashboard.stewards.deadlinesValue', {
          resolved: r.deadlinesResolved,
          met: r.deadlinesMet,
        }),
    },
    {
      label: t('dashboard.stewards.onTime'),
      num: true,
      cell: (r) => percentOrNone(t, r.onTimeRate),
    },
    {
      label: t('dashboard.stewards.rating'),
      num: true,
      cell: (r) => ratingOrNone(t, r.averageRating, r.ratingCount),
    },
  ]
  return (
    <section className="card dash-section" aria-labelledby="stewards-title">
      <h2 id="stewards-title">{t('dashboard.stewards.title')}</h2>
      <p className="muted">{t('dashboard.stewards.intro')}</p>
      <p className="muted">{t('dashboard.stewards.rankRule')}</p>
      <SortForm
        key={data.sort}
        action={pathname}
        orgId={data.org.id}
        periodKey={data.period.key}
        id="steward-sort"
        sort={data.sort}
        sorts={data.sorts}
        labelPrefix="dashboard.stewards.sortBy"
      />
      <p className="muted" data-testid="total">
        {t('dashboard.stewards.total', { count: data.total })}
      </p>
      {data.rows.length === 0 ? (
        <p className="muted">{t('dashboard.stewards.empty')}</p>
      ) : (
        <div className="dash-scroll">
          <DashTable
            testId="stewards"
            columns={columns}
            rows={data.rows}
            rowKey={(r) => r.userId}
          />
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
