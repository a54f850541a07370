import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { ExpertProfileView } from '#app/components/expert-profile-view.tsx'
import { idParam, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice } from '#app/utils/notice.ts'
import { loadExpert } from '#workflows/commands/experts.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'talent.profile.title', data?.expert.name)

const NOTICES = noticeKeys('talent.notices', ['created', 'saved'])

/** The profile, for union roles whose subtree manages it and for the expert themself. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const expert = await loadExpert(context.db, principalOf(user), id).catch(throwDomainError)
  return { expert, notice: readNotice(request, NOTICES) }
}

export default function ExpertProfile() {
  const { expert, notice } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <section className="card">
      <h1>
        {expert.name}{' '}
        <span className="muted">
          {[expert.employer, expert.jobTitle].filter(Boolean).join(' · ')}
        </span>
      </h1>
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {expert.can.editOwn ? <p className="muted">{t('talent.profile.ownNotice')}</p> : null}
      <div className="actions">
        {expert.can.edit ? (
          <Link to={`/experts/${expert.id}/edit`} className="button">
            {t('talent.profile.edit')}
          </Link>
        ) : null}
        {expert.can.editOwn ? (
          <Link to="/experts/me" className="button secondary">
            {t('talent.profile.editOwn')}
          </Link>
        ) : null}
        {expert.can.edit ? (
          <Link to={`/teams/new?leader=${expert.id}`} className="button secondary">
            {t('talent.profile.newTeam')}
          </Link>
        ) : null}
        {expert.can.pool ? (
          <Link to="/experts" className="button secondary">
            {t('talent.profile.back')}
          </Link>
        ) : null}
      </div>
      <ExpertProfileView expert={expert} linkTeams={expert.can.pool} />
    </section>
  )
}
