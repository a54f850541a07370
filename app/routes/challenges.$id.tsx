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
import { MAX_VOLUNTEER_NOTE, volunteerSchema } from '#workflows/challenge.schema.ts'
import {
  challengeView,
  closeChallenge,
  volunteerForChallenge,
  withdrawVolunteering,
} from '#workflows/commands/challenges.ts'

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    volunteerSchema.extend({ intent: z.literal('volunteer') }),
    z.object({ intent: z.literal('withdraw') }),
    z.object({ intent: z.literal('close') }),
  ],
  { error: 'errors.badRequest' },
)

const DONE = {
  volunteer: 'volunteered',
  withdraw: 'withdrawn',
  close: 'closed',
  publish: 'published',
} as const
const NOTICE_KEYS = noticeKeys('challenges.notices', Object.values(DONE))

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'challenges.title', data?.challenge.title)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await challengeView(context.db, principalOf(user), id, context.now()).catch(
    throwDomainError,
  )
  const c = view.challenge
  return {
    challenge: {
      id: c.id,
      status: c.status,
      closedReason: c.closedReason,
      note: c.note,
      closesOn: c.closesOn,
      publishedAt: c.publishedAt,
      publishedByName: c.publishedByName,
      orgName: c.orgName,
      itemId: c.itemId,
      title: c.title,
      description: c.description,
      category: c.category,
      urgency: c.urgency,
      headcount: c.headcount,
      mode: c.mode,
      place: c.place,
      expectedOutcome: c.expectedOutcome,
      windowStart: c.windowStart,
      windowEnd: c.windowEnd,
      skills: c.skills,
      enterpriseName: c.enterpriseName,
      district: c.district,
      park: c.park,
      listId: c.listId,
      listTitle: c.listTitle,
      listStatus: c.listStatus,
    },
    expert: view.expert,
    union: view.union,
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
  const principal = principalOf(user)
  try {
    if (input.intent === 'volunteer') {
      await volunteerForChallenge(context.db, principal, id, { note: input.note }, context.now())
    } else if (input.intent === 'withdraw') {
      await withdrawVolunteering(context.db, principal, id)
    } else {
      await closeChallenge(context.db, principal, id)
    }
  } catch (err) {
    return formDomainError(submission, err)
  }
  return redirect(withNotice(`/challenges/${id}`, DONE[input.intent]))
}

function skillLabel(skill: { nameZh: string; nameEn: string }, lng: string): string {
  return lng.startsWith('zh') ? skill.nameZh : skill.nameEn
}

