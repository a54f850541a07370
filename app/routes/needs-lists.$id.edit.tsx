import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { editNeedsListFormSchema, NeedsListForm } from '#app/components/needs-list-form.tsx'
import { idParam, invalidForm, readForm, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { needsListFormError } from '#app/utils/need-items-form.server.ts'
import { withNotice } from '#app/utils/notice.ts'
import { needItemFormOptions } from '#app/utils/taxonomy.server.ts'
import { editNeedsList, needsListView } from '#workflows/commands/needs-lists.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'needsList.editTitle', data?.title)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await needsListView(context.db, principalOf(user), id).catch(throwDomainError)
  if (!view.can.edit) throw new Response('errors.transitionNotAllowed', { status: 409 })
  return {
    id,
    title: view.list.title,
    version: view.version,
    items: view.items.map((i) => ({
      category: i.category,
      title: i.title,
      description: i.description,
      urgency: i.urgency,
      headcount: i.headcount,
      skillIds: i.skillIds.map(String),
      windowStart: i.windowStart ?? '',
      windowEnd: i.windowEnd ?? '',
      mode: i.mode,
      place: i.place ?? '',
      expectedOutcome: i.expected_outcome ?? '',
    })),
    options: await needItemFormOptions(context.db),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: editNeedsListFormSchema })
  if (submission.status !== 'success') {
    return invalidForm(submission)
  }
  const { title, items, version } = submission.value
  try {
    await editNeedsList(context.db, principalOf(user), id, { title, items }, version, {
      now: context.now(),
    })
  } catch (err) {
    return needsListFormError(submission, err)
  }
  context.pokeOutbox()
  return redirect(withNotice(`/needs-lists/${id}`, 'saved'))
}

export default function EditNeedsList() {
  const list = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <section className="card">
      <h1>{t('needsList.editTitle')}</h1>
      <NeedsListForm
        lastResult={actionData?.result}
        defaultValue={{ title: list.title, version: list.version, items: list.items }}
        options={list.options}
        submitLabel={t('needsList.save')}
        cancelTo={`/needs-lists/${list.id}`}
      />
    </section>
  )
}
