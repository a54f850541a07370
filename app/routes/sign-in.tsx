import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { getCurrentUser, homePathOf, safeRedirect, startSession } from '#app/auth/session.server.ts'
import { attemptSignIn } from '#app/auth/sign-in.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { FieldError } from '#app/components/field-error.tsx'
import { isLocale } from '#app/i18n/config.ts'
import { localeCookie } from '#app/i18n/i18n.server.ts'
import { readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { findUserByEmail } from '#db/queries/users.ts'

const schema = z.object({
  email: z.email({ error: 'errors.email' }).trim().max(200, { error: 'errors.tooLong' }),
  password: z.string({ error: 'errors.required' }).min(1, { error: 'errors.required' }).max(200),
  redirectTo: z.string().optional(),
})

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'signIn.title')

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context)
  if (user) throw redirect(homePathOf(user))
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema })
  if (submission.status !== 'success') {
    return data(
      { result: submission.reply({ hideFields: ['password'] }), minutes: 0 },
      { status: 400 },
    )
  }
  const { email, password, redirectTo } = submission.value
  const outcome = await attemptSignIn(context.db, {
    email,
    password,
    ip: context.clientIp,
    now: context.now(),
  })
  if (!outcome.ok) {
    const rateLimited = outcome.reason === 'rateLimited'
    return data(
      {
        result: submission.reply({
          formErrors: [rateLimited ? 'signIn.rateLimited' : 'signIn.invalid'],
          hideFields: ['password'],
        }),
        minutes: rateLimited ? outcome.retryAfterMinutes : 0,
      },
      { status: rateLimited ? 429 : 400 },
    )
  }
  const user = await findUserByEmail(context.db, email)
  const headers = new Headers()
  headers.append('Set-Cookie', await startSession(context, outcome.userId))
  if (user && isLocale(user.locale))
    headers.append('Set-Cookie', await localeCookie.serialize(user.locale))
  return redirect(safeRedirect(redirectTo, '/'), { headers })
}

export default function SignIn() {
  const { t } = useTranslation()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="card sign-in">
      <h1>{t('signIn.title')}</h1>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
        {form.errors?.length ? (
          <p className="form-error" role="alert" id={form.errorId}>
            {t(form.errors[0] ?? '', { minutes: actionData?.minutes })}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={fields.email.id}>{t('signIn.email')}</label>
          <input {...getInputProps(fields.email, { type: 'email' })} autoComplete="username" />
          <FieldError errors={fields.email.errors} id={fields.email.errorId} />
        </div>
        <div className="field">
          <label htmlFor={fields.password.id}>{t('signIn.password')}</label>
          <input
            {...getInputProps(fields.password, { type: 'password' })}
            autoComplete="current-password"
          />
          <FieldError errors={fields.password.errors} id={fields.password.errorId} />
        </div>
        <button type="submit">{t('signIn.submit')}</button>
      </Form>
      <p>
        <Link to="/register">{t('enterprise.register.linkFromSignIn')}</Link>
      </p>
    </section>
  )
}
