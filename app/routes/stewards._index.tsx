import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { industryLabel } from '#app/components/steward-recommendations.tsx'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { listStewards, STEWARD_MANAGER_ROLES } from '#workflows/commands/stewards.ts'
import '#app/styles/triage.css'

export const PAGE_SIZE = 50

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'steward.listTitle')

function pageOf(request: Request): number {
  const page = Number(new URL(request.url).searchParams.get('page') ?? '1')
  return Number.isSafeInteger(page) && page >= 1 && page <= 100_000 ? page : 1
}

/** Stewards in the coordinator's subtrees, with load against capacity. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, STEWARD_MANAGER_ROLES)
  const page = pageOf(request)
  const rows = await listStewards(context.db, principalOf(user), {
    limit: PAGE_SIZE + 1,
    offset: (page - 1) * PAGE_SIZE,
  }).catch(throwDomainError)
  return {
    page,
    hasNext: rows.length > PAGE_SIZE,
    saved: new URL(request.url).searchParams.get('saved') === '1',
    stewards: rows.slice(0, PAGE_SIZE).map((r) => ({
      userId: r.userId,
      name: r.name,
      email: r.email,
      orgName: r.profileOrgName ?? r.membershipOrgName,
      hasProfile: r.capacity !== null,
      capacity: r.capacity,
      active: r.active ?? false,
      load: r.load,
      districts: r.districts ?? [],
      parks: r.parks ?? [],
      industries: r.industries ?? [],
    })),
  }
}

export default function Stewards() {
  const { stewards, page, hasNext, saved } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <section className="card">
      <h1>{t('steward.listTitle')}</h1>
      <p className="muted">{t('steward.loadDefinition')}</p>
      {saved ? (
        <p className="notice" role="status">
          {t('steward.notice.saved')}
        </p>
      ) : null}
      {stewards.length === 0 ? (
        <p className="muted">{t('steward.noStewards')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('steward.steward')}</th>
              <th scope="col">{t('needsList.org')}</th>
              <th scope="col">{t('steward.load')}</th>
              <th scope="col">{t('steward.coverage.title')}</th>
              <th scope="col">{t('needsList.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {stewards.map((s) => (
              <tr key={s.userId}>
                <td>
                  {s.name}
                  <br />
                  <span className="muted">{s.email}</span>
                </td>
                <td>{s.orgName}</td>
                <td>
                  {s.hasProfile ? (
                    <>
                      <meter min={0} max={s.capacity ?? 1} value={s.load} />{' '}
                      {t('steward.loadOf', { load: s.load, capacity: s.capacity })}
                      {s.active ? null : (
                        <>
                          <br />
                          <span className="status status-returned">{t('steward.inactive')}</span>
                        </>
                      )}
                    </>
                  ) : (
                    <span className="muted">{t('steward.noProfile')}</span>
                  )}
                </td>
                <td>
                  {[
                    ...s.districts,
                    ...s.parks,
                    ...s.industries.map((c) => industryLabel(t, c)),
                  ].join('、') || '—'}
                </td>
                <td>
                  <Link to={`/stewards/${s.userId}`}>{t('steward.edit')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page > 1 || hasNext ? (
        <nav className="pager" aria-label={t('intake.page', { page })}>
          {page > 1 ? (
            <Link to={page === 2 ? '/stewards' : `/stewards?page=${page - 1}`}>
              {t('intake.prev')}
            </Link>
          ) : null}
          <span className="muted">{t('intake.page', { page })}</span>
          {hasNext ? <Link to={`/stewards?page=${page + 1}`}>{t('intake.next')}</Link> : null}
        </nav>
      ) : null}
    </section>
  )
}
