import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import type { Role } from '#db/schema.ts'
import { scopesFor } from '#workflows/access.ts'
import { listEnterprises } from '#workflows/commands/enterprises.ts'

export const PAGE_SIZE = 20
const MANAGER_ROLES: Role[] = ['coordinator', 'federation_admin']

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'enterprise.list.title')

function pageOf(url: URL): number {
  const page = Number(url.searchParams.get('page') ?? '1')
  return Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, MANAGER_ROLES)
  const principal = principalOf(user)
  const url = new URL(request.url)
  const query = (url.searchParams.get('q') ?? '').slice(0, 100)
  const page = pageOf(url)
  const found = await listEnterprises(context.db, principal, {
    query,
    page,
    pageSize: PAGE_SIZE,
  }).catch(throwDomainError)
  const scopes = scopesFor(principal, MANAGER_ROLES)
  return {
    query,
    page,
    hasNext: found.hasNext,
    scopes: [...new Set(user.memberships.filter((m) => scopes.includes(m)).map((m) => m.orgName))],
    enterprises: found.rows.map((r) => ({
      id: r.id,
      name: r.name,
      creditCode: r.credit_code,
      industry: r.industry,
      size: r.size,
      orgName: r.orgName,
      stewardName: r.stewardName,
      listCount: r.listCount,
    })),
  }
}

export default function Enterprises() {
  const { query, page, hasNext, scopes, enterprises } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const none = t('enterprise.profile.none')
  const pageLink = (n: number) => {
    const params = new URLSearchParams()
    if (query) params.set('q', query)
    if (n > 1) params.set('page', String(n))
    const qs = params.toString()
    return qs ? `/enterprises?${qs}` : '/enterprises'
  }
  return (
    <section className="card">
      <h1>{t('enterprise.list.title')}</h1>
      {scopes.map((org) => (
        <p key={org} className="muted">
          {t('enterprise.list.scope', { org })}
        </p>
      ))}
      <Form method="get" className="actions" role="search">
        <label htmlFor="enterprise-search" className="muted">
          {t('enterprise.list.searchLabel')}
        </label>
        <input id="enterprise-search" type="text" name="q" defaultValue={query} />
        <button type="submit">{t('enterprise.list.search')}</button>
        {query ? (
          <Link to="/enterprises" className="button secondary">
            {t('enterprise.list.clear')}
          </Link>
        ) : null}
        <Link to="/enterprises/new" className="button secondary">
          {t('enterprise.list.newButton')}
        </Link>
      </Form>
      {enterprises.length === 0 ? (
        <p className="muted">{t('enterprise.list.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('enterprise.fields.name')}</th>
              <th scope="col">{t('enterprise.fields.creditCode')}</th>
              <th scope="col">{t('enterprise.fields.industry')}</th>
              <th scope="col">{t('enterprise.fields.size')}</th>
              <th scope="col">{t('enterprise.fields.org')}</th>
              <th scope="col">{t('enterprise.fields.steward')}</th>
              <th scope="col">{t('enterprise.list.lists')}</th>
            </tr>
          </thead>
          <tbody>
            {enterprises.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to={`/enterprises/${e.id}`}>{e.name}</Link>
                </td>
                <td>{e.creditCode ?? none}</td>
                <td>{e.industry ? t(`enterprise.industry.${e.industry}`) : none}</td>
                <td>{e.size ? t(`enterprise.size.${e.size}`) : none}</td>
                <td>{e.orgName}</td>
                <td>{e.stewardName ?? none}</td>
                <td>{t('enterprise.list.listCount', { count: e.listCount })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page > 1 || hasNext ? (
        <nav className="pager" aria-label={t('enterprise.list.page', { page })}>
          {page > 1 ? <Link to={pageLink(page - 1)}>{t('enterprise.list.prev')}</Link> : null}{' '}
          <span className="muted">{t('enterprise.list.page', { page })}</span>{' '}
          {hasNext ? <Link to={pageLink(page + 1)}>{t('enterprise.list.next')}</Link> : null}
        </nav>
      ) : null}
    </section>
  )
}