export default function ChallengePage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const c = data.challenge
  const errors = actionData?.result?.error ?? {}
  const formError = errors['']?.[0]
  const noteError = errors.note?.[0]
  const open = c.closedReason === null
  return (
    <>
      <section className="card">
        <p>
          <Link to="/challenges">{t('challenges.title')}</Link>
        </p>
        <h1>{c.title}</h1>
        <p>
          <span className={`status status-${open ? 'accepted' : 'returned'}`}>
            {t(`challenges.state.${c.closedReason ?? 'open'}`)}
          </span>
        </p>
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
        <p>{c.description}</p>
        <dl className="facts">
          <dt>{t('challenges.field.enterprise')}</dt>
          <dd>{c.enterpriseName}</dd>
          <dt>{t('challenges.field.district')}</dt>
          <dd>{c.district ?? '—'}</dd>
          <dt>{t('challenges.field.park')}</dt>
          <dd>{c.park ?? '—'}</dd>
          <dt>{t('confirmation.field.category')}</dt>
          <dd>{t(`category.${c.category}`)}</dd>
          <dt>{t('confirmation.field.urgency')}</dt>
          <dd>{t(`urgency.${c.urgency}`)}</dd>
          <dt>{t('challenges.field.skills')}</dt>
          <dd>
            {c.skills.length === 0
              ? t('challenges.field.noSkills')
              : c.skills.map((s) => skillLabel(s, lng)).join('、')}
          </dd>
          <dt>{t('challenges.field.window')}</dt>
          <dd>
            {c.windowStart || c.windowEnd
              ? `${c.windowStart ?? ''} – ${c.windowEnd ?? ''}`
              : t('challenges.field.windowOpen')}
          </dd>
          <dt>{t('confirmation.field.mode')}</dt>
          <dd>{t(`confirmation.mode.${c.mode}`)}</dd>
          <dt>{t('confirmation.field.place')}</dt>
          <dd>{c.place ?? '—'}</dd>
          <dt>{t('confirmation.field.headcount')}</dt>
          <dd>{c.headcount}</dd>
          {c.expectedOutcome ? (
            <>
              <dt>{t('confirmation.field.expectedOutcome')}</dt>
              <dd>{c.expectedOutcome}</dd>
            </>
          ) : null}
          <dt>{t('challenges.field.closesOn')}</dt>
          <dd>{c.closesOn ?? t('challenges.field.noClosingDate')}</dd>
          <dt>{t('challenges.field.publishedAt')}</dt>
          <dd>
            {formatDateTime(c.publishedAt, lng)}
            {c.publishedByName ? ` · ${c.publishedByName}` : ''}
          </dd>
          <dt>{t('challenges.field.org')}</dt>
          <dd>{c.orgName}</dd>
        </dl>
        {c.note ? (
          <>
            <h2>{t('challenges.field.note')}</h2>
            <p>{c.note}</p>
          </>
        ) : null}
      </section>
      {data.expert ? (
        <section className="card">
          <h2>{t('challenges.volunteer.heading')}</h2>
          {data.expert.volunteered && data.expert.volunteeredAt ? (
            <p className="notice" role="status">
              {t('challenges.volunteeredAt', {
                at: formatDateTime(data.expert.volunteeredAt, lng),
              })}
              {data.expert.note ? (
                <>
                  <br />
                  {t('challenges.yourNote', { note: data.expert.note })}
                </>
              ) : null}
            </p>
          ) : null}
          {data.expert.status !== 'active' ? (
            <p className="muted">{t('challenges.paused')}</p>
          ) : open ? (
            <Form method="post">
              <CsrfInput />
              <div className="field">
                <label htmlFor="note">{t('challenges.volunteer.note')}</label>
                <textarea
                  id="note"
                  name="note"
                  maxLength={MAX_VOLUNTEER_NOTE}
                  rows={3}
                  defaultValue={data.expert.note ?? ''}
                  aria-describedby="note-help"
                  aria-invalid={noteError ? true : undefined}
                />
                <p className="muted" id="note-help">
                  {t('challenges.volunteer.noteHelp')}
                </p>
                {noteError ? <p className="field-error">{t(noteError)}</p> : null}
              </div>
              <div className="actions">
                <button type="submit" name="intent" value="volunteer">
                  {data.expert.volunteered
                    ? t('challenges.volunteer.update')
                    : t('challenges.volunteer.submit')}
                </button>
              </div>
            </Form>
          ) : (
            <p className="muted">{t(`challenges.state.${c.closedReason ?? 'open'}`)}</p>
          )}
          {data.expert.volunteered && c.status === 'open' ? (
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="withdraw" className="secondary">
                {t('challenges.withdraw.submit')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
      {data.union ? (
        <section className="card">
          <h2>
            {t('challenges.field.volunteers')} ({data.union.volunteers.length})
          </h2>
          {data.union.volunteers.length === 0 ? (
            <p className="muted">{t('challenges.noVolunteers')}</p>
          ) : (
            <ul>
              {data.union.volunteers.map((v) => (
                <li key={v.expertId}>
                  <strong>{v.name}</strong>
                  {v.expertStatus !== 'active' ? ` ${t('challenges.pausedExpert')}` : ''}
                  {v.employer ? ` · ${v.employer}` : ''} · {v.orgName} ·{' '}
                  {formatDateTime(v.createdAt, lng)}
                  {v.note ? (
                    <>
                      <br />
                      <span className="muted">
                        {t('challenges.volunteerNote', { note: v.note })}
                      </span>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link to={`/needs-lists/${c.listId}`}>{c.listTitle}</Link>{' '}
            <span className={`status status-${c.listStatus}`}>{t(`status.${c.listStatus}`)}</span>
          </p>
          {data.union.canManage && c.status === 'open' ? (
            <Form method="post">
              <CsrfInput />
              <h3>{t('challenges.close.heading')}</h3>
              <p className="muted">{t('challenges.close.help')}</p>
              <button type="submit" name="intent" value="close" className="secondary">
                {t('challenges.close.submit')}
              </button>
            </Form>
          ) : null}
          {data.union.canManage && c.status === 'closed' ? (
            <p>
              <Link to={`/challenges/new?item=${c.itemId}`}>{t('challenges.reopen')}</Link>
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  )
}
