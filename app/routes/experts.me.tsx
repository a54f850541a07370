import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { gradeLabel, honourLabel, LoadMeter } from '#app/components/expert-display.tsx'
import { ExpertProfileForm, expertFormDefaults } from '#app/components/expert-profile-form.tsx'
import { invalidForm, readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import { talentFormError } from '#app/utils/talent-form.server.ts'
import { skillDomains } from '#app/utils/taxonomy.server.ts'
import { ownExpertProfile, updateOwnProfile } from '#workflows/commands/experts.ts'
import { ownProfileSchema } from '#workflows/talent/schema.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'talent.me.title')

const NOTICES = noticeKeys('talent.notices', ['saved'])

/**
 * The signed-in expert's own profile (role expert, linked by
 * expert.user_id). Anyone else signed in sees that no profile is linked.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const expert = await ownExpertProfile(context.db, principalOf(user))
  if (!expert) return { expert: null, domains: [], notice: null }
  return {
    expert,
    domains: await skillDomains(context.db),
    notice: readNotice(request, NOTICES),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: ownProfileSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  try {
    await updateOwnProfile(context.db, principalOf(user), submission.value)
  } catch (err) {
    return talentFormError(submission, err, ['skills'])
  }
  return redirect(withNotice('/experts/me', 'saved'))
}

export default function MyExpertProfile() {
  const { expert, domains, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  if (!expert) {
    return (
      <section className="card">
        <h1>{t('talent.me.title')}</h1>
        <p className="muted">{t('talent.me.notLinked')}</p>
      </section>
    )
  }
  return (
    <section className="card">
      <h1>
        {t('talent.me.title')}: {expert.name}
      </h1>
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      <p className="muted">{t('talent.me.intro')}</p>
      <div className="need-item-details">
        <dl>
          <dt>{t('talent.fields.mobile')}</dt>
          <dd>{expert.mobile}</dd>
          <dt>{t('talent.fields.grade')}</dt>
          <dd>{gradeLabel(t, expert.grade)}</dd>
          <dt>{t('talent.fields.honours')}</dt>
          <dd>{expert.honours.map((h) => honourLabel(t, h)).join('；') || t('talent.none')}</dd>
          <dt>{t('talent.fields.org')}</dt>
          <dd>{expert.orgName}</dd>
          <dt>{t('talent.fields.load')}</dt>
          <dd>
            <LoadMeter load={expert.load} capacity={expert.capacity} />
          </dd>
        </dl>
        <p className="muted">{t('talent.me.locked', { org: expert.orgName })}</p>
        <p>
          <Link to={`/experts/${expert.id}`}>{t('talent.profile.title')}</Link>
        </p>
      </div>
      <ExpertProfileForm
        id="own-expert"
        mode="own"
        defaults={expertFormDefaults(expert)}
        lastResult={actionData?.result}
        orgs={[]}
        domains={domains}
        cancelTo={`/experts/${expert.id}`}
      />
    </section>
  )
}
