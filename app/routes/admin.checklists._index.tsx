import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { formDomainError, invalidForm, readForm, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { withNotice } from '#app/utils/notice.ts'
import {
  checklistTemplatesPage,
  createChecklistTemplate,
} from '#workflows/commands/checklist-templates.ts'
import { templateSchema } from '#workflows/inspection/templates.schema.ts'
import '#app/styles/matching.css'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'visits.checklists.title')

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  return checklistTemplatesPage(context.db, principalOf(user)).catch(throwDomainError)
}

/** Creates a template (without lines); its page follows to add them. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: templateSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  try {
    const id = await createChecklistTemplate(context.db, principalOf(user), submission.value, {
      now: context.now(),
    })
    return redirect(withNotice(`/admin/checklists/${id}`, 'templateCreated'))
  } catch (err) {
    return formDomainError(submission, err)
  }
}

export default function ChecklistTemplates() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const zh = i18n.language.startsWith('zh')
  const result = actionData?.result
  const error =
    result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
  const posted = (name: string) => {
    const v = (result?.initialValue as Record<string, unknown> | undefined)?.[name]
    return typeof v === 'string' ? v : undefined
  }
  const categoryName = (code: string | null) => {
    const c = page.categories.find((x) => x.code === code)
    return c ? (zh ? c.name_zh : c.name_en) : t('visits.checklists.noCategory')
  }
  return (
    <>
      <section className="card">
        <h1>{t('visits.checklists.title')}</h1>
        <p className="muted">{t('visits.checklists.intro')}</p>
        {page.templates.length === 0 ? (
          <p className="muted">{t('visits.checklists.none')}</p>
        ) : (
          <table data-testid="templates">
            <thead>
              <tr>
                <th>{t('visits.checklists.nameZh')}</th>
                <th>{t('visits.checklists.code')}</th>
                <th>{t('visits.checklists.category')}</th>
                <th>{t('visits.checklists.lineCount')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {page.templates.map((tpl) => (
                <tr key={tpl.id} data-template={tpl.code}>
                  <td>
                    {zh ? tpl.nameZh : tpl.nameEn}
                    {tpl.active ? null : (
                      <span className="chip chip-withdrawn">
                        {' '}
                        {t('visits.checklists.inactive')}
                      </span>
                    )}
                    <div className="muted">{formatDateTime(tpl.updatedAt, i18n.language)}</div>
                  </td>
                  <td>
                    <code>{tpl.code}</code>
                  </td>
                  <td>{categoryName(tpl.category)}</td>
                  <td>{tpl.itemCount}</td>
                  <td>
                    <Link to={`/admin/checklists/${tpl.id}`}>{t('visits.checklists.edit')}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2>{t('visits.checklists.create')}</h2>
        {error ? (
          <p className="form-error" role="alert">
            {t(error)}
          </p>
        ) : null}
        <Form method="post" action="/admin/checklists">
          <CsrfInput />
          <div className="field">
            <label htmlFor="code">{t('visits.checklists.code')}</label>
            <input
              type="text"
              id="code"
              name="code"
              required
              maxLength={40}
              pattern="[a-z][a-z0-9_]{1,39}"
              defaultValue={posted('code') ?? ''}
            />
            <p className="muted">{t('visits.checklists.codeHint')}</p>
          </div>
          <div className="field">
            <label htmlFor="nameZh">{t('visits.checklists.nameZh')}</label>
            <input
              type="text"
              id="nameZh"
              name="nameZh"
              required
              maxLength={100}
              defaultValue={posted('nameZh') ?? ''}
            />
          </div>
          <div className="field">
            <label htmlFor="nameEn">{t('visits.checklists.nameEn')}</label>
            <input
              type="text"
              id="nameEn"
              name="nameEn"
              maxLength={100}
              defaultValue={posted('nameEn') ?? ''}
            />
          </div>
          <div className="field">
            <label htmlFor="category">{t('visits.checklists.category')}</label>
            <select id="category" name="category" defaultValue={posted('category') ?? ''}>
              <option value="">{t('visits.checklists.noCategory')}</option>
              {page.categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {zh ? c.name_zh : c.name_en}
                </option>
              ))}
            </select>
          </div>
          <input type="hidden" name="active" value="on" />
          <button type="submit">{t('visits.checklists.createSubmit')}</button>
        </Form>
      </section>
    </>
  )
}
