import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { LoadMeter, StatusBadge } from '#app/components/expert-display.tsx'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice } from '#app/utils/notice.ts'
import { TALENT_READER_ROLES } from '#workflows/commands/experts.ts'
import { listTeams } from '#workflows/commands/service-teams.ts'
import '#app/styles/triage.css'

export const PAGE_SIZE = 30

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'talent.teams.title')

const NOTICES = noticeKeys('talent.notices', ['teamDeleted'])

function pageOf(url: URL): number {
  const page = Number(url.searchParams.get('page') ?? '1')
  return Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1
}

/** Service teams of the user's subtrees (coordinators, federation admins, stewards). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, TALENT_READER_ROLES)
  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 60)
  const page = pageOf(url)
  const found = await listTeams(context.db, principalOf(user), {
    q: q || undefined,
    page,
    pageSize: PAGE_SIZE,
  }).catch(throwDomainError)
  return { q, page, ...found, notice: readNotice(request, NOTICES) }
}

export default function Teams() {
  const { q, page, rows, hasNext, canCreate, notice } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const link = (n: number) => {
    const params = new URLSearchParams()
    if (q) params.set('q', q)
    if (n > 1) params.set('page', String(n))
    const s = params.toString()
    return s ? `/teams?${s}` : '/teams'
  }
  return (
    <section className="card">
      <h1>{t('talent.teams.title')}</h1>
      <p className="muted">{t('talent.teams.intro')}</p>
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      <Form method="get" className="actions" role="search">
        <label htmlFor="team-q" className="muted">
          {t('talent.teams.search')}
        </label>
        <input id="team-q" type="text" name="q" defaultValue={q} maxLength={60} />
        <button type="submit">{t('talent.list.search')}</button>
        {canCreate ? (
          <Link to="/teams/new" className="button secondary">
            {t('talent.teams.newButton')}
          </Link>
        ) : null}
        <Link to="/experts" className="button secondary">
          {t('talent.nav.experts')}
        </Link>
      </Form>
      {rows.length === 0 ? (
        <p className="muted">{t('talent.teams.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('talent.teams.name')}</th>
              <th scope="col">{t('talent.teams.leader')}</th>
              <th scope="col">{t('talent.teams.members')}</th>
              <th scope="col">{t('talent.teams.org')}</th>
              <th scope="col">{t('talent.teams.load')}</th>
              <th scope="col">{t('talent.teams.status')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/teams/${r.id}`}>{r.name}</Link>
                </td>
                <td>{r.leaderName}</td>
                <td>{t('talent.teams.memberCount', { count: r.memberCount })}</td>
                <td>{r.orgName}</td>
                <td>
                  <LoadMeter load={r.load} capacity={r.capacity} />
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page > 1 || hasNext ? (
        <nav className="pager" aria-label={t('enterprise.list.page', { page })}>
          {page > 1 ? <Link to={link(page - 1)}>{t('talent.list.prev')}</Link> : null}
          <span className="muted">{t('enterprise.list.page', { page })}</span>
          {hasNext ? <Link to={link(page + 1)}>{t('talent.list.next')}</Link> : null}
        </nav>
      ) : null}
    </section>
  )
}
