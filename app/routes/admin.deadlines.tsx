import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import {
  formDomainError,
  invalidForm,
  queryId,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import {
  LIVE_SLA_STAGES,
  resetSlaRule,
  setSlaRule,
  slaPolicyPage,
} from '#workflows/commands/sla.ts'
import { SLA_STAGES, slaRuleSchema } from '#workflows/sla.ts'
import '#app/styles/deadlines.css'
import { OrgPicker } from '#app/components/org-picker.tsx'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'

const PATH = '/admin/deadlines'

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    slaRuleSchema.safeExtend({ intent: z.literal('save') }),
    z.object({
      intent: z.literal('reset'),
      orgId: z.coerce.number({ error: 'errors.badRequest' }).int().positive(),
      stage: z.enum(SLA_STAGES, { error: 'deadlines.errors.stage' }),
    }),
  ],
  { error: 'errors.badRequest' },
)

const DONE = { save: 'saved', reset: 'wasReset' } as const
const NOTICE_KEYS = noticeKeys('deadlines.policy', Object.values(DONE))

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'deadlines.policy.title')

/** The deadline of every stage for one org of the admin's subtrees, with where it comes from. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  const params = new URL(request.url).searchParams
  const page = await slaPolicyPage(context.db, principalOf(user), queryId(params, 'org')).catch(
    throwDomainError,
  )
  return {
    org: page.org,
    orgs: page.orgs,
    stages: page.rules.map((r) => ({
      stage: r.stage,
      workingDays: r.rule.workingDays,
      remindBefore: r.rule.remindBeforeWorkingDays,
      source: r.source,
      live: LIVE_SLA_STAGES.includes(r.stage),
    })),
    notice: readNotice(request, NOTICE_KEYS),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  const input = submission.value
  const principal = principalOf(user)
  try {
    if (input.intent === 'save') {
      await setSlaRule(context.db, principal, input, context.now())
    } else {
      await resetSlaRule(context.db, principal, input)
    }
  } catch (err) {
    return formDomainError(submission, err)
  }
  return redirect(withNotice(`${PATH}?org=${input.orgId}#stage-${input.stage}`, DONE[input.intent]))
}

export default function DeadlinesAdmin() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const result = actionData?.result
  const failedStage =
    typeof result?.initialValue?.stage === 'string' ? result.initialValue.stage : null
  const error =
    result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
  return (
    <section className="card deadline-admin">
      <h1>{t('deadlines.policy.title')}</h1>
      <p className="muted">{t('deadlines.policy.intro')}</p>
      <p className="muted">{t('deadlines.policy.appliesFromNow')}</p>
      {data.notice && !actionData ? (
        <p className="notice" role="status">
          {t(data.notice)}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {failedStage && (SLA_STAGES as readonly string[]).includes(failedStage)
            ? t('deadlines.due.stagePrefix', { stage: t(`deadlines.stage.${failedStage}`) })
            : null}
          {t(error)}
        </p>
      ) : null}
      <OrgPicker
        action={PATH}
        orgs={data.orgs}
        current={data.org.id}
        labelKey="deadlines.policy.chooseOrg"
        buttonKey="deadlines.policy.show"
      />
      <h2>{data.org.name}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('deadlines.policy.stage')}</th>
            <th scope="col">{t('deadlines.policy.source')}</th>
            <th scope="col">
              {t('deadlines.policy.workingDays')} / {t('deadlines.policy.remindBefore')}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.stages.map((s) => (
            <tr key={s.stage} id={`stage-${s.stage}`} className={s.live ? undefined : 'later'}>
              <td>
                {t(`deadlines.stage.${s.stage}`)}
                {s.live ? null : (
                  <>
                    <br />
                    <span className="muted">{t('deadlines.policy.laterStage')}</span>
                  </>
                )}
              </td>
              <td>
                {s.source.kind === 'own'
                  ? t('deadlines.policy.sourceOwn')
                  : s.source.kind === 'inherited'
                    ? t('deadlines.policy.sourceInherited', { org: s.source.orgName })
                    : t('deadlines.policy.sourceDefault')}
              </td>
              <td>
                <Form method="post" action={`${PATH}?org=${data.org.id}`}>
                  <CsrfInput />
                  <input type="hidden" name="orgId" value={data.org.id} />
                  <input type="hidden" name="stage" value={s.stage} />
                  <label className="visually-hidden" htmlFor={`days-${s.stage}`}>
                    {t('deadlines.policy.workingDays')}
                  </label>
                  <input
                    id={`days-${s.stage}`}
                    name="workingDays"
                    type="number"
                    min={1}
                    max={60}
                    step={1}
                    required
                    defaultValue={s.workingDays}
                    aria-invalid={failedStage === s.stage ? true : undefined}
                  />
                  <label className="visually-hidden" htmlFor={`remind-${s.stage}`}>
                    {t('deadlines.policy.remindBefore')}
                  </label>
                  <input
                    id={`remind-${s.stage}`}
                    name="remindBefore"
                    type="number"
                    min={0}
                    max={59}
                    step={1}
                    required
                    defaultValue={s.remindBefore}
                    title={t('deadlines.policy.noReminder')}
                    aria-invalid={failedStage === s.stage ? true : undefined}
                  />
                  <button type="submit" name="intent" value="save" className="secondary">
                    {t('deadlines.policy.save')}
                  </button>
                  {s.source.kind === 'own' ? (
                    <button
                      type="submit"
                      name="intent"
                      value="reset"
                      className="secondary"
                      formNoValidate
                      aria-label={t('deadlines.policy.resetLabel', {
                        stage: t(`deadlines.stage.${s.stage}`),
                      })}
                    >
                      {t('deadlines.policy.reset')}
                    </button>
                  ) : null}
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('deadlines.policy.noReminder')}</p>
      <p>
        <Link to="/admin/calendar">{t('deadlines.nav.calendar')}</Link>
      </p>
    </section>
  )
}
