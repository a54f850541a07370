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
import {
  cancelMeeting,
  confirmPairing,
  generateAgreement,
  pairingView,
  scheduleMeeting,
} from '#workflows/commands/pairing.ts'
import {
  beijingLocalValue,
  beijingToday,
  meetingSchema,
  oneYearFrom,
  pairingSchema,
  reasonSchema,
} from '#workflows/resource-list/schema.ts'
import '#app/styles/matching.css'

const version = z.number({ error: 'errors.badRequest' }).int().positive()

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    meetingSchema.safeExtend({ intent: z.literal('schedule'), version }),
    z.object({ intent: z.literal('cancel'), version, reason: reasonSchema }),
    pairingSchema.safeExtend({ intent: z.literal('confirm'), version }),
    z.object({
      intent: z.literal('generate'),
      version,
      termStart: z.iso.date({ error: 'errors.date' }).optional(),
      termEnd: z.iso.date({ error: 'errors.date' }).optional(),
    }),
  ],
  { error: 'errors.badRequest' },
)

type Intent = z.infer<typeof actionSchema>['intent']
const DONE: Record<Intent, string> = {
  schedule: 'scheduled',
  cancel: 'cancelled',
  confirm: 'paired',
  generate: 'generated',
}
const NOTICE_KEYS = noticeKeys('matching.notice', Object.values(DONE))

