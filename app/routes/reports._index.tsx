import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireRole } from '#app/auth/session.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { LIST_READER_ROLES } from '#workflows/commands/report-lists.ts'
import { LIST_KINDS } from '#workflows/reports/list-filters.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'reports.index.title')

/** The union readers' reports: the four lists, the talent pool and the periodic report. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, LIST_READER_ROLES)
  return null
}

export default function Reports() {
  const { t } = useTranslation()
  return (
    <section className="card">
      <h1>{t('reports.index.title')}</h1>
      <p className="muted">{t('reports.index.intro')}</p>
      <h2>{t('reports.index.lists')}</h2>
      <ul>
        {LIST_KINDS.map((kind) => (
          <li key={kind}>
            <Link to={`/reports/${kind}`}>{t(`reports.kinds.${kind}`)}</Link>
            <span className="muted"> — {t(`reports.hints.${kind}`)}</span>
          </li>
        ))}
        <li>
          <Link to="/experts">{t('reports.index.experts')}</Link>
          <span className="muted"> — {t('reports.index.expertsHint')}</span>
        </li>
      </ul>
      <h2>{t('reports.index.periodic')}</h2>
      <ul>
        <li>
          <Link to="/reports/periodic">{t('reports.index.periodic')}</Link>
          <span className="muted"> — {t('reports.index.periodicHint')}</span>
        </li>
        <li>
          <Link to="/dashboard">{t('reports.index.dashboard')}</Link>
          <span className="muted"> — {t('reports.index.dashboardHint')}</span>
        </li>
      </ul>
    </section>
  )
}
