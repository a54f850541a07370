import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { WithdrawForm, withdrawFormSchema } from '#app/components/withdraw-form.tsx'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { withExtrasNotice } from '#app/utils/needs-list-extras.server.ts'
import { needsListView, withdrawNeedsList } from '#workflows/commands/needs-lists.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'taxonomy.withdraw.pageTitle', data?.title)

/** The withdraw form on a page of its own (where its errors show without JavaScript). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await needsListView(context.db, principalOf(user), id).catch(throwDomainError)
  if (!view.can.withdraw) throw new Response('errors.transitionNotAllowed', { status: 409 })
  return { id, title: view.list.title, version: view.version }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: withdrawFormSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  const { reason, version } = submission.value
  try {
    await withdrawNeedsList(context.db, principalOf(user), id, reason, version, {
      now: context.now(),
    })
  } catch (err) {
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  return redirect(withExtrasNotice(`/needs-lists/${id}`, 'withdrawn'))
}

export default function WithdrawNeedsList() {
  const { id, title, version } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <section className="card">
      <h1>
        {t('taxonomy.withdraw.pageTitle')} <span className="muted">{title}</span>
      </h1>
      <WithdrawForm id={id} version={version} lastResult={actionData?.result} collapsed={false} />
      <p>
        <Link to={`/needs-lists/${id}`}>{t('taxonomy.withdraw.back')}</Link>
      </p>
    </section>
  )
}
