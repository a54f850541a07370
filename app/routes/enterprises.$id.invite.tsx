import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { InvitationLink, TextField } from '#app/components/enterprise-fields.tsx'
import { enterpriseFormError, invitationUrl } from '#app/utils/enterprise-form.server.ts'
import { idParam, readForm, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import {
  INVITATION_TTL_DAYS,
  invitationFormView,
  inviteContact,
} from '#workflows/commands/enterprises.ts'
import { invitationSchema } from '#workflows/enterprise-validation.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'enterprise.invite.title', data?.enterprise.name)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const enterprise = await invitationFormView(context.db, principalOf(user), id).catch(
    throwDomainError,
  )
  return { enterprise }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: invitationSchema })
  if (submission.status !== 'success') {
    return data(
      { result: submission.reply({ hideFields: ['csrf'] }), invitation: null },
      { status: 400 },
    )
  }
  let token: string
  try {
    const issued = await inviteContact(context.db, principalOf(user), id, submission.value, {
      now: context.now(),
    })
    token = issued.token
  } catch (err) {
    const reply = enterpriseFormError(submission, err, [])
    return data({ result: reply.data.result, invitation: null }, reply.init ?? undefined)
  }
  // Shown in this response only (no redirect): the token itself is not stored.
  return data({
    result: submission.reply({ resetForm: true, hideFields: ['csrf'] }),
    invitation: {
      url: invitationUrl(request, token),
      name: submission.value.name,
      days: INVITATION_TTL_DAYS,
    },
  })
}

export default function InviteContact() {
  const { enterprise } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'invite',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: invitationSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="card">
      <h1>{t('enterprise.invite.title')}</h1>
      <p>
        <strong>{enterprise.name}</strong>
      </p>
      {actionData?.invitation ? <InvitationLink {...actionData.invitation} /> : null}
      <p className="muted">{t('enterprise.invite.intro')}</p>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        {form.errors?.length ? (
          <p className="form-error" role="alert" id={form.errorId}>
            {t(form.errors[0] ?? '')}
          </p>
        ) : null}
        <TextField field={fields.name} label={t('enterprise.invite.name')} />
        <TextField field={fields.email} label={t('enterprise.invite.email')} type="email" />
        <TextField field={fields.mobile} label={t('enterprise.invite.mobile')} inputMode="tel" />
        <div className="actions">
          <button type="submit">{t('enterprise.invite.submit')}</button>
          <Link to={`/enterprises/${enterprise.id}`} className="button secondary">
            {t('enterprise.invite.back')}
          </Link>
        </div>
      </Form>
    </section>
  )
}
