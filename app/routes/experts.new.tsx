import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import {
  EXPERT_FORM_FIELDS,
  ExpertProfileForm,
  expertFormDefaults,
} from '#app/components/expert-profile-form.tsx'
import { invalidForm, readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { withNotice } from '#app/utils/notice.ts'
import { talentFormError } from '#app/utils/talent-form.server.ts'
import { skillDomains } from '#app/utils/taxonomy.server.ts'
import { createExpert, manageableOrgs, TALENT_MANAGER_ROLES } from '#workflows/commands/experts.ts'
import { expertProfileSchema } from '#workflows/talent/schema.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'talent.form.newTitle')

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, TALENT_MANAGER_ROLES)
  const [orgs, domains] = await Promise.all([
    manageableOrgs(context.db, principalOf(user)),
    skillDomains(context.db),
  ])
  return { orgs: orgs.map((o) => ({ id: o.id, name: o.name })), domains }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, TALENT_MANAGER_ROLES)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: expertProfileSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  let id: number
  try {
    id = await createExpert(context.db, principalOf(user), submission.value)
  } catch (err) {
    return talentFormError(submission, err, EXPERT_FORM_FIELDS)
  }
  return redirect(withNotice(`/experts/${id}`, 'created'))
}

export default function NewExpert() {
  const { orgs, domains } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <section className="card">
      <h1>{t('talent.form.newTitle')}</h1>
      <ExpertProfileForm
        id="new-expert"
        mode="manager"
        defaults={expertFormDefaults(null, orgs.length === 1 ? orgs[0]?.id : undefined)}
        lastResult={actionData?.result}
        orgs={orgs}
        domains={domains}
        cancelTo="/experts"
      />
    </section>
  )
}
