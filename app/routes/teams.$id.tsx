import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { LoadMeter, StatusBadge } from '#app/components/expert-display.tsx'
import { TEAM_FORM_FIELDS, TeamForm } from '#app/components/expert-team-fields.tsx'
import {
  domainFormError,
  idParam,
  intField,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import { talentFormError } from '#app/utils/talent-form.server.ts'
import { manageableOrgs } from '#workflows/commands/experts.ts'
import {
  addMember,
  deleteTeam,
  loadTeam,
  memberCandidates,
  removeMember,
  updateTeam,
} from '#workflows/commands/service-teams.ts'
import { teamSchema } from '#workflows/talent/schema.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'talent.teams.title', data?.team.name)

const NOTICES = noticeKeys('talent.notices', [
  'teamCreated',
  'teamSaved',
  'memberAdded',
  'memberRemoved',
])

/**
 * A service team: members and load for readers (stewards too); its
 * managers also edit its fields, add members (found with ?q=) and remove
 * them, or delete it.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const principal = principalOf(user)
  const team = await loadTeam(context.db, principal, id).catch(throwDomainError)
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 50)
  const [orgs, candidates] = team.can.edit
    ? await Promise.all([
        manageableOrgs(context.db, principal),
        q ? memberCandidates(context.db, principal, id, q) : Promise.resolve([]),
      ])
    : [[], []]
  return {
    team,
    q,
    orgs: orgs.map((o) => ({ id: o.id, name: o.name })),
    candidates: candidates.map((c) => ({
      id: c.id,
      name: c.name,
      employer: c.employer,
      orgName: c.orgName,
    })),
    notice: readNotice(request, NOTICES),
  }
}

type Problem = { intent: string; error: string }

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const principal = principalOf(user)
  const form = await readForm(request, context)
  const intent = String(form.get('intent') ?? '')
  if (intent === 'save') {
    const submission = parseWithZod(form, { schema: teamSchema })
    if (submission.status !== 'success') return invalidForm(submission)
    try {
      await updateTeam(context.db, principal, id, submission.value)
    } catch (err) {
      return talentFormError(submission, err, TEAM_FORM_FIELDS)
    }
    return redirect(withNotice(`/teams/${id}`, 'teamSaved'))
  }
  const expertId = intField(form, 'expertId')
  try {
    if (intent === 'add' && expertId !== undefined && expertId > 0) {
      await addMember(context.db, principal, id, expertId)
      return redirect(withNotice(`/teams/${id}`, 'memberAdded'))
    }
    if (intent === 'remove' && expertId !== undefined && expertId > 0) {
      await removeMember(context.db, principal, id, expertId)
      return redirect(withNotice(`/teams/${id}`, 'memberRemoved'))
    }
    if (intent === 'delete') {
      await deleteTeam(context.db, principal, id)
      return redirect(withNotice('/teams', 'teamDeleted'))
    }
  } catch (err) {
    const { key, status } = domainFormError(err)
    return data<Problem>({ intent, error: key }, { status })
  }
  return data<Problem>({ intent, error: 'errors.badRequest' }, { status: 400 })
}

export default function Team() {
  const { team, q, orgs, candidates, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const problem = actionData && 'error' in actionData ? actionData : null
  const result = actionData && 'result' in actionData ? actionData.result : undefined
  return (
    <>
      <section className="card">
        <h1>
          {team.name} <StatusBadge status={team.status} />
        </h1>
        {notice ? (
          <p className="notice" role="status">
            {t(notice)}
          </p>
        ) : null}
        {problem ? (
          <p className="form-error" role="alert">
            {t(problem.error)}
          </p>
        ) : null}
        <div className="need-item-details">
          <dl>
            <dt>{t('talent.teams.leader')}</dt>
            <dd>
              <Link to={`/experts/${team.leaderId}`}>{team.leaderName}</Link>
            </dd>
            <dt>{t('talent.teams.org')}</dt>
            <dd>{team.orgName}</dd>
            <dt>{t('talent.teams.load')}</dt>
            <dd>
              <LoadMeter load={team.load} capacity={team.capacity} />
            </dd>
            <dt>{t('talent.teams.bio')}</dt>
            <dd>{team.bio ?? t('talent.none')}</dd>
          </dl>
        </div>
        <h2>
          {t('talent.teams.members')}{' '}
          <span className="muted">
            {t('talent.teams.memberCount', { count: team.members.length })}
          </span>
        </h2>
        <table>
          <tbody>
            {team.members.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link to={`/experts/${m.id}`}>{m.name}</Link>
                  {m.leader ? ` · ${t('talent.profile.leads')}` : null}
                  <br />
                  <span className="muted">
                    {[m.employer, m.jobTitle, m.orgName].filter(Boolean).join(' · ')}
                  </span>
                </td>
                <td>
                  <StatusBadge status={m.status} />
                </td>
                <td>
                  {team.can.edit && !m.leader ? (
                    <Form method="post" className="inline">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="expertId" value={m.id} />
                      <button type="submit" className="secondary">
                        {t('talent.teams.remove')}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <Link to="/teams">{t('talent.teams.back')}</Link>
        </p>
      </section>
      {team.can.edit ? (
        <>
          <section className="card">
            <h2>{t('talent.teams.addMember')}</h2>
            <Form method="get" className="actions" role="search">
              <label htmlFor="member-q" className="muted">
                {t('talent.teams.memberSearch')}
              </label>
              <input id="member-q" type="text" name="q" defaultValue={q} maxLength={50} />
              <button type="submit" className="secondary">
                {t('talent.teams.find')}
              </button>
            </Form>
            {q && candidates.length === 0 ? (
              <p className="muted">{t('talent.teams.noCandidates')}</p>
            ) : null}
            {candidates.length > 0 ? (
              <ul>
                {candidates.map((c) => (
                  <li key={c.id}>
                    <Form method="post" className="inline">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="add" />
                      <input type="hidden" name="expertId" value={c.id} />
                      {c.name}{' '}
                      <span className="muted">
                        {[c.employer, c.orgName].filter(Boolean).join(' · ')}
                      </span>{' '}
                      <button type="submit" className="secondary">
                        {t('talent.teams.add')}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
          <section className="card">
            <h2>{t('talent.teams.edit')}</h2>
            <TeamForm
              id="edit-team"
              defaults={{
                name: team.name,
                orgId: String(team.orgId),
                leaderId: String(team.leaderId),
                capacity: String(team.capacity),
                status: team.status,
                bio: team.bio ?? '',
              }}
              lastResult={result}
              orgs={orgs}
              leaders={team.members.map((m) => ({ id: m.id, name: m.name, detail: m.employer }))}
              cancelTo="/teams"
            />
          </section>
          <section className="card">
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="delete" />
              <p className="muted">{t('talent.teams.deleteHint')}</p>
              <button type="submit" className="secondary">
                {t('talent.teams.delete')}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </>
  )
}
