import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
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
import { principalOf, requireUser, safeRedirect } from '#app/auth/session.server.ts'
import { AttachmentsSection } from '#app/components/attachments-section.tsx'
import { CaseLinks } from '#app/components/case-links.tsx'
import { ConfirmationLink } from '#app/components/confirmation-view.tsx'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { DueDate, isOverdue } from '#app/components/due-date.tsx'
import { FieldError } from '#app/components/field-error.tsx'
import { ExtrasNoticeLine, NeedItemsSection } from '#app/components/need-items-details.tsx'
import { SimilarItemsWarning } from '#app/components/similar-items-warning.tsx'
import { TriagePanel } from '#app/components/triage-panel.tsx'
import { WithdrawForm } from '#app/components/withdraw-form.tsx'
import { WorkflowTimeline } from '#app/components/workflow-timeline.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { needsListExtras, similarItemsReply } from '#app/utils/needs-list-extras.server.ts'
import { type Notice, noticeOf, withNotice } from '#app/utils/notice.ts'
import { needsListView, submitNeedsList, triageNeedsList } from '#workflows/commands/needs-lists.ts'
import { triagePanelData } from '#workflows/commands/triage.ts'
import { SimilarItemsError } from '#workflows/errors.ts'
import { currentDeadline } from '#workflows/machines/needs-list.machine.ts'
import { returnReasonSchema } from '#workflows/needs-list.schema.ts'

const version = z.number({ error: 'errors.badRequest' }).int().positive()
const redirectTo = z.string().optional()

/**
 * Every workflow action on a list posts here, from this page or from the
 * intake queue (which passes `redirectTo` to come back).
 */
const actionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('submit'),
      version,
      redirectTo,
      confirmSimilar: z.boolean().optional(),
    }),
    z.object({ intent: z.literal('accept'), version, redirectTo }),
    z.object({ intent: z.literal('return'), version, redirectTo, reason: returnReasonSchema }),
  ],
  { error: 'errors.badRequest' },
)

const NOTICE_OF: Record<z.infer<typeof actionSchema>['intent'], Notice> = {
  submit: 'submitted',
  accept: 'accepted',
  return: 'returned',
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'needsList.detailTitle', data?.list.title)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await needsListView(context.db, principalOf(user), id).catch(throwDomainError)
  const { list } = view
  const deadline = currentDeadline(list.status, {})
  return {
    list: {
      id: list.id,
      title: list.title,
      status: list.status,
      enterpriseName: list.enterpriseName,
      orgName: list.orgName,
      submittedAt: list.submitted_at,
      updatedAt: list.updated_at,
    },
    due:
      deadline && list.due_at
        ? {
            stage: deadline.stage,
            at: list.due_at,
            overdue: isOverdue(list.due_at, context.now()),
          }
        : null,
    items: view.items.map((i) => ({
      id: i.id,
      category: i.category,
      description: i.description,
      urgency: i.urgency,
      headcount: i.headcount,
    })),
    timeline: view.timeline.map((e) => ({
      id: e.id,
      type: e.event_type,
      actorName: e.actorName,
      actorRole: e.actor_role,
      at: e.at,
      reason: typeof e.payload?.reason === 'string' ? e.payload.reason : null,
      // A deadline timer: which stage and whether it reminded or was breached.
      deadline:
        e.event_type === 'DEADLINE' &&
        typeof e.payload?.stage === 'string' &&
        typeof e.payload?.phase === 'string'
          ? { stage: e.payload.stage, phase: e.payload.phase }
          : null,
    })),
    version: view.version,
    returnReason: view.returnReason,
    can: view.can,
    triage: await triagePanelData(context.db, principalOf(user), view),
    notice: noticeOf(request),
    extras: await needsListExtras(context.db, request, view),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') {
    return invalidForm(submission)
  }
  const input = submission.value
  const principal = principalOf(user)
  const options = { now: context.now() }
  try {
    if (input.intent === 'submit') {
      const similarItems = input.confirmSimilar ? 'allow' : 'refuse'
      await submitNeedsList(context.db, principal, id, input.version, { ...options, similarItems })
    } else if (input.intent === 'accept') {
      await triageNeedsList(context.db, principal, id, { type: 'ACCEPT' }, input.version, options)
    } else {
      const decision = { type: 'RETURN', reason: input.reason } as const
      await triageNeedsList(context.db, principal, id, decision, input.version, options)
    }
  } catch (err) {
    if (err instanceof SimilarItemsError) return similarItemsReply(err)
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  const back = safeRedirect(input.redirectTo, `/needs-lists/${id}`)
  return redirect(withNotice(back, NOTICE_OF[input.intent]))
}

