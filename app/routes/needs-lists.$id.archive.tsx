import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { CaseArchiveView, type PhotoSource } from '#app/components/archive-document.tsx'
import { ArchiveStyles } from '#app/components/archive-styles.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { idParam, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { type CaseArchive, caseArchive } from '#workflows/commands/case-archive.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'archive.title', data?.archive.case.title)

/** Photos on the page come from the visits' photo route (same rights as the visit's records). */
const photoSrc: PhotoSource = (photo) => `/visit-photos/${photo.id}`

/** The case archive: every record of the case in order (see commands/case-archive.ts for who sees it). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const { archive } = await caseArchive(context.db, principalOf(user), id, {
    now: context.now(),
  }).catch(throwDomainError)
  return { archive }
}

export default function Archive() {
  const page = useLoaderData<typeof loader>()
  const archive = page.archive as unknown as CaseArchive
  const { t, i18n } = useTranslation()
  const c = archive.case
  return (
    <>
      <ArchiveStyles />
      <section className="card no-print">
        <p>
          <Link to={`/needs-lists/${c.id}`}>{t('archive.back')}</Link>
          {' · '}
          <Link to="/archive">{t('archive.listTitle')}</Link>
        </p>
        <h1>
          {t('archive.title')} · {c.title}{' '}
          <span className={`status status-${c.status}`}>{t(`status.${c.status}`)}</span>
        </h1>
        <p className="muted">
          {c.archivedAt
            ? t('archive.archivedAt', { at: formatDateTime(c.archivedAt, i18n.language) })
            : t('archive.notArchived')}
        </p>
        {archive.audience === 'expert' ? <p className="muted">{t('archive.expertView')}</p> : null}
        <div className="actions">
          {/* A file download: a plain link, outside client-side routing. */}
          <a href={`/needs-lists/${c.id}/archive.zip`} className="button">
            {t('archive.download')}
          </a>
          <span className="muted">{t('archive.downloadHint')}</span>
        </div>
      </section>
      <article className="card" data-testid="case-archive">
        <CaseArchiveView archive={archive} photoSrc={photoSrc} />
      </article>
    </>
  )
}
