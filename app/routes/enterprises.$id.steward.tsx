import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { principalOf, requireUser, safeRedirect } from '#app/auth/session.server.ts'
import { industryLabel, StewardRecommendations } from '#app/components/steward-recommendations.tsx'
import { TriageNotice, withParam } from '#app/components/triage-panel.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { assignSteward, enterpriseStewardView } from '#workflows/commands/stewards.ts'
import { assignReasonSchema, stewardIdSchema } from '#workflows/steward.schema.ts'

const optionalId = z.number({ error: 'errors.badRequest' }).int().positive().optional()

const actionSchema = z.object({
  intent: z.literal('assign', { error: 'errors.badRequest' }),
  stewardId: stewardIdSchema,
  reason: assignReasonSchema,
  caseId: optionalId,
  version: optionalId,
  /** The steward the page showed: 'none' or their id (a change since is a conflict). */
  expectedSteward: z
    .string({ error: 'errors.badRequest' })
    .regex(/^(none|[1-9][0-9]{0,9})$/, { error: 'errors.badRequest' })
    .transform((v) => (v === 'none' ? null : Number(v))),
  redirectTo: z.string().optional(),
})

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'steward.enterprisePageTitle', data?.enterprise.name)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await enterpriseStewardView(context.db, principalOf(user), id).catch(
    throwDomainError,
  )
  const { enterprise } = view
  return {
    enterprise: {
      id: enterprise.id,
      name: enterprise.name,
      orgName: enterprise.orgName,
      district: enterprise.district,
      park: enterprise.park,
      industry: enterprise.industry,
      stewardId: enterprise.steward_user_id,
      stewardName: enterprise.stewardName,
    },
    history: view.history,
    openCases: view.openCases,
    ranked: view.ranked,
    canAssign: view.canAssign,
  }
}

/** Assigns or reassigns the dedicated steward (also from a needs list awaiting one). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  const input = submission.value
  try {
    await assignSteward(
      context.db,
      principalOf(user),
      {
        enterpriseId: id,
        stewardId: input.stewardId,
        reason: input.reason,
        caseId: input.caseId,
        expectedVersion: input.version,
        expectedStewardId: input.expectedSteward,
      },
      { now: context.now() },
    )
  } catch (err) {
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  const back = safeRedirect(input.redirectTo, `/enterprises/${id}/steward`)
  return redirect(withParam(back, 'steward', 'assigned'))
}

export default function EnterpriseSteward() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { enterprise } = data
  return (
    <>
      <section className="card">
        <h1>
          {t('steward.enterprisePageTitle')}: {enterprise.name}
        </h1>
        <TriageNotice />
        <dl className="facts">
          <dt>{t('needsList.org')}</dt>
          <dd>{enterprise.orgName}</dd>
          <dt>{t('steward.facts.district')}</dt>
          <dd>{enterprise.district ?? '—'}</dd>
          <dt>{t('steward.facts.park')}</dt>
          <dd>{enterprise.park ?? '—'}</dd>
          <dt>{t('steward.facts.industry')}</dt>
          <dd>{enterprise.industry ? industryLabel(t, enterprise.industry) : '—'}</dd>
          <dt>{t('steward.dedicated')}</dt>
          <dd>{enterprise.stewardName ?? t('steward.none')}</dd>
        </dl>
        <h2>{t('steward.openCases')}</h2>
        {data.openCases.length === 0 ? (
          <p className="muted">{t('steward.noOpenCases')}</p>
        ) : (
          <ul>
            {data.openCases.map((c) => (
              <li key={c.id}>
                <Link to={`/needs-lists/${c.id}`}>{c.title}</Link>{' '}
                <span className={`status status-${c.status}`}>{t(`status.${c.status}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {data.canAssign ? (
        <section className="card">
          <h2>
            {enterprise.stewardId ? t('steward.reassignHeading') : t('steward.assignHeading')}
          </h2>
          <StewardRecommendations
            enterpriseId={enterprise.id}
            ranked={data.ranked}
            currentStewardId={enterprise.stewardId}
            lastResult={actionData?.result}
          />
        </section>
      ) : null}
      <section className="card">
        <h2>{t('steward.history')}</h2>
        {data.history.length === 0 ? (
          <p className="muted">{t('steward.noHistory')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('steward.steward')}</th>
                <th scope="col">{t('steward.period')}</th>
                <th scope="col">{t('steward.assignedBy')}</th>
                <th scope="col">{t('steward.reasonHeader')}</th>
              </tr>
            </thead>
            <tbody>
              {data.history.map((h) => (
                <tr key={h.id}>
                  <td>{h.stewardName}</td>
                  <td>
                    {formatDateTime(h.assignedAt, lng)} –{' '}
                    {h.endedAt ? formatDateTime(h.endedAt, lng) : t('steward.untilNow')}
                  </td>
                  <td>{h.assignedByName}</td>
                  <td>
                    {h.reason ?? '—'}
                    {h.endedReason ? (
                      <>
                        <br />
                        <span className="muted">
                          {t('steward.endedBecause', { reason: h.endedReason })}
                        </span>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}
