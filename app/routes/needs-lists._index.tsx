import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireRole } from '#app/auth/session.server.ts'
import { formatDateTime } from '#app/utils/format.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { needsListsOfEnterprise } from '#db/queries/needs-lists.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'needsList.listTitle')

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, ['enterprise_contact'])
  const enterpriseIds = [
    ...new Set(
      user.memberships.flatMap((m) =>
        m.role === 'enterprise_contact' && m.enterpriseId !== null ? [m.enterpriseId] : [],
      ),
    ),
  ]
  const perEnterprise = await Promise.all(
    enterpriseIds.map((id) => needsListsOfEnterprise(context.db, id)),
  )
  const lists = perEnterprise
    .flat()
    .map((l) => ({
      id: l.id,
      title: l.title,
      status: l.status,
      submittedAt: l.submitted_at,
      updatedAt: l.updated_at,
      itemCount: Number(l.itemCount ?? 0),
    }))
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
  return { lists }
}

export default function MyNeedsLists() {
  const { lists } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <section className="card">
      <h1>{t('needsList.listTitle')}</h1>
      {lists.length === 0 ? (
        <p className="muted">{t('needsList.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('needsList.title')}</th>
              <th scope="col">{t('needsList.status')}</th>
              <th scope="col">{t('needsList.items')}</th>
              <th scope="col">{t('needsList.submittedAt')}</th>
              <th scope="col">{t('needsList.updatedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.id}>
                <td>
                  <Link to={`/needs-lists/${l.id}`}>{l.title}</Link>
                </td>
                <td>
                  <span className={`status status-${l.status}`}>{t(`status.${l.status}`)}</span>
                </td>
                <td>{t('needsList.itemCount', { count: l.itemCount })}</td>
                <td>{l.submittedAt ? formatDateTime(l.submittedAt, i18n.language) : '—'}</td>
                <td>{formatDateTime(l.updatedAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <Link to="/needs-lists/new" className="button">
          {t('needsList.newButton')}
        </Link>
      </div>
    </section>
  )
}