/** Blank attendee rows the form offers (a form without JavaScript cannot add rows). */
const ATTENDEE_ROWS = 6

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'matching.pairing.title', data?.list.title)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await pairingView(context.db, principalOf(user), id).catch(throwDomainError)
  const today = beijingToday(context.now())
  return {
    ...view,
    meeting: view.meeting
      ? {
          heldAt: view.meeting.held_at,
          heldAtValue: beijingLocalValue(view.meeting.held_at),
          place: view.meeting.place,
          attendees: view.meeting.attendees as { name: string; role: string }[],
          notes: view.meeting.notes,
          recordedByName: view.meeting.recordedByName,
          updatedAt: view.meeting.updated_at,
        }
      : null,
    term: { start: today, end: oneYearFrom(today) },
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
  const options = { now: context.now() }
  let to = `/needs-lists/${id}/pairing`
  try {
    if (input.intent === 'schedule') {
      const { intent: _i, version: v, ...meeting } = input
      await scheduleMeeting(context.db, principal, id, meeting, v, options)
    } else if (input.intent === 'cancel') {
      await cancelMeeting(context.db, principal, id, input.reason, input.version, options)
    } else if (input.intent === 'confirm') {
      await confirmPairing(
        context.db,
        principal,
        id,
        { decisions: input.decisions },
        input.version,
        options,
      )
    } else {
      await generateAgreement(
        context.db,
        principal,
        id,
        { termStart: input.termStart, termEnd: input.termEnd },
        input.version,
        options,
      )
      to = `/needs-lists/${id}/agreement`
    }
  } catch (err) {
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  return redirect(withNotice(to, DONE[input.intent]))
}

export default function Pairing() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { list } = page
  const result = actionData?.result
  const error =
    result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
  const postTo = `/needs-lists/${list.id}/pairing`
  const posted = (name: string) => {
    const v = (result?.initialValue as Record<string, unknown> | undefined)?.[name]
    return typeof v === 'string' ? v : undefined
  }
  const attendees = page.meeting?.attendees ?? []
  const rows = Array.from(
    { length: Math.max(ATTENDEE_ROWS, attendees.length + 2) },
    (_, i) => attendees[i] ?? { name: '', role: '' },
  )
  const paired = list.status === 'paired'
  return (
    <>
      <section className="card">
        <p>
          <Link to={`/needs-lists/${list.id}`}>{t('matching.back')}</Link>
          {' · '}
          <Link to={`/needs-lists/${list.id}/resources`}>{t('matching.links.resources')}</Link>
        </p>
        <h1>
          {t('matching.pairing.title')}: {list.title}{' '}
          <span className={`status status-${list.status}`}>{t(`status.${list.status}`)}</span>
        </h1>
        <p className="muted">{list.enterpriseName}</p>
        {page.notice && !actionData ? (
          <p className="notice" role="status">
            {t(page.notice)}
          </p>
        ) : null}
        {error ? (
          <p className="form-error" role="alert">
            {t(error)}
          </p>
        ) : null}
        <p className="muted">{t('matching.pairing.intro')}</p>
        {paired ? (
          <p>
            <Link to={`/needs-lists/${list.id}/agreement`}>
              {t('matching.pairing.toAgreement')}
            </Link>
          </p>
        ) : null}
      </section>

      <section className="card">
        <h2>{t('matching.pairing.meeting')}</h2>
        {page.meeting ? (
          <dl className="facts" data-testid="meeting">
            <dt>{t('matching.pairing.heldAt')}</dt>
            <dd>{formatDateTime(page.meeting.heldAt, lng)}</dd>
            <dt>{t('matching.pairing.place')}</dt>
            <dd>{page.meeting.place}</dd>
            <dt>{t('matching.pairing.attendees')}</dt>
            <dd>
              {page.meeting.attendees
                .map((a) => (a.role ? `${a.name}（${a.role}）` : a.name))
                .join('、')}
            </dd>
            {page.meeting.notes ? (
              <>
                <dt>{t('matching.pairing.notes')}</dt>
                <dd className="pre-wrap">{page.meeting.notes}</dd>
              </>
            ) : null}
          </dl>
        ) : (
          <p className="muted">{t('matching.pairing.noMeeting')}</p>
        )}
        {page.can.schedule ? (
          <Form method="post" action={postTo} className="no-print">
            <CsrfInput />
            <input type="hidden" name="version" value={page.version} />
            <div className="field">
              <label htmlFor="heldAt">{t('matching.pairing.heldAt')}</label>
              <input
                type="datetime-local"
                id="heldAt"
                name="heldAt"
                required
                defaultValue={posted('heldAt') ?? page.meeting?.heldAtValue ?? ''}
              />
            </div>
            <div className="field">
              <label htmlFor="place">{t('matching.pairing.place')}</label>
              <input
                type="text"
                id="place"
                name="place"
                required
                maxLength={200}
                defaultValue={posted('place') ?? page.meeting?.place ?? ''}
              />
            </div>
            <fieldset className="field">
              <legend>{t('matching.pairing.attendees')}</legend>
              {rows.map((a, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed rows of a form without JavaScript
                <div className="attendee-row" key={i}>
                  <input
                    type="text"
                    name={`attendees[${i}].name`}
                    aria-label={`${t('matching.pairing.attendeeName')} ${i + 1}`}
                    placeholder={t('matching.pairing.attendeeName')}
                    maxLength={50}
                    defaultValue={a.name}
                  />
                  <input
                    type="text"
                    name={`attendees[${i}].role`}
                    aria-label={`${t('matching.pairing.attendeeRole')} ${i + 1}`}
                    placeholder={t('matching.pairing.attendeeRole')}
                    maxLength={50}
                    defaultValue={a.role}
                  />
                </div>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="notes">{t('matching.pairing.notes')}</label>
              <textarea
                id="notes"
                name="notes"
                rows={3}
                maxLength={2000}
                defaultValue={page.meeting?.notes ?? ''}
              />
            </div>
            <button type="submit" name="intent" value="schedule">
              {page.meeting ? t('matching.pairing.update') : t('matching.pairing.schedule')}
            </button>
          </Form>
        ) : null}
        {page.can.cancel ? (
          <Form method="post" action={postTo} className="actions no-print">
            <CsrfInput />
            <input type="hidden" name="version" value={page.version} />
            <div>
              <label htmlFor="cancel-reason">{t('matching.pairing.cancelReason')}</label>
              <input type="text" id="cancel-reason" name="reason" maxLength={500} />
            </div>
            <button type="submit" name="intent" value="cancel" className="secondary">
              {t('matching.pairing.cancel')}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="card">
        <h2>{paired ? t('matching.pairing.paired') : t('matching.pairing.accepted')}</h2>
        {page.acceptedCount === 0 && !paired ? (
          <p className="muted">{t('matching.pairing.noneAccepted')}</p>
        ) : null}
        {page.can.confirm ? <p className="muted">{t('matching.pairing.confirmHint')}</p> : null}
        <Form method="post" action={postTo}>
          <CsrfInput />
          <input type="hidden" name="version" value={page.version} />
          {page.items.map((item, n) => (
            <fieldset key={item.id} className="field" data-item={item.id}>
              <legend>
                <strong>{item.title}</strong>{' '}
                <span className="muted">
                  {t('matching.resources.headcount', { count: item.headcount })}
                </span>
              </legend>
              {item.pairings.length > 0 ? (
                <ul>
                  {item.pairings.map((p) => (
                    <li key={p.id}>
                      {p.name}
                      {p.decision ? <span className="muted pre-wrap"> · {p.decision}</span> : null}
                    </li>
                  ))}
                </ul>
              ) : null}
              {!paired ? (
                <>
                  <input type="hidden" name={`decisions[${n}].itemId`} value={item.id} />
                  {item.accepted.map((a) =>
                    page.can.confirm ? (
                      <label key={a.invitationId} className="checkbox">
                        <input
                          type="checkbox"
                          name={`decisions[${n}].invitationIds`}
                          value={a.invitationId}
                          defaultChecked
                        />
                        {a.name}
                        {a.detail ? <span className="muted"> · {a.detail}</span> : null}
                      </label>
                    ) : (
                      <p key={a.invitationId}>
                        {a.name}
                        {a.detail ? <span className="muted"> · {a.detail}</span> : null}
                      </p>
                    ),
                  )}
                  {item.pending > 0 ? (
                    <p className="muted">
                      {t('matching.pairing.pending', { count: item.pending })}
                    </p>
                  ) : null}
                  {page.can.confirm && item.accepted.length > 0 ? (
                    <div>
                      <label htmlFor={`decision-${item.id}`}>
                        {t('matching.pairing.decision')}
                      </label>
                      <textarea
                        id={`decision-${item.id}`}
                        name={`decisions[${n}].decision`}
                        rows={2}
                        maxLength={1000}
                      />
                    </div>
                  ) : null}
                </>
              ) : null}
            </fieldset>
          ))}
          {page.can.confirm ? (
            <button type="submit" name="intent" value="confirm">
              {t('matching.pairing.confirm')}
            </button>
          ) : null}
        </Form>
      </section>

      {page.can.generate ? (
        <section className="card no-print">
          <h2>{t('matching.pairing.generate')}</h2>
          <Form method="post" action={postTo} className="actions">
            <CsrfInput />
            <input type="hidden" name="version" value={page.version} />
            <div>
              <label htmlFor="termStart">{t('matching.pairing.termStart')}</label>
              <input type="date" id="termStart" name="termStart" defaultValue={page.term.start} />
            </div>
            <div>
              <label htmlFor="termEnd">{t('matching.pairing.termEnd')}</label>
              <input type="date" id="termEnd" name="termEnd" defaultValue={page.term.end} />
            </div>
            <button type="submit" name="intent" value="generate">
              {t('matching.pairing.generate')}
            </button>
          </Form>
          <p className="muted">{t('matching.pairing.termHint')}</p>
        </section>
      ) : null}
    </>
  )
}
