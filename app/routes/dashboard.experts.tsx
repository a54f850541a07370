import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf } from '#app/auth/session.server.ts'
import { dashboardSearch, formatCount, ratingOrNone } from '#app/components/dashboard/format.ts'
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
import { EXPERT_SORTS } from '#db/queries/dashboard/experts.ts'
import { loadExperts } from '#workflows/commands/dashboard.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'dashboard.experts.title')

/** Experts managed in the org's subtree and their activity in the period; idle ones on request. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, query } = await dashboardRequest(request, context)
  const found = await loadExperts(context.db, principalOf(user), {
    ...listRequest(request, query, context.now()),
    idleOnly: new URL(request.url).searchParams.get('idle') === '1',
  }).catch(throwDomainError)
  return {
    ...(await listData(context.db, found)),
    sorts: EXPERT_SORTS,
    idleOnly: found.idleOnly,
    idleCount: found.idleCount,
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

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
  const columns: Column<Data['rows'][number]>[] = [
    {
      label: t('dashboard.experts.name'),
      rowHead: true,
      cell: (r) => <NameWithOrg to={`/experts/${r.expertId}`} name={r.name} orgName={r.orgName} />,
    },
    {
      label: t('dashboard.experts.status'),
      cell: (r) => t(`talent.status.${r.status}`, { defaultValue: r.status }),
    },
    {
      label: t('dashboard.experts.engagements'),
      num: true,
      cell: (r) => formatCount(r.engagements),
    },
    { label: t('dashboard.experts.visits'), num: true, cell: (r) => formatCount(r.visitsHeld) },
    { label: t('dashboard.experts.hours'), num: true, cell: (r) => r.hours },
    {
      label: t('dashboard.experts.rating'),
      num: true,
      cell: (r) => ratingOrNone(t, r.averageRating, r.ratingCount),
    },
    {
      label: t('dashboard.experts.idle'),
      cell: (r) => (r.idle ? t('dashboard.experts.idleYes') : ''),
    },
  ]
  return (
    <section className="card dash-section" aria-labelledby="experts-title">
      <h2 id="experts-title">{t('dashboard.experts.title')}</h2>
      <p className="muted">{t('dashboard.experts.intro')}</p>
      <p data-testid="idle-count">{t('dashboard.experts.idleCount', { count: data.idleCount })}</p>
      <SortForm
        key={`${data.sort}-${data.idleOnly}`}
        action={pathname}
        orgId={data.org.id}
        periodKey={data.period.key}
        id="expert-sort"
        sort={data.sort}
        sorts={data.sorts}
        labelPrefix="dashboard.experts.sortBy"
      >
        <div className="field dash-check">
          <label>
            <input type="checkbox" name="idle" value="1" defaultChecked={data.idleOnly} />{' '}
            {t('dashboard.experts.idleOnly')}
          </label>
        </div>
      </SortForm>
      <p className="muted" data-testid="total">
        {t('dashboard.experts.total', { count: data.total })}
      </p>
      {data.rows.length === 0 ? (
        <p className="muted">{t('dashboard.experts.empty')}</p>
      ) : (
        <div className="dash-scroll">
          <DashTable
            testId="experts"
            columns={columns}
            rows={data.rows}
            rowKey={(r) => r.expertId}
            rowProps={(r) => ({ className: r.idle ? 'dash-idle' : undefined })}
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
