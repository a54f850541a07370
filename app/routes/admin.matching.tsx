import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import {
  formDomainError,
  invalidForm,
  queryId,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import {
  matchingWeightsPage,
  resetMatchingWeights,
  setMatchingWeights,
} from '#workflows/commands/matching-weights.ts'
import {
  MAX_WEIGHT,
  matchingWeightsSchema,
  resetWeightsSchema,
} from '#workflows/matching-weights.schema.ts'
import '#app/styles/deadlines.css'
import { OrgPicker } from '#app/components/org-picker.tsx'

const PATH = '/admin/matching'

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    matchingWeightsSchema.safeExtend({ intent: z.literal('save') }),
    resetWeightsSchema.extend({ intent: z.literal('reset') }),
  ],
  { error: 'errors.badRequest' },
)

const DONE = { save: 'saved', reset: 'wasReset' } as const
const NOTICE_KEYS = noticeKeys('matchingWeights', Object.values(DONE))

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'matchingWeights.title')

/** The nine weights of one org of the admin's subtrees, with where each comes from. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  const params = new URL(request.url).searchParams
  const page = await matchingWeightsPage(
    context.db,
    principalOf(user),
    queryId(params, 'org'),
  ).catch(throwDomainError)
  return {
    org: page.org,
    orgs: page.orgs,
    factors: page.weights.map((w, i) => ({
      factor: w.factor,
      value: w.value,
      source: w.source,
      ifReset: page.inherited[i]?.value ?? w.value,
    })),
    own: page.weights.some((w) => w.source.kind === 'own'),
    row: page.row,
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
      await setMatchingWeights(
        context.db,
        principal,
        { orgId: input.orgId, weights: input },
        context.now(),
      )
    } else {
      await resetMatchingWeights(context.db, principal, { orgId: input.orgId })
    }
  } catch (err) {
    return formDomainError(submission, err)
  }
  return redirect(withNotice(`${PATH}?org=${input.orgId}`, DONE[input.intent]))
}

export default function MatchingWeightsAdmin() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const result = actionData?.result
  const fieldErrors = result?.error ?? {}
  const formError = fieldErrors['']?.[0]
  const posted = result?.initialValue as Record<string, unknown> | undefined
  const shownValue = (factor: string, fallback: number) =>
    typeof posted?.[factor] === 'string' ? (posted[factor] as string) : String(fallback)
  return (
    <section className="card deadline-admin">
      <h1>{t('matchingWeights.title')}</h1>
      <p className="muted">{t('matchingWeights.intro')}</p>
      <p className="muted">{t('matchingWeights.inheritance')}</p>
      <p className="muted">{t('matchingWeights.appliesFromNow')}</p>
      {data.notice && !actionData ? (
        <p className="notice" role="status">
          {t(data.notice)}
        </p>
      ) : null}
      {formError ? (
        <p className="form-error" role="alert">
          {t(formError)}
        </p>
      ) : null}
      <OrgPicker
        action={PATH}
        orgs={data.orgs}
        current={data.org.id}
        labelKey="matchingWeights.chooseOrg"
        buttonKey="matchingWeights.show"
      />
      <h2>{data.org.name}</h2>
      {data.row ? (
        <p className="muted">
          {data.row.updatedByName
            ? t('matchingWeights.lastChanged', {
                org: data.row.orgName,
                name: data.row.updatedByName,
                at: formatDateTime(data.row.updatedAt, i18n.language),
              })
            : t('matchingWeights.lastChangedUnknown', {
                org: data.row.orgName,
                at: formatDateTime(data.row.updatedAt, i18n.language),
              })}
        </p>
      ) : null}
      <Form method="post" action={`${PATH}?org=${data.org.id}`}>
        <CsrfInput />
        <input type="hidden" name="orgId" value={data.org.id} />
        <table>
          <thead>
            <tr>
              <th scope="col">{t('matchingWeights.factor')}</th>
              <th scope="col">{t('matchingWeights.weight')}</th>
              <th scope="col">{t('matchingWeights.source')}</th>
              <th scope="col">{t('matchingWeights.ifReset')}</th>
            </tr>
          </thead>
          <tbody>
            {data.factors.map((f) => {
              const error = fieldErrors[f.factor]?.[0]
              return (
                <tr key={f.factor} id={`factor-${f.factor}`}>
                  <td>
                    <label htmlFor={`weight-${f.factor}`}>
                      <strong>{t(`matchingWeights.factors.${f.factor}.label`)}</strong>
                    </label>
                    <br />
                    <span className="muted" id={`help-${f.factor}`}>
                      {t(`matchingWeights.factors.${f.factor}.help`)}
                    </span>
                  </td>
                  <td>
                    <input
                      id={`weight-${f.factor}`}
                      name={f.factor}
                      type="number"
                      min={f.factor === 'skill' ? 0.01 : 0}
                      max={MAX_WEIGHT}
                      step={0.01}
                      required
                      defaultValue={shownValue(f.factor, f.value)}
                      aria-describedby={`help-${f.factor}${error ? ` error-${f.factor}` : ''}`}
                      aria-invalid={error ? true : undefined}
                    />
                    {error ? (
                      <p className="field-error" id={`error-${f.factor}`}>
                        {t(error)}
                      </p>
                    ) : null}
                  </td>
                  <td>
                    {f.source.kind === 'own'
                      ? t('matchingWeights.sourceOwn')
                      : f.source.kind === 'inherited'
                        ? t('matchingWeights.sourceInherited', { org: f.source.orgName })
                        : t('matchingWeights.sourceDefault')}
                  </td>
                  <td>{f.ifReset}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
        <p className="muted">{t('matchingWeights.range')}</p>
        <div className="actions">
          <button type="submit" name="intent" value="save">
            {t('matchingWeights.save')}
          </button>
        </div>
      </Form>
      {data.own ? (
        <Form method="post" action={`${PATH}?org=${data.org.id}`}>
          <CsrfInput />
          <input type="hidden" name="orgId" value={data.org.id} />
          <p className="muted">{t('matchingWeights.resetHelp')}</p>
          <button type="submit" name="intent" value="reset" className="secondary">
            {t('matchingWeights.reset')}
          </button>
        </Form>
      ) : null}
    </section>
  )
}
