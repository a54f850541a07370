import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { getCurrentUser, startSession } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { TextField } from '#app/components/enterprise-fields.tsx'
import { localeOf } from '#app/i18n/i18n.server.ts'
import { formatDateTime } from '#app/utils/format.ts'
import { domainFormError, readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { acceptInvitation, invitationByToken } from '#workflows/commands/enterprises.ts'
import { InvitationUnavailableError } from '#workflows/enterprise-errors.ts'
import { acceptInvitationSchema } from '#workflows/enterprise-validation.ts'

/** Tokens are 43 base64url characters; anything much longer is not one of ours. */
const MAX_TOKEN_LENGTH = 100
const SECRET_FIELDS = ['csrf', 'password', 'passwordConfirm']

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'enterprise.invitation.title')

// The token is in the path: never leak it to other sites through the Referer header.
// (Not 'no-referrer': browsers then send `Origin: null` with the form post, which Remix refuses.)
export const headers: HeadersFunction = () => ({ 'Referrer-Policy': 'same-origin' })

function tokenOf(params: Record<string, string | undefined>): string {
  const token = params.token ?? ''
  return token.length <= MAX_TOKEN_LENGTH ? token : ''
}

const joinSchema = z.object({ intent: z.literal('join') })

const STATUS_OF_PROBLEM = { notFound: 404, expired: 410, used: 410 } as const

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const token = tokenOf(params)
  const user = await getCurrentUser(request, context)
  let invitation: Awaited<ReturnType<typeof invitationByToken>>
  try {
    invitation = await invitationByToken(context.db, token, { now: context.now() })
  } catch (err) {
    if (!(err instanceof InvitationUnavailableError)) throw err
    return data(
      { state: 'notFound' as const, invitation: null, viewer: null, token },
      {
        status: 404,
      },
    )
  }
  const state = invitation.state
  const viewer = user ? { email: user.email, matches: user.email === invitation.email } : null
  const shown = {
    enterpriseName: invitation.enterpriseName,
    inviterName: invitation.inviterName,
    name: invitation.name,
    email: invitation.email,
    mobile: invitation.mobile ?? '',
    expiresAt: invitation.expiresAt,
    accountExists: invitation.accountExists,
  }
  return data(
    { state, invitation: shown, viewer, token },
    { status: state === 'valid' ? 200 : STATUS_OF_PROBLEM[state] },
  )
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const token = tokenOf(params)
  const form = await readForm(request, context)
  const user = await getCurrentUser(request, context)
  const options = { now: context.now() }
  if (form.get('intent') === 'join') {
    if (!user) {
      throw redirect(`/sign-in?${new URLSearchParams({ redirectTo: `/invitations/${token}` })}`)
    }
    const submission = parseWithZod(form, { schema: joinSchema })
    try {
      const joined = await acceptInvitation(
        context.db,
        token,
        { kind: 'existing', userId: user.id },
        options,
      )
      return redirect(`/enterprises/${joined.enterpriseId}?done=joined`)
    } catch (err) {
      return failure(submission, err)
    }
  }
  const submission = parseWithZod(form, { schema: acceptInvitationSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: SECRET_FIELDS }) }, { status: 400 })
  }
  if (user) {
    // Signed in as someone else: joining goes through the "join" button as that account.
    return failure(submission, null, 'enterprise.invitation.signInFirst')
  }
  try {
    const joined = await acceptInvitation(
      context.db,
      token,
      { kind: 'new', input: submission.value, locale: await localeOf(request) },
      options,
    )
    const headers = new Headers()
    headers.append('Set-Cookie', await startSession(context, joined.userId))
    return redirect(`/enterprises/${joined.enterpriseId}?done=joined`, { headers })
  } catch (err) {
    return failure(submission, err)
  }
}

type Replyable = {
  reply: (options?: { formErrors?: string[]; hideFields?: string[] }) => SubmissionResult<string[]>
}

