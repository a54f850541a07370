import { getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { FieldError } from '#app/components/field-error.tsx'
import { formDomainError, invalidForm, readForm, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import {
  addCategory,
  categoriesForAdmin,
  moveCategory,
  renameCategory,
  setCategoryActive,
} from '#workflows/commands/categories.ts'
import { CATEGORY_CODE } from '#workflows/needs-list.schema.ts'
import '#app/styles/taxonomy.css'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'

const code = z
  .string({ error: 'taxonomy.errors.code' })
  .trim()
  .regex(CATEGORY_CODE, { error: 'taxonomy.errors.code' })
const name = z
  .string({ error: 'taxonomy.errors.name' })
  .trim()
  .min(1, { error: 'taxonomy.errors.name' })
  .max(40, { error: 'taxonomy.errors.name' })

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('add'), code, nameZh: name, nameEn: name }),
    z.object({ intent: z.literal('rename'), code, nameZh: name, nameEn: name }),
    z.object({ intent: z.literal('up'), code }),
    z.object({ intent: z.literal('down'), code }),
    z.object({ intent: z.literal('deactivate'), code }),
    z.object({ intent: z.literal('reactivate'), code }),
  ],
  { error: 'errors.badRequest' },
)

const addSchema = z.object({ code, nameZh: name, nameEn: name })

type Intent = z.infer<typeof actionSchema>['intent']

const DONE: Record<Intent, string> = {
  add: 'added',
  rename: 'saved',
  up: 'moved',
  down: 'moved',
  deactivate: 'deactivated',
  reactivate: 'reactivated',
}
const NOTICE_KEYS = noticeKeys('taxonomy.categories', Object.values(DONE))

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'taxonomy.categories.title')

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  const rows = await categoriesForAdmin(context.db, principalOf(user)).catch(throwDomainError)
  return {
    categories: rows.map((c) => ({
      code: c.code,
      nameZh: c.name_zh,
      nameEn: c.name_en,
      active: c.active,
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
    switch (input.intent) {
      case 'add':
        await addCategory(context.db, principal, input)
        break
      case 'rename':
        await renameCategory(context.db, principal, input.code, input)
        break
      case 'up':
      case 'down':
        await moveCategory(context.db, principal, input.code, input.intent)
        break
      case 'deactivate':
      case 'reactivate':
        await setCategoryActive(context.db, principal, input.code, input.intent === 'reactivate')
        break
    }
  } catch (err) {
    return formDomainError(submission, err)
  }
  return redirect(withNotice(`/admin/categories#category-${input.code}`, DONE[input.intent]))
}

export default function CategoriesAdmin() {
  const { categories, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const result = actionData?.result
  const intent = result?.initialValue?.intent
  const rowCode = typeof result?.initialValue?.code === 'string' ? result.initialValue.code : null
  // Errors of the add form show on its fields; the others at the top.
  const topError =
    intent === 'add'
      ? result?.error?.['']?.[0]
      : (result?.error?.['']?.[0] ??
        Object.values(result?.error ?? {}).find((e) => e?.length)?.[0] ??
        null)
  return (
    <section className="card categories-admin">
      <h1>{t('taxonomy.categories.title')}</h1>
      <p className="muted">{t('taxonomy.categories.intro')}</p>
      {notice && !actionData ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {topError && intent !== 'add' ? (
        <p className="form-error" role="alert">
          {t(topError)}
          {rowCode ? ` (${rowCode})` : null}
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('taxonomy.categories.order')}</th>
            <th scope="col">{t('taxonomy.categories.code')}</th>
            <th scope="col">
              {t('taxonomy.categories.nameZh')} / {t('taxonomy.categories.nameEn')}
            </th>
            <th scope="col">{t('taxonomy.categories.state')}</th>
          </tr>
        </thead>
        <tbody>
          {categories.map((c, index) => (
            <tr key={c.code} id={`category-${c.code}`} className={c.active ? '' : 'inactive'}>
              <td>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="code" value={c.code} />
                  <button
                    type="submit"
                    name="intent"
                    value="up"
                    className="secondary"
                    disabled={index === 0}
                    aria-label={t('taxonomy.categories.moveUpLabel', { name: c.nameZh })}
                  >
                    {t('taxonomy.categories.moveUp')}
                  </button>
                  <button
                    type="submit"
                    name="intent"
                    value="down"
                    className="secondary"
                    disabled={index === categories.length - 1}
                    aria-label={t('taxonomy.categories.moveDownLabel', { name: c.nameZh })}
                  >
                    {t('taxonomy.categories.moveDown')}
                  </button>
                </Form>
              </td>
              <td>
                <code>{c.code}</code>
              </td>
              <td>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="code" value={c.code} />
                  <label className="visually-hidden" htmlFor={`zh-${c.code}`}>
                    {t('taxonomy.categories.nameZh')}
                  </label>
                  <input
                    id={`zh-${c.code}`}
                    type="text"
                    name="nameZh"
                    defaultValue={c.nameZh}
                    maxLength={40}
                    required
                  />
                  <label className="visually-hidden" htmlFor={`en-${c.code}`}>
                    {t('taxonomy.categories.nameEn')}
                  </label>
                  <input
                    id={`en-${c.code}`}
                    type="text"
                    name="nameEn"
                    defaultValue={c.nameEn}
                    maxLength={40}
                    required
                  />
                  <button type="submit" name="intent" value="rename" className="secondary">
                    {t('taxonomy.categories.save')}
                  </button>
                </Form>
              </td>
              <td>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="code" value={c.code} />
                  <span>
                    {c.active ? t('taxonomy.categories.active') : t('taxonomy.categories.inactive')}
                  </span>
                  <button
                    type="submit"
                    name="intent"
                    value={c.active ? 'deactivate' : 'reactivate'}
                    className="secondary"
                  >
                    {c.active
                      ? t('taxonomy.categories.deactivate')
                      : t('taxonomy.categories.reactivate')}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddCategoryForm lastResult={intent === 'add' ? result : undefined} />
    </section>
  )
}

function AddCategoryForm({ lastResult }: { lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'add-category',
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form method="post" {...getFormProps(form)}>
      <h2>{t('taxonomy.categories.addTitle')}</h2>
      <CsrfInput />
      {form.errors?.length ? (
        <p className="form-error" role="alert" id={form.errorId}>
          {t(form.errors[0] ?? '')}
        </p>
      ) : null}
      <div className="item-grid">
        <div className="field">
          <label htmlFor={fields.code.id}>{t('taxonomy.categories.code')}</label>
          <input
            {...getInputProps(fields.code, {
              type: 'text',
              ariaDescribedBy: fields.code.descriptionId,
            })}
          />
          <p className="muted" id={fields.code.descriptionId}>
            {t('taxonomy.categories.codeHint')}
          </p>
          <FieldError errors={fields.code.errors} id={fields.code.errorId} />
        </div>
        <div className="field">
          <label htmlFor={fields.nameZh.id}>{t('taxonomy.categories.nameZh')}</label>
          <input {...getInputProps(fields.nameZh, { type: 'text' })} />
          <FieldError errors={fields.nameZh.errors} id={fields.nameZh.errorId} />
        </div>
        <div className="field">
          <label htmlFor={fields.nameEn.id}>{t('taxonomy.categories.nameEn')}</label>
          <input {...getInputProps(fields.nameEn, { type: 'text' })} />
          <FieldError errors={fields.nameEn.errors} id={fields.nameEn.errorId} />
        </div>
      </div>
      <button type="submit" name="intent" value="add">
        {t('taxonomy.categories.add')}
      </button>
    </Form>
  )
}
