import {
  getFormProps,
  getInputProps,
  getSelectProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react'
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
import { FieldError } from '#app/components/field-error.tsx'
import { formatDate, formatDateTime } from '#app/utils/format.ts'
import { formDomainError, invalidForm, readForm, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import {
  calendarPage,
  removeCalendarOverride,
  saveCalendarOverride,
} from '#workflows/commands/calendar.ts'
import { CALENDAR_DAY_KINDS, calendarDateSchema, calendarOverrideSchema } from '#workflows/sla.ts'
import '#app/styles/deadlines.css'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'

const PATH = '/admin/calendar'

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    calendarOverrideSchema.safeExtend({ intent: z.literal('save') }),
    calendarDateSchema.safeExtend({ intent: z.literal('delete') }),
  ],
  { error: 'errors.badRequest' },
)

const DONE = { save: 'saved', delete: 'removed' } as const
const NOTICE_KEYS = noticeKeys('deadlines.calendar', Object.values(DONE))

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'deadlines.calendar.title')

/** Local changes to the official working-day calendar; top-level federation admins edit them. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  const page = await calendarPage(context.db, principalOf(user)).catch(throwDomainError)
  return {
    canEdit: page.canEdit,
    coveredUntil: page.coveredUntil,
    overrides: page.overrides.map((o) => ({
      date: o.date,
      kind: o.kind,
      official: o.official,
      note: o.note,
      updatedAt: o.updated_at,
      updatedBy: o.updatedByName,
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
      await saveCalendarOverride(context.db, principal, input, context.now())
    } else {
      await removeCalendarOverride(context.db, principal, input.date)
    }
  } catch (err) {
    return formDomainError(submission, err)
  }
  return redirect(withNotice(PATH, DONE[input.intent]))
}

export default function CalendarAdmin() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const result = actionData?.result
  const intent = result?.initialValue?.intent
  // Errors of the add form show on its fields; a failed delete at the top.
  const topError =
    intent === 'save'
      ? null
      : (result?.error?.['']?.[0] ??
        Object.values(result?.error ?? {}).find((e) => e?.length)?.[0] ??
        null)
  const lng = i18n.language
  return (
    <section className="card calendar-admin">
      <h1>{t('deadlines.calendar.title')}</h1>
      <p className="muted">{t('deadlines.calendar.intro', { year: data.coveredUntil })}</p>
      <p className="muted">{t('deadlines.calendar.coverage', { year: data.coveredUntil })}</p>
      {data.notice && !actionData ? (
        <p className="notice" role="status">
          {t(data.notice)}
        </p>
      ) : null}
      {topError ? (
        <p className="form-error" role="alert">
          {t(topError)}
        </p>
      ) : null}
      {data.canEdit ? (
        <AddOverrideForm lastResult={intent === 'save' ? result : undefined} />
      ) : (
        <p className="muted">{t('deadlines.calendar.readOnly')}</p>
      )}
      {data.overrides.length === 0 ? (
        <p className="muted">{t('deadlines.calendar.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('deadlines.calendar.date')}</th>
              <th scope="col">{t('deadlines.calendar.kind')}</th>
              <th scope="col">{t('deadlines.calendar.official')}</th>
              <th scope="col">{t('deadlines.calendar.note')}</th>
              <th scope="col">{t('deadlines.calendar.updatedBy')}</th>
              {data.canEdit ? <th scope="col">{t('needsList.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {data.overrides.map((o) => (
              <tr key={o.date}>
                <td>
                  <time dateTime={o.date}>
                    {formatDate(`${o.date}T12:00:00+08:00`, lng)} ({o.date})
                  </time>
                </td>
                <td>{t(`deadlines.calendar.kinds.${o.kind}`)}</td>
                <td className="muted">{t(`deadlines.calendar.kinds.${o.official}`)}</td>
                <td>{o.note ?? ''}</td>
                <td className="muted">
                  {o.updatedBy ?? '—'}
                  <br />
                  {formatDateTime(o.updatedAt, lng)}
                </td>
                {data.canEdit ? (
                  <td>
                    <Form method="post" action={PATH}>
                      <CsrfInput />
                      <input type="hidden" name="date" value={o.date} />
                      <button
                        type="submit"
                        name="intent"
                        value="delete"
                        className="secondary"
                        aria-label={t('deadlines.calendar.removeLabel', { date: o.date })}
                      >
                        {t('deadlines.calendar.remove')}
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link to="/admin/deadlines">{t('deadlines.nav.deadlines')}</Link>
      </p>
    </section>
  )
}

const addSchema = calendarOverrideSchema

function AddOverrideForm({ lastResult }: { lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'add-override',
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form method="post" action={PATH} {...getFormProps(form)}>
      <CsrfInput />
      {form.errors?.length ? (
        <p className="form-error" role="alert" id={form.errorId}>
          {t(form.errors[0] ?? '')}
        </p>
      ) : null}
      <div className="add-override">
        <div className="field">
          <label htmlFor={fields.date.id}>{t('deadlines.calendar.date')}</label>
          <input {...getInputProps(fields.date, { type: 'date' })} />
          <FieldError errors={fields.date.errors} id={fields.date.errorId} />
        </div>
        <div className="field">
          <label htmlFor={fields.kind.id}>{t('deadlines.calendar.kind')}</label>
          <select {...getSelectProps(fields.kind)}>
            {CALENDAR_DAY_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`deadlines.calendar.kinds.${k}`)}
              </option>
            ))}
          </select>
          <FieldError errors={fields.kind.errors} id={fields.kind.errorId} />
        </div>
        <div className="field">
          <label htmlFor={fields.note.id}>{t('deadlines.calendar.note')}</label>
          <input {...getInputProps(fields.note, { type: 'text' })} maxLength={200} />
          <FieldError errors={fields.note.errors} id={fields.note.errorId} />
        </div>
      </div>
      <button type="submit" name="intent" value="save">
        {t('deadlines.calendar.add')}
      </button>
    </Form>
  )
}
