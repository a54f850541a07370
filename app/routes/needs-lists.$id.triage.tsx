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
import { RejectForm, RouteForm, withParam } from '#app/components/triage-panel.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { needsListView } from '#workflows/commands/needs-lists.ts'
import { rejectNeedsList, routeNeedsList, triagePageData } from '#workflows/commands/triage.ts'
import {
  rejectReasonSchema,
  routeReasonSchema,
  routeTargetSchema,
} from '#workflows/triage.schema.ts'

const version = z.number({ error: 'errors.badRequest' }).int().positive()
const redirectTo = z.string().optional()

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('reject'), version, redirectTo, reason: rejectReasonSchema }),
    z.object({
      intent: z.literal('route'),
      version,
      redirectTo,
      toOrgId: routeTargetSchema,
      reason: routeReasonSchema,
    }),
  ],
  { error: 'errors.badRequest' },
)

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'triage.pageTitle', data?.list.title)

/** Reject or route one list: the page behind the queue's link, and where errors are shown. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const principal = principalOf(user)
  const view = await needsListView(context.db, principal, id).catch(throwDomainError)
  const triage = await triagePageData(context.db, principal, view).catch(throwDomainError)
  const back = new URL(request.url).searchParams.get('redirectTo')
  return {
    list: {
      id: view.list.id,
      title: view.list.title,
      status: view.list.status,
      enterpriseName: view.list.enterpriseName,
      orgName: view.list.orgName,
      submittedAt: view.list.submitted_at,
    },
    version: view.version,
    redirectTo: back ? safeRedirect(back, `/needs-lists/${id}`) : `/needs-lists/${id}`,
    ...triage,
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  const input = submission.value
  const principal = principalOf(user)
  const options = { now: context.now() }
  try {
    if (input.intent === 'reject') {
      await rejectNeedsList(context.db, principal, id, input.reason, input.version, options)
    } else {
      await routeNeedsList(
        context.db,
        principal,
        id,
        { toOrgId: input.toOrgId, reason: input.reason },
        input.version,
        options,
      )
    }
  } catch (err) {
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  const back = safeRedirect(input.redirectTo, `/needs-lists/${id}`)
  return redirect(withParam(back, 'triaged', input.intent === 'reject' ? 'rejected' : 'routed'))
}

export default function TriagePage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const result = actionData?.result
  const intent = result?.initialValue?.intent
  const formError =
    result?.error?.['']?.[0] ??
    (result?.error?.intent || result?.error?.version ? 'errors.badRequest' : null)
  const { list } = data
  // After a refused post the page's URL has lost ?redirectTo; the form still carried it.
  const posted = result?.initialValue?.redirectTo
  const backTo = typeof posted === 'string' && posted ? posted : data.redirectTo
  return (
    <section className="card">
      <h1>
        {t('triage.pageTitle')}: {list.title}{' '}
        <span className={`status status-${list.status}`}>{t(`status.${list.status}`)}</span>
      </h1>
      <p className="muted">
        {list.enterpriseName} · {list.orgName} ·{' '}
        {list.submittedAt ? formatDateTime(list.submittedAt, i18n.language) : '—'}
      </p>
      {formError ? (
        <p className="form-error" role="alert">
          {t(formError)}
        </p>
      ) : null}
      {!data.canReject && !data.routeTargets ? (
        <p className="muted">{t('triage.nothingNow')}</p>
      ) : null}
      <div className="triage-forms">
        {data.canReject ? (
          <div>
            <h2>{t('triage.reject')}</h2>
            <RejectForm
              listId={list.id}
              version={data.version}
              redirectTo={backTo}
              lastResult={intent === 'reject' ? result : undefined}
            />
          </div>
        ) : null}
        {data.routeTargets ? (
          <div>
            <h2>{t('triage.route')}</h2>
            <RouteForm
              listId={list.id}
              version={data.version}
              targets={data.routeTargets}
              redirectTo={backTo}
              lastResult={intent === 'route' ? result : undefined}
            />
          </div>
        ) : null}
      </div>
      <p>
        <Link to={`/needs-lists/${list.id}`}>{t('triage.backToList')}</Link>
      </p>
    </section>
  )
}
