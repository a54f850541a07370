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
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import {
  DuplicateNotice,
  EnterpriseFieldset,
  InvitationLink,
  SimilarWarning,
  TextField,
} from '#app/components/enterprise-fields.tsx'
import {
  type EnterpriseFormReply,
  enterpriseFormError,
  invitationUrl,
} from '#app/utils/enterprise-form.server.ts'
import { readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import type { Role } from '#db/schema.ts'
import {
  creatableOrgs,
  createEnterprise,
  INVITATION_TTL_DAYS,
} from '#workflows/commands/enterprises.ts'
import { coordinatorEnterpriseSchema } from '#workflows/enterprise-validation.ts'

const MANAGER_ROLES: Role[] = ['coordinator', 'federation_admin']

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'enterprise.create.title')

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, MANAGER_ROLES)
  const orgs = await creatableOrgs(context.db, principalOf(user))
  return { orgs: orgs.map((o) => ({ id: o.id, name: o.name })) }
}

type Created = {
  created: { id: number; name: string }
  invitation: { url: string; name: string; days: number }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, MANAGER_ROLES)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: coordinatorEnterpriseSchema })
  if (submission.status !== 'success') {
    return data<EnterpriseFormReply | Created>(
      { result: submission.reply({ hideFields: ['csrf'] }), duplicate: null, similar: null },
      { status: 400 },
    )
  }
  const input = submission.value
  let outcome: Awaited<ReturnType<typeof createEnterprise>>
  try {
    outcome = await createEnterprise(context.db, principalOf(user), input, { now: context.now() })
  } catch (err) {
    return enterpriseFormError(submission, err, [])
  }
  if (!outcome.invitation || !input.invite) {
    return redirect(`/enterprises/${outcome.enterpriseId}?done=created`)
  }
  // The invitation link exists only in this response: no redirect, so it can be shown once.
  return data<EnterpriseFormReply | Created>({
    created: { id: outcome.enterpriseId, name: input.name },
    invitation: {
      url: invitationUrl(request, outcome.invitation.token),
      name: input.invite.name,
      days: INVITATION_TTL_DAYS,
    },
  })
}

export default function NewEnterprise() {
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  if (actionData && 'created' in actionData) {
    return (
      <section className="card">
        <h1>{actionData.created.name}</h1>
        <p className="notice" role="status">
          {t('enterprise.notices.created')}
        </p>
        <InvitationLink {...actionData.invitation} />
        <div className="actions">
          <Link to={`/enterprises/${actionData.created.id}`} className="button">
            {t('enterprise.invite.back')}
          </Link>
        </div>
      </section>
    )
  }
  return <CreateForm reply={actionData} />
}

function CreateForm({ reply }: { reply: EnterpriseFormReply | undefined }) {
  const { orgs } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'new-enterprise',
    lastResult: reply?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: coordinatorEnterpriseSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const typedName = reply?.result.initialValue?.name
  return (
    <section className="card">
      <h1>{t('enterprise.create.title')}</h1>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        {form.errors?.length ? (
          <p className="form-error" role="alert" id={form.errorId}>
            {t(form.errors[0] ?? '')}
          </p>
        ) : null}
        {reply?.duplicate ? <DuplicateNotice existing={reply.duplicate} audience="union" /> : null}
        {reply?.similar?.length ? (
          <SimilarWarning
            name={typeof typedName === 'string' ? typedName : ''}
            candidates={reply.similar}
            field={fields.confirmSimilar}
          />
        ) : null}
        <EnterpriseFieldset fields={fields} orgs={orgs} />
        <h2>{t('enterprise.create.inviteSection')}</h2>
        <p className="muted">{t('enterprise.create.inviteHint')}</p>
        <TextField field={fields.inviteName} label={t('enterprise.create.inviteName')} />
        <TextField
          field={fields.inviteEmail}
          label={t('enterprise.create.inviteEmail')}
          type="email"
        />
        <TextField
          field={fields.inviteMobile}
          label={t('enterprise.create.inviteMobile')}
          inputMode="tel"
        />
        <div className="actions">
          <button type="submit">{t('enterprise.create.submit')}</button>
          <Link to="/enterprises" className="button secondary">
            {t('enterprise.create.cancel')}
          </Link>
        </div>
      </Form>
    </section>
  )
}
