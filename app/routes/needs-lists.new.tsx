import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { EMPTY_ITEM, NeedsListForm, needsListFormSchema } from '#app/components/needs-list-form.tsx'
import { invalidForm, readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { needsListFormError } from '#app/utils/need-items-form.server.ts'
import { withNotice } from '#app/utils/notice.ts'
import { needItemFormOptions } from '#app/utils/taxonomy.server.ts'
import { createNeedsList } from '#workflows/commands/needs-lists.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'needsList.newTitle')

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, ['enterprise_contact'])
  return { options: await needItemFormOptions(context.db) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, ['enterprise_contact'])
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: needsListFormSchema })
  if (submission.status !== 'success') {
    // Errors are a 400; list intents (add/remove item without JavaScript) just re-render.
    return invalidForm(submission)
  }
  const { title, items } = submission.value
  let id: number
  try {
    id = await createNeedsList(
      context.db,
      principalOf(user),
      { title, items },
      { now: context.now() },
    )
  } catch (err) {
    return needsListFormError(submission, err)
  }
  context.pokeOutbox()
  return redirect(withNotice(`/needs-lists/${id}`, 'created'))
}

export default function NewNeedsList() {
  const { options } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <section className="card">
      <h1>{t('needsList.newTitle')}</h1>
      <NeedsListForm
        lastResult={actionData?.result}
        defaultValue={{ title: '', items: [EMPTY_ITEM] }}
        options={options}
        submitLabel={t('needsList.saveDraft')}
        cancelTo="/needs-lists"
      />
    </section>
  )
}