/** The invitation refused (used, expired, wrong account…): a translated message on the page. */
function failure(submission: Replyable, err: unknown, key?: string) {
  if (key) {
    return data(
      { result: submission.reply({ formErrors: [key], hideFields: SECRET_FIELDS }) },
      { status: 400 },
    )
  }
  if (err instanceof InvitationUnavailableError) {
    return data(
      {
        result: submission.reply({
          formErrors: [`enterprise.invitation.${err.problem}`],
          hideFields: SECRET_FIELDS,
        }),
      },
      { status: STATUS_OF_PROBLEM[err.problem] },
    )
  }
  const { key: message, status } = domainFormError(err)
  return data(
    { result: submission.reply({ formErrors: [message], hideFields: SECRET_FIELDS }) },
    { status },
  )
}

export default function AcceptInvitation() {
  const view = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  const { invitation } = view
  if (view.state !== 'valid' || !invitation) {
    return (
      <section className="card sign-in">
        <h1>{t('enterprise.invitation.title')}</h1>
        <p className="form-error" role="alert">
          {t(`enterprise.invitation.${view.state === 'valid' ? 'notFound' : view.state}`)}
        </p>
      </section>
    )
  }
  return (
    <section className="card sign-in">
      <h1>{t('enterprise.invitation.title')}</h1>
      <p>
        {t('enterprise.invitation.intro', {
          inviter: invitation.inviterName,
          enterprise: invitation.enterpriseName,
        })}
      </p>
      <p className="muted">
        {t('enterprise.invitation.forEmail', { name: invitation.name, email: invitation.email })}
        <br />
        {t('enterprise.invitation.validUntil', {
          date: formatDateTime(invitation.expiresAt, i18n.language),
        })}
      </p>
      <Body />
    </section>
  )
}

function Body() {
  const view = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const { invitation, viewer, token } = view
  if (!invitation) return null
  const formError = actionData?.result.error?.['']?.[0]
  const errorLine = formError ? (
    <p className="form-error" role="alert">
      {t(formError)}
    </p>
  ) : null
  if (viewer) {
    if (!viewer.matches) {
      return (
        <p className="form-error" role="alert">
          {t('enterprise.invitation.otherAccount', { email: invitation.email })}
        </p>
      )
    }
    return (
      <Form method="post">
        <CsrfInput />
        {errorLine}
        <button type="submit" name="intent" value="join">
          {t('enterprise.invitation.join')}
        </button>
      </Form>
    )
  }
  if (invitation.accountExists) {
    const signIn = `/sign-in?${new URLSearchParams({ redirectTo: `/invitations/${token}` })}`
    return (
      <>
        <p>{t('enterprise.invitation.signInToJoin')}</p>
        <p>
          <Link to={signIn} className="button">
            {t('enterprise.invitation.signInLink')}
          </Link>
        </p>
      </>
    )
  }
  return <NewAccountForm />
}

function NewAccountForm() {
  const view = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'accept-invitation',
    lastResult: actionData?.result,
    defaultValue: { name: view.invitation?.name ?? '', mobile: view.invitation?.mobile ?? '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: acceptInvitationSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <h2>{t('enterprise.invitation.setAccount')}</h2>
      {form.errors?.length ? (
        <p className="form-error" role="alert" id={form.errorId}>
          {t(form.errors[0] ?? '')}
        </p>
      ) : null}
      <TextField field={fields.name} label={t('enterprise.invitation.name')} autoComplete="name" />
      <TextField
        field={fields.mobile}
        label={t('enterprise.invitation.mobile')}
        inputMode="tel"
        autoComplete="tel"
      />
      <TextField
        field={fields.password}
        label={t('enterprise.invitation.password')}
        hint={t('enterprise.register.passwordHint')}
        type="password"
        autoComplete="new-password"
      />
      <TextField
        field={fields.passwordConfirm}
        label={t('enterprise.invitation.passwordConfirm')}
        type="password"
        autoComplete="new-password"
      />
      <button type="submit">{t('enterprise.invitation.submit')}</button>
    </Form>
  )
}