export default function NeedsListDetail() {
  const view = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const { list } = view
  const lng = i18n.language
  const result = actionData?.result
  // Form-level errors (conflict, not allowed) and malformed posts show at the top.
  const formError =
    result?.error?.['']?.[0] ??
    (result?.error?.intent || result?.error?.version ? 'errors.badRequest' : null)
  return (
    <>
      <section className="card">
        <h1>
          {list.title}{' '}
          <span className={`status status-${list.status}`}>{t(`status.${list.status}`)}</span>
        </h1>
        {view.notice && !actionData ? (
          <p className="notice" role="status">
            {t(view.notice)}
          </p>
        ) : null}
        {formError ? (
          <p className="form-error" role="alert">
            {t(formError)}
          </p>
        ) : null}
        <ExtrasNoticeLine notice={actionData ? null : view.extras.notice} />
        <dl className="facts">
          <dt>{t('needsList.enterprise')}</dt>
          <dd>{list.enterpriseName}</dd>
          <dt>{t('needsList.org')}</dt>
          <dd>{list.orgName}</dd>
          <dt>{t('needsList.status')}</dt>
          <dd>{t(`status.${list.status}`)}</dd>
          {view.due ? (
            <>
              <dt>{t('deadlines.due.label')}</dt>
              <dd data-testid="due">
                {t('deadlines.due.stagePrefix', { stage: t(`deadlines.stage.${view.due.stage}`) })}
                <DueDate dueAt={view.due.at} overdue={view.due.overdue} />
              </dd>
            </>
          ) : null}
          <dt>{t('needsList.submittedAt')}</dt>
          <dd>{list.submittedAt ? formatDateTime(list.submittedAt, lng) : '—'}</dd>
          <dt>{t('needsList.updatedAt')}</dt>
          <dd>{formatDateTime(list.updatedAt, lng)}</dd>
        </dl>
        {list.status === 'returned' && view.returnReason ? (
          <p className="form-error">
            {t('needsList.returnedBecause', { reason: view.returnReason })}
          </p>
        ) : null}
        <Actions view={view} lastResult={result} />
        <ConfirmationLink listId={list.id} status={list.status} can={view.can} />
        <CaseLinks listId={list.id} status={list.status} />
        {view.can.withdraw ? <WithdrawForm id={list.id} version={view.version} /> : null}
      </section>
      {actionData && 'similar' in actionData ? (
        <SimilarItemsWarning
          listId={list.id}
          version={view.version}
          similar={actionData.similar}
          items={view.extras.items}
        />
      ) : null}
      <TriagePanel data={view.triage} />

      <NeedItemsSection extras={view.extras} />
      <AttachmentsSection listId={list.id} extras={view.extras} />

      <section className="card">
        <h2>{t('needsList.history')}</h2>
        <WorkflowTimeline entries={view.timeline} />
      </section>
    </>
  )
}

type View = ReturnType<typeof useLoaderData<typeof loader>>

/** Only the actions the workflow allows this user now; each posts the version shown. */
function Actions({ view, lastResult }: { view: View; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation()
  const { can, list } = view
  if (!can.edit && !can.submit && !can.accept && !can.return) return null
  return (
    <div className="actions">
      {can.edit ? (
        <Link to={`/needs-lists/${list.id}/edit`} className="button secondary">
          {t('needsList.edit')}
        </Link>
      ) : null}
      {can.submit ? (
        <IntentButton
          id={list.id}
          intent="submit"
          version={view.version}
          label={t('needsList.submit')}
        />
      ) : null}
      {can.accept ? (
        <IntentButton
          id={list.id}
          intent="accept"
          version={view.version}
          label={t('needsList.accept')}
        />
      ) : null}
      {can.return ? (
        <ReturnForm
          id={list.id}
          version={view.version}
          lastResult={lastResult?.initialValue?.intent === 'return' ? lastResult : undefined}
        />
      ) : null}
    </div>
  )
}

// Forms post to the list's URL, not the current one (which may carry a notice).
function IntentButton({
  id,
  intent,
  version,
  label,
}: {
  id: number
  intent: string
  version: number
  label: string
}) {
  return (
    <Form method="post" action={`/needs-lists/${id}`} className="inline">
      <CsrfInput />
      <input type="hidden" name="version" value={version} />
      <button type="submit" name="intent" value={intent}>
        {label}
      </button>
    </Form>
  )
}

const returnSchema = z.object({ reason: returnReasonSchema })

function ReturnForm({
  id,
  version,
  lastResult,
}: {
  id: number
  version: number
  lastResult?: SubmissionResult<string[]>
}) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'return',
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: returnSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form
      method="post"
      action={`/needs-lists/${id}`}
      {...getFormProps(form)}
      className="return-form"
    >
      <CsrfInput />
      <input type="hidden" name="version" value={version} />
      <div className="field">
        <label htmlFor={fields.reason.id}>{t('needsList.returnReason')}</label>
        <textarea
          {...getTextareaProps(fields.reason, { ariaDescribedBy: fields.reason.descriptionId })}
          rows={3}
        />
        <p className="muted" id={fields.reason.descriptionId}>
          {t('needsList.returnReasonHint')}
        </p>
        <FieldError errors={fields.reason.errors} id={fields.reason.errorId} />
      </div>
      <button type="submit" name="intent" value="return" className="secondary">
        {t('needsList.return')}
      </button>
    </Form>
  )
}
