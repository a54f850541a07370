import { getFormProps, useForm } from '@conform-to/react'
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
import { getCurrentUser, homePathOf, startSession } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import {
  DuplicateNotice,
  EnterpriseFieldset,
  SimilarWarning,
  TextField,
} from '#app/components/enterprise-fields.tsx'
import { localeOf } from '#app/i18n/i18n.server.ts'
import { type EnterpriseFormReply, enterpriseFormError } from '#app/utils/enterprise-form.server.ts'
import { readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { registerEnterprise, registrationOrgs } from '#workflows/commands/enterprises.ts'
import { registrationSchema } from '#workflows/enterprise-validation.ts'

/** Passwords are never sent back to the page. */
const SECRET_FIELDS = ['password', 'passwordConfirm']

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'enterprise.register.title')

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context)
  if (user) throw redirect(homePathOf(user))
  const orgs = await registrationOrgs(context.db)
  return { orgs: orgs.map((o) => ({ id: o.id, name: o.name })) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context)
  const user = await getCurrentUser(request, context)
  if (user) throw redirect(homePathOf(user))
  const submission = parseWithZod(form, { schema: registrationSchema })
  if (submission.status !== 'success') {
    return data<EnterpriseFormReply>(
      {
        result: submission.reply({ hideFields: ['csrf', ...SECRET_FIELDS] }),
        duplicate: null,
        similar: null,
      },
      { status: 400 },
    )
  }
  let created: { enterpriseId: number; userId: number }
  try {
    created = await registerEnterprise(context.db, submission.value, {
      now: context.now(),
      locale: await localeOf(request),
      clientIp: context.clientIp,
    })
  } catch (err) {
    return enterpriseFormError(submission, err, SECRET_FIELDS)
  }
  const headers = new Headers()
  headers.append('Set-Cookie', await startSession(context, created.userId))
  return redirect(`/enterprises/${created.enterpriseId}?done=registered`, { headers })
}

export default function Register() {
  const { orgs } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'register',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: registrationSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const typedName = actionData?.result.initialValue?.name
  return (
    <section className="card">
      <h1>{t('enterprise.register.title')}</h1>
      <p className="muted">{t('enterprise.register.intro')}</p>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        {form.errors?.length ? (
          <p className="form-error" role="alert" id={form.errorId}>
            {t(form.errors[0] ?? '')}
          </p>
        ) : null}
        {actionData?.duplicate ? (
          <DuplicateNotice existing={actionData.duplicate} audience="visitor" />
        ) : null}
        {actionData?.similar?.length ? (
          <SimilarWarning
            name={typeof typedName === 'string' ? typedName : ''}
            candidates={actionData.similar}
            field={fields.confirmSimilar}
            askPasswordAgain
          />
        ) : null}
        <h2>{t('enterprise.register.enterpriseSection')}</h2>
        <EnterpriseFieldset fields={fields} orgs={orgs} />
        <h2>{t('enterprise.register.contactSection')}</h2>
        <TextField
          field={fields.contactName}
          label={t('enterprise.register.contactName')}
          autoComplete="name"
        />
        <TextField
          field={fields.email}
          label={t('enterprise.register.email')}
          type="email"
          autoComplete="email"
        />
        <TextField
          field={fields.mobile}
          label={t('enterprise.register.mobile')}
          inputMode="tel"
          autoComplete="tel"
        />
        <TextField
          field={fields.password}
          label={t('enterprise.register.password')}
          hint={t('enterprise.register.passwordHint')}
          type="password"
          autoComplete="new-password"
        />
        <TextField
          field={fields.passwordConfirm}
          label={t('enterprise.register.passwordConfirm')}
          type="password"
          autoComplete="new-password"
        />
        <div className="actions">
          <button type="submit">{t('enterprise.register.submit')}</button>
          <Link to="/sign-in">{t('enterprise.register.haveAccount')}</Link>
        </div>
      </Form>
    </section>
  )
}
