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
import { lineValue, postedLines, VisitLinesEditor } from '#app/components/visit-lines-editor.tsx'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import {
  checklistTemplateView,
  updateChecklistTemplate,
} from '#workflows/commands/checklist-templates.ts'
import { templateSchema } from '#workflows/inspection/templates.schema.ts'
import '#app/styles/matching.css'

const NOTICE_KEYS = noticeKeys('visits.notice', ['templateCreated', 'templateSaved'])
const updateSchema = templateSchema.omit({ code: true })

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'visits.checklists.title', data?.template.name_zh)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  const id = idParam(params.id)
  const view = await checklistTemplateView(context.db, principalOf(user), id).catch(
    throwDomainError,
  )
  return { ...view, notice: readNotice(request, NOTICE_KEYS) }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: updateSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  try {
    await updateChecklistTemplate(context.db, principalOf(user), id, submission.value, {
      now: context.now(),
    })
  } catch (err) {
    return formDomainError(submission, err)
  }
  return redirect(withNotice(`/admin/checklists/${id}`, 'templateSaved'))
}

export default function ChecklistTemplate() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const zh = i18n.language.startsWith('zh')
  const { template } = page
  const result = actionData?.result
  const error =
    result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
  const initial = result?.initialValue as Record<string, unknown> | undefined
  const posted = (name: string, saved: string | null) => {
    const v = initial?.[name]
    return typeof v === 'string' ? v : initial ? '' : (saved ?? '')
  }
  const rows =
    postedLines(initial) ??
    page.lines.map((l) =>
      lineValue({
        id: l.id,
        sectionZh: l.section_zh,
        sectionEn: l.section_en,
        labelZh: l.label_zh,
        labelEn: l.label_en,
        kind: l.kind,
        unit: l.unit,
        min: l.min_value,
        max: l.max_value,
        guidanceZh: l.guidance_zh,
        guidanceEn: l.guidance_en,
      }),
    )
  return (
    <section className="card">
      <p>
        <Link to="/admin/checklists">{t('visits.checklists.back')}</Link>
      </p>
      <h1>
        {zh ? template.name_zh : template.name_en} <code>{template.code}</code>
      </h1>
      {page.notice && !actionData ? (
        <p className="notice" role="status">
          {t(page.notice)}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {t(error)}
        </p>
      ) : null}
      <Form method="post" action={`/admin/checklists/${template.id}`}>
        <CsrfInput />
        <div className="field">
          <label htmlFor="nameZh">{t('visits.checklists.nameZh')}</label>
          <input
            type="text"
            id="nameZh"
            name="nameZh"
            required
            maxLength={100}
            defaultValue={posted('nameZh', template.name_zh)}
          />
        </div>
        <div className="field">
          <label htmlFor="nameEn">{t('visits.checklists.nameEn')}</label>
          <input
            type="text"
            id="nameEn"
            name="nameEn"
            maxLength={100}
            defaultValue={posted('nameEn', template.name_en)}
          />
        </div>
        <div className="field">
          <label htmlFor="descriptionZh">{t('visits.checklists.descriptionZh')}</label>
          <textarea
            id="descriptionZh"
            name="descriptionZh"
            rows={2}
            maxLength={1000}
            defaultValue={posted('descriptionZh', template.description_zh)}
          />
        </div>
        <div className="field">
          <label htmlFor="descriptionEn">{t('visits.checklists.descriptionEn')}</label>
          <textarea
            id="descriptionEn"
            name="descriptionEn"
            rows={2}
            maxLength={1000}
            defaultValue={posted('descriptionEn', template.description_en)}
          />
        </div>
        <div className="field">
          <label htmlFor="category">{t('visits.checklists.category')}</label>
          <select
            id="category"
            name="category"
            defaultValue={posted('category', template.category)}
          >
            <option value="">{t('visits.checklists.noCategory')}</option>
            {page.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {zh ? c.name_zh : c.name_en}
              </option>
            ))}
          </select>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            name="active"
            defaultChecked={initial ? initial.active === 'on' : template.active}
          />{' '}
          {t('visits.checklists.active')}
        </label>
        <h2>{t('visits.checklists.lines')}</h2>
        <p className="muted">{t('visits.checklists.linesHint')}</p>
        <VisitLinesEditor rows={rows} blankRows={5} />
        <button type="submit">{t('visits.checklists.save')}</button>
      </Form>
    </section>
  )
}
