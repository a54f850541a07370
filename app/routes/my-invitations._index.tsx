import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { ResourceStatus } from '#app/components/resource-status.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { myInvitations } from '#workflows/commands/invitations.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'matching.invitations.title')

/** The expert's invitations: only those addressed to the profile they sign in as. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const rows = await myInvitations(context.db, principalOf(user)).catch(throwDomainError)
  return {
    invitations: rows.map((r) => ({
      id: r.id,
      status: r.status,
      dueAt: r.dueAt,
      listTitle: r.listTitle,
      enterpriseName: r.enterpriseName,
      itemTitle: r.itemTitle,
      teamName: r.teamName,
    })),
  }
}

export default function MyInvitations() {
  const { invitations } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <section className="card">
      <h1>{t('matching.invitations.title')}</h1>
      <p className="muted">{t('matching.invitations.intro')}</p>
      {invitations.length === 0 ? (
        <p className="muted">{t('matching.invitations.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('matching.invitations.item')}</th>
              <th scope="col">{t('matching.invitations.enterprise')}</th>
              <th scope="col">{t('matching.invitations.case')}</th>
              <th scope="col">{t('matching.invitations.status')}</th>
              <th scope="col">{t('matching.invitations.dueAt')}</th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((inv) => (
              <tr key={inv.id} data-invitation={inv.id}>
                <td>
                  <Link to={`/my-invitations/${inv.id}`}>{inv.itemTitle}</Link>
                  {inv.teamName ? (
                    <span className="muted">
                      {' '}
                      {t('matching.invitations.team', { team: inv.teamName })}
                    </span>
                  ) : null}
                </td>
                <td>{inv.enterpriseName}</td>
                <td>{inv.listTitle}</td>
                <td>
                  <ResourceStatus status={inv.status} />
                </td>
                <td>
                  {inv.status === 'pending' && inv.dueAt
                    ? formatDateTime(inv.dueAt, i18n.language)
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
