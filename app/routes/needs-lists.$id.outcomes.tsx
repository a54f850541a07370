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
import { OutcomeDetails, OutcomeTotals } from '#app/components/outcome-details.tsx'
import { OutcomeForm } from '#app/components/outcome-form.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import {
  domainFormError,
  formDomainError,
  idParam,
  intField,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import { outcomesView, recordOutcome, requestFeedback } from '#workflows/commands/outcomes.ts'
import { outcomeSchema } from '#workflows/outcomes/outcome.schema.ts'

const NOTICE_KEYS = noticeKeys('outcomes.notice', ['recorded', 'feedbackRequested'])

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'outcomes.title', data?.list.title)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await outcomesView(context.db, principalOf(user), id).catch(throwDomainError)
  return { ...view, notice: readNotice(request, NOTICE_KEYS) }
}

/**
 * intent=record: the steward saves one item's outcome (the outcome form's
 * fields); intent=requestFeedback: the steward asks the enterprise to rate.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const principal = principalOf(user)
  const options = { now: context.now() }
  const intent = form.get('intent')
  const version = intField(form, 'version')
  if (intent === 'record') {
    const itemId = intField(form, 'itemId') ?? null
    const submission = parseWithZod(form, { schema: outcomeSchema })
    if (submission.status !== 'success') {
      return data({ ...invalidForm(submission).data, itemId }, { status: 400 })
    }
    try {
      await recordOutcome(context.db, principal, id, submission.value, version, options)
    } catch (err) {
      const reply = formDomainError(submission, err)
      return data({ ...reply.data, itemId }, reply.init ?? undefined)
    }
    context.pokeOutbox()
    return redirect(withNotice(`/needs-lists/${id}/outcomes`, 'recorded'))
  }
  if (intent === 'requestFeedback') {
    try {
      await requestFeedback(context.db, principal, id, version, options)
    } catch (err) {
      const { key, status } = domainFormError(err)
      return data({ formError: key, itemId: null }, { status })
    }
    context.pokeOutbox()
    return redirect(withNotice(`/needs-lists/${id}/outcomes`, 'feedbackRequested'))
  }
  return data({ formError: 'errors.badRequest', itemId: null }, { status: 400 })
}

export default function Outcomes() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { list } = page
  const postTo = `/needs-lists/${list.id}/outcomes`
  const formError = actionData && 'formError' in actionData ? actionData.formError : null
  const lastResult = actionData && 'result' in actionData ? actionData.result : undefined
  const titleOf = (itemId: number) => page.items.find((i) => i.id === itemId)?.title ?? ''
  return (
    <>
      <section className="card">
        <p>
          <Link to={`/needs-lists/${list.id}`}>{t('outcomes.back')}</Link>
          {' · '}
          <Link to={`/needs-lists/${list.id}/rating`}>{t('outcomes.links.rating')}</Link>
          {' · '}
          <Link to={`/needs-lists/${list.id}/archive`}>{t('outcomes.links.archive')}</Link>
        </p>
        <h1>
          {t('outcomes.title')} · {list.title}{' '}
          <span className={`status status-${list.status}`}>{t(`status.${list.status}`)}</span>
        </h1>
        <p className="muted">{list.enterpriseName}</p>
        {page.notice && !actionData ? (
          <p className="notice" role="status">
            {t(page.notice)}
          </p>
        ) : null}
        {formError ? (
          <p className="form-error" role="alert">
            {t(formError)}
          </p>
        ) : null}
      </section>

      {page.items.length === 0 ? (
        <section className="card">
          <p className="muted">{t('outcomes.noItems')}</p>
        </section>
      ) : null}
      {page.items.map((item, n) => (
        <section key={item.id} className="card" data-testid={`item-${item.id}`}>
          <h2>
            {n + 1}. {item.title}
          </h2>
          <p className="pre-wrap muted">{item.description}</p>
          {item.outcome ? (
            <>
              <OutcomeDetails outcome={item.outcome} />
              <p className="muted">
                {t('outcomes.recordedBy', {
                  name: item.outcome.recordedByName ?? '',
                  at: formatDateTime(item.outcome.updatedAt, lng),
                })}
              </p>
            </>
          ) : (
            <p className="muted">{t('outcomes.notRecorded')}</p>
          )}
          {page.can.record ? (
            <details open={!item.outcome || actionData?.itemId === item.id}>
              <summary>{item.outcome ? t('outcomes.edit') : t('outcomes.save')}</summary>
              <OutcomeForm
                action={postTo}
                itemId={item.id}
                version={page.version}
                outcome={item.outcome}
                lastResult={actionData?.itemId === item.id ? lastResult : undefined}
              />
            </details>
          ) : null}
        </section>
      ))}

      <section className="card">
        <OutcomeTotals aggregate={page.aggregate} />
      </section>

      {page.can.record || page.can.requestFeedback || list.status === 'feedback' ? (
        <section className="card" data-testid="feedback">
          <h2>{t('outcomes.feedback.heading')}</h2>
          {list.status === 'feedback' ? (
            <p>{t('outcomes.feedback.requested')}</p>
          ) : (
            <>
              <p className="muted">{t('outcomes.feedback.explain')}</p>
              {page.readiness.missingItemIds.length > 0 ? (
                <p>
                  {t('outcomes.feedback.missing', {
                    items: page.readiness.missingItemIds.map(titleOf).join('、'),
                  })}
                </p>
              ) : null}
              {page.readiness.visitsOnSite.length > 0 ? (
                <p>
                  {t('outcomes.feedback.onSite', {
                    visits: page.readiness.visitsOnSite.join('、'),
                  })}
                </p>
              ) : null}
              {page.readiness.complete ? <p>{t('outcomes.feedback.ready')}</p> : null}
              {page.can.requestFeedback && page.readiness.complete ? (
                <Form method="post" action={postTo}>
                  <CsrfInput />
                  <input type="hidden" name="version" value={page.version} />
                  <button type="submit" name="intent" value="requestFeedback">
                    {t('outcomes.feedback.request')}
                  </button>
                </Form>
              ) : null}
            </>
          )}
        </section>
      ) : null}
    </>
  )
}
