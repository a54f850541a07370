import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { VisitStatus } from '#app/components/visit-status.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { myVisits } from '#workflows/commands/visits.ts'
import '#app/styles/matching.css'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'visits.my.title')

/** An expert's, steward's (or enterprise contact's) upcoming visits. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  return { visits: await myVisits(context.db, principalOf(user), context.now()) }
}

export default function MyVisits() {
  const { visits } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <section className="card">
      <h1>{t('visits.my.title')}</h1>
      <p className="muted">{t('visits.my.intro')}</p>
      {visits.length === 0 ? (
        <p className="muted">{t('visits.my.none')}</p>
      ) : (
        <table data-testid="my-visits">
          <thead>
            <tr>
              <th>{t('visits.list.when')}</th>
              <th>{t('visits.field.kind')}</th>
              <th>{t('visits.my.case')}</th>
              <th>{t('visits.field.place')}</th>
              <th>{t('visits.my.myRole')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {visits.map((v) => (
              <tr key={v.id} data-visit={v.id}>
                <td>{formatDateTime(v.startsAt, i18n.language)}</td>
                <td>{t(`visits.kind.${v.kind}`)}</td>
                <td>
                  {v.listTitle}
                  <div className="muted">{v.enterpriseName}</div>
                </td>
                <td>{v.place}</td>
                <td>{v.myRole ? t(`visits.role.${v.myRole}`) : '—'}</td>
                <td>
                  <VisitStatus status={v.status} />{' '}
                  <Link to={`/visits/${v.id}`}>{t('visits.visit.title')}</Link>{' '}
                  <a href={`/visits/${v.id}.ics`} download>
                    .ics
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
