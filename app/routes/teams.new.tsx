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
import { TEAM_FORM_FIELDS, TeamForm } from '#app/components/expert-team-fields.tsx'
import { invalidForm, readForm, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { withNotice } from '#app/utils/notice.ts'
import { talentFormError } from '#app/utils/talent-form.server.ts'
import { TALENT_MANAGER_ROLES } from '#workflows/commands/experts.ts'
import { createTeam, teamFormOptions } from '#workflows/commands/service-teams.ts'
import { teamSchema } from '#workflows/talent/schema.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'talent.teams.newTitle')

/** A new team; ?leader=<expert id> preselects its leader (from the expert's profile). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, TALENT_MANAGER_ROLES)
  const options = await teamFormOptions(context.db, principalOf(user)).catch(throwDomainError)
  const leader = Number(new URL(request.url).searchParams.get('leader') ?? '')
  return {
    orgs: options.orgs.map((o) => ({ id: o.id, name: o.name })),
    experts: options.experts.map((e) => ({
      id: e.id,
      name: e.name,
      detail: [e.employer, e.orgName].filter(Boolean).join(' · '),
    })),
    leaderId: options.experts.some((e) => e.id === leader) ? leader : null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, TALENT_MANAGER_ROLES)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: teamSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  let id: number
  try {
    id = await createTeam(context.db, principalOf(user), submission.value)
  } catch (err) {
    return talentFormError(submission, err, TEAM_FORM_FIELDS)
  }
  return redirect(withNotice(`/teams/${id}`, 'teamCreated'))
}

export default function NewTeam() {
  const { orgs, experts, leaderId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <section className="card">
      <h1>{t('talent.teams.newTitle')}</h1>
      {experts.length === 0 ? <p className="notice">{t('talent.teams.noExperts')}</p> : null}
      <TeamForm
        id="new-team"
        defaults={{
          name: '',
          orgId: orgs.length === 1 ? String(orgs[0]?.id) : '',
          leaderId: leaderId ? String(leaderId) : '',
          capacity: '1',
          status: 'active',
          bio: '',
        }}
        lastResult={actionData?.result}
        orgs={orgs}
        leaders={experts}
        cancelTo="/teams"
      />
    </section>
  )
}
