import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireUser } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { FieldError } from '#app/components/field-error.tsx'
import { invalidForm, readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { recipientContacts } from '#db/queries/deliveries.ts'
import { preferencesOf, savePreferences } from '#db/queries/notification-preferences.ts'
import {
  formFromPreferences,
  preferencesFormSchema,
  preferencesFromForm,
} from '#jobs/delivery/preferences.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'delivery.settings.title')

const PATH = '/settings/notifications'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const [prefs, [contact]] = await Promise.all([
    preferencesOf(context.db, user.id),
    recipientContacts(context.db, [user.id]),
  ])
  return {
    preferences: formFromPreferences(prefs),
    email: contact?.email ?? user.email,
    mobile: contact?.mobile ?? null,
    saved: new URL(request.url).searchParams.get('saved') === '1',
  }
}

/** Always the signed-in user's own row: no user id is read from the form. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: preferencesFormSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  await savePreferences(context.db, user.id, preferencesFromForm(submission.value), context.now())
  return redirect(`${PATH}?saved=1`)
}

export default function NotificationSettings() {
  const { preferences, email, mobile, saved } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'notification-settings',
    lastResult: actionData?.result,
    defaultValue: preferences,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: preferencesFormSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="card">
      <h1>{t('delivery.settings.title')}</h1>
      {saved && !actionData ? (
        <p className="notice" role="status">
          {t('delivery.settings.saved')}
        </p>
      ) : null}
      <p className="muted">{t('delivery.settings.intro')}</p>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        {form.errors?.length ? (
          <p className="form-error" role="alert" id={form.errorId}>
            {t(form.errors[0] ?? '')}
          </p>
        ) : null}
        <fieldset>
          <legend>{t('delivery.settings.channels')}</legend>
          <div className="field">
            <label>
              <input type="checkbox" checked disabled /> {t('delivery.settings.inApp')}
            </label>
          </div>
          <div className="field">
            <label>
              <input {...getInputProps(fields.email, { type: 'checkbox' })} />{' '}
              {t('delivery.settings.email', { address: email })}
            </label>
            <FieldError errors={fields.email.errors} id={fields.email.errorId} />
          </div>
          <div className="field">
            <label>
              <input {...getInputProps(fields.sms, { type: 'checkbox' })} />{' '}
              {mobile ? t('delivery.settings.smsMobile', { mobile }) : t('delivery.settings.sms')}
            </label>
            {mobile ? null : <p className="muted">{t('delivery.settings.smsNoMobile')}</p>}
            <FieldError errors={fields.sms.errors} id={fields.sms.errorId} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('delivery.settings.quietTitle')}</legend>
          <div className="item-grid">
            <div className="field">
              <label htmlFor={fields.quietStart.id}>{t('delivery.settings.quietStart')}</label>
              <input {...getInputProps(fields.quietStart, { type: 'time' })} />
              <FieldError errors={fields.quietStart.errors} id={fields.quietStart.errorId} />
            </div>
            <div className="field">
              <label htmlFor={fields.quietEnd.id}>{t('delivery.settings.quietEnd')}</label>
              <input {...getInputProps(fields.quietEnd, { type: 'time' })} />
              <FieldError errors={fields.quietEnd.errors} id={fields.quietEnd.errorId} />
            </div>
          </div>
          <p className="muted">{t('delivery.settings.quietHint')}</p>
          <div className="field">
            <label>
              <input {...getInputProps(fields.quietOnNonWorkingDays, { type: 'checkbox' })} />{' '}
              {t('delivery.settings.quietOnNonWorkingDays')}
            </label>
            <FieldError
              errors={fields.quietOnNonWorkingDays.errors}
              id={fields.quietOnNonWorkingDays.errorId}
            />
          </div>
        </fieldset>
        <div className="field">
          <label>
            <input {...getInputProps(fields.digest, { type: 'checkbox' })} />{' '}
            {t('delivery.settings.digest')}
          </label>
          <FieldError errors={fields.digest.errors} id={fields.digest.errorId} />
        </div>
        <div className="actions">
          <button type="submit">{t('delivery.settings.save')}</button>
        </div>
      </Form>
    </section>
  )
}
