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
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { FieldError } from '#app/components/field-error.tsx'
import { MatchExplanation } from '#app/components/match-explanation.tsx'
import { windowText } from '#app/components/resource-item.tsx'
import { ResourceStatus } from '#app/components/resource-status.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import { localName } from '#app/utils/taxonomy.ts'
import { answerInvitation, myInvitation } from '#workflows/commands/invitations.ts'
import { reasonSchema } from '#workflows/resource-list/schema.ts'

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('accept') }),
    z.object({ intent: z.literal('decline'), reason: reasonSchema }),
  ],
  { error: 'errors.badRequest' },
)

const NOTICE_KEYS = noticeKeys('matching.notice', ['accepted', 'declined'])

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'matching.invitation.title', data?.invitation.itemTitle)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const page = await myInvitation(context.db, principalOf(user), id).catch(throwDomainError)
  const inv = page.invitation
  return {
    invitation: {
      id: inv.id,
      status: inv.status,
      reason: inv.reason,
      dueAt: inv.due_at,
      respondedAt: inv.responded_at,
      listTitle: inv.listTitle,
      enterpriseName: inv.enterpriseName,
      address: inv.address,
      district: inv.district,
      park: inv.park,
      orgName: inv.orgName,
      itemTitle: inv.itemTitle,
      category: inv.category,
      description: inv.description,
      headcount: inv.headcount,
      mode: inv.mode,
      place: inv.place,
      expectedOutcome: inv.expectedOutcome,
      skillIds: inv.skillIds,
      windowStart: inv.windowStart,
      windowEnd: inv.windowEnd,
      teamName: inv.teamName,
      stewardName: inv.stewardName,
      stewardMobile: inv.stewardMobile,
    },
    factors: page.factors,
    skills: Object.fromEntries(
      page.skills.map((s) => [s.id, { nameZh: s.nameZh, nameEn: s.nameEn }]),
    ),
    can: page.can,
    notice: readNotice(request, NOTICE_KEYS),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  const input = submission.value
  try {
    await answerInvitation(
      context.db,
      principalOf(user),
      id,
      input.intent === 'accept' ? { accept: true } : { decline: true, reason: input.reason },
      { now: context.now() },
    )
  } catch (err) {
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  return redirect(
    withNotice(`/my-invitations/${id}`, input.intent === 'accept' ? 'accepted' : 'declined'),
  )
}

export default function MyInvitation() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const inv = page.invitation
  const result = actionData?.result
  const formError = result?.error?.['']?.[0] ?? (result?.error?.intent ? 'errors.badRequest' : null)
  const window = windowText(inv, t, lng)
  const skills = inv.skillIds
    .map((id) => {
      const s = page.skills[String(id)]
      return s ? localName(s, lng) : null
    })
    .filter(Boolean)
    .join('、')
  return (
    <>
      <section className="card">
        <p>
          <Link to="/my-invitations">{t('matching.invitation.back')}</Link>
        </p>
        <h1>
          {t('matching.invitation.title')}: {inv.itemTitle} <ResourceStatus status={inv.status} />
        </h1>
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
        <dl className="facts">
          <dt>{t('matching.invitations.enterprise')}</dt>
          <dd>{inv.enterpriseName}</dd>
          <dt>{t('matching.invitations.case')}</dt>
          <dd>{inv.listTitle}</dd>
          {inv.teamName ? (
            <>
              <dt>{t('matching.kind.team')}</dt>
              <dd>{inv.teamName}</dd>
            </>
          ) : null}
          {inv.status === 'pending' && inv.dueAt ? (
            <>
              <dt>{t('matching.invitations.dueAt')}</dt>
              <dd data-testid="due">{formatDateTime(inv.dueAt, lng)}</dd>
            </>
          ) : null}
        </dl>
        {inv.stewardName ? (
          <p>{t('matching.invitation.steward', { name: inv.stewardName })}</p>
        ) : null}
        {inv.stewardMobile ? (
          <p>{t('matching.invitation.stewardMobile', { mobile: inv.stewardMobile })}</p>
        ) : null}
      </section>

      <section className="card">
        <h2>{t('matching.invitation.item')}</h2>
        <p>
          <strong>{inv.itemTitle}</strong> ·{' '}
          {t(`category.${inv.category}`, { defaultValue: inv.category })}
        </p>
        <p className="pre-wrap">{inv.description}</p>
        <dl className="facts">
          {skills ? (
            <>
              <dt>{t('confirmation.field.skillIds')}</dt>
              <dd>{skills}</dd>
            </>
          ) : null}
          <dt>{t('confirmation.field.headcount')}</dt>
          <dd>{inv.headcount}</dd>
          {window ? (
            <>
              <dt>{t('confirmation.field.windowStart')}</dt>
              <dd>{window}</dd>
            </>
          ) : null}
          <dt>{t('confirmation.field.mode')}</dt>
          <dd>{t(`confirmation.mode.${inv.mode}`, { defaultValue: inv.mode })}</dd>
          <dt>{t('confirmation.field.place')}</dt>
          <dd>{inv.place ?? ([inv.district, inv.park].filter(Boolean).join(' · ') || '—')}</dd>
          {inv.expectedOutcome ? (
            <>
              <dt>{t('confirmation.field.expectedOutcome')}</dt>
              <dd>{inv.expectedOutcome}</dd>
            </>
          ) : null}
        </dl>
        {inv.address ? (
          <p className="muted">{t('matching.invitation.address', { address: inv.address })}</p>
        ) : null}
      </section>

      {page.factors.length > 0 ? (
        <section className="card">
          <h2>{t('matching.invitation.why')}</h2>
          <MatchExplanation factors={page.factors} skills={page.skills} />
        </section>
      ) : null}

      <section className="card">
        {page.can.accept || page.can.decline ? (
          <Answer
            id={inv.id}
            canAccept={page.can.accept}
            canDecline={page.can.decline}
            lastResult={result}
          />
        ) : inv.respondedAt ? (
          <>
            <p>{t('matching.invitation.answered', { at: formatDateTime(inv.respondedAt, lng) })}</p>
            {inv.reason ? (
              <p className="muted">{t('matching.invitation.reason', { reason: inv.reason })}</p>
            ) : null}
          </>
        ) : (
          <p className="muted">{t('matching.invitation.closed')}</p>
        )}
      </section>
    </>
  )
}

