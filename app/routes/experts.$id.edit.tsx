import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import {
  EXPERT_FORM_FIELDS,
  ExpertProfileForm,
  expertFormDefaults,
} from '#app/components/expert-profile-form.tsx'
import { idParam, invalidForm, readForm, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { withNotice } from '#app/utils/notice.ts'
import { talentFormError } from '#app/utils/talent-form.server.ts'
import { skillDomains } from '#app/utils/taxonomy.server.ts'
import { loadExpertForEdit, manageableOrgs, updateExpert } from '#workflows/commands/experts.ts'
import { expertProfileSchema } from '#workflows/talent/schema.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'talent.form.editTitle', data?.expert.name)

/** Coordinators and federation admins whose subtree manages the expert. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const principal = principalOf(user)
  const expert = await loadExpertForEdit(context.db, principal, id).catch(throwDomainError)
  const [orgs, domains] = await Promise.all([
    manageableOrgs(context.db, principal),
    skillDomains(context.db),
  ])
  return { expert, orgs: orgs.map((o) => ({ id: o.id, name: o.name })), domains }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: expertProfileSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  try {
    await updateExpert(context.db, principalOf(user), id, submission.value)
  } catch (err) {
    return talentFormError(submission, err, EXPERT_FORM_FIELDS)
  }
  return redirect(withNotice(`/experts/${id}`, 'saved'))
}

export default function EditExpert() {
  const { expert, orgs, domains } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <section className="card">
      <h1>
        {t('talent.form.editTitle')}: {expert.name}
      </h1>
      <ExpertProfileForm
        id="edit-expert"
        mode="manager"
        defaults={expertFormDefaults(expert)}
        lastResult={actionData?.result}
        orgs={orgs}
        domains={domains}
        cancelTo={`/experts/${expert.id}`}
      />
    </section>
  )
}