const declineFormSchema = z.object({ reason: reasonSchema })

function Answer({
  id,
  canAccept,
  canDecline,
  lastResult,
}: {
  id: number
  canAccept: boolean
  canDecline: boolean
  lastResult?: SubmissionResult<string[]>
}) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'decline',
    lastResult: lastResult?.initialValue?.intent === 'decline' ? lastResult : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: declineFormSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const action = `/my-invitations/${id}`
  return (
    <div className="actions">
      {canAccept ? (
        <Form method="post" action={action}>
          <CsrfInput />
          <p className="muted">{t('matching.invitation.acceptHint')}</p>
          <button type="submit" name="intent" value="accept">
            {t('matching.invitation.accept')}
          </button>
        </Form>
      ) : null}
      {canDecline ? (
        <Form method="post" action={action} {...getFormProps(form)}>
          <CsrfInput />
          <div className="field">
            <label htmlFor={fields.reason.id}>{t('matching.invitation.declineReason')}</label>
            <textarea
              {...getTextareaProps(fields.reason, { ariaDescribedBy: fields.reason.descriptionId })}
              rows={3}
            />
            <p className="muted" id={fields.reason.descriptionId}>
              {t('matching.invitation.declineHint')}
            </p>
            <FieldError errors={fields.reason.errors} id={fields.reason.errorId} />
          </div>
          <button type="submit" name="intent" value="decline" className="secondary">
            {t('matching.invitation.decline')}
          </button>
        </Form>
      ) : null}
    </div>
  )
}
