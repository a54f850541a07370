import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import {
  lineValue,
  postedLines,
  rangeText,
  VisitLinesEditor,
} from '#app/components/visit-lines-editor.tsx'
import { VisitStatus } from '#app/components/visit-status.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import { planView, savePlan } from '#workflows/commands/inspection-plans.ts'
import { planSchema } from '#workflows/inspection/plan.schema.ts'
import '#app/styles/matching.css'

const NOTICE_KEYS = noticeKeys('visits.notice', ['planSaved', 'planVersioned'])

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'visits.plan.title', data?.visit.listTitle)

/** ?version=n shows an older version; anything else the current one. */
function versionParam(request: Request): number | undefined {
  const raw = new URL(request.url).searchParams.get('version')
  if (raw === null || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n <= 0 || n > 100_000 || String(n) !== raw) {
    throw new Response('errors.notFound', { status: 404 })
  }
  return n
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await planView(context.db, principalOf(user), id, versionParam(request)).catch(
    throwDomainError,
  )
  return { ...view, notice: readNotice(request, NOTICE_KEYS) }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: planSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  try {
    const saved = await savePlan(context.db, principalOf(user), id, submission.value, {
      now: context.now(),
    })
    return redirect(
      withNotice(`/visits/${id}/plan`, saved.newVersion ? 'planVersioned' : 'planSaved'),
    )
  } catch (err) {
    return formDomainError(submission, err)
  }
}

export default function PlanPage() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const zh = lng.startsWith('zh')
  const { visit, plan } = page
  const result = actionData?.result
  const error =
    result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
  const rows =
    postedLines(result?.initialValue) ?? page.lines.map((l) => lineValue({ ...l, id: l.id }))
  return (
    <>
      <section className="card">
        <p>
          <Link to={`/visits/${visit.id}`}>{t('visits.visit.title')}</Link>
        </p>
        <h1>
          {t('visits.plan.title')}: {visit.listTitle} ·{' '}
          {t('visits.list.sequence', { n: visit.sequence })} <VisitStatus status={visit.status} />
        </h1>
        <p data-testid="plan-version">
          <strong>{t('visits.plan.version', { version: plan.version })}</strong>
          {plan.current ? <span className="muted"> · {t('visits.plan.current')}</span> : null}
          {plan.createdByName ? (
            <span className="muted">
              {' '}
              ·{' '}
              {t('visits.plan.createdBy', {
                name: plan.createdByName,
                when: formatDateTime(plan.createdAt, lng),
              })}
            </span>
          ) : null}
        </p>
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
        {page.versions.length > 1 ? (
          <nav aria-label={t('visits.plan.versions')}>
            {t('visits.plan.versions')}:{' '}
            {page.versions.map((v) => (
              <span key={v.version}>
                {v.version === plan.version ? (
                  <strong>{t('visits.plan.version', { version: v.version })}</strong>
                ) : (
                  <Link to={`/visits/${visit.id}/plan?version=${v.version}`}>
                    {t('visits.plan.version', { version: v.version })}
                  </Link>
                )}{' '}
              </span>
            ))}
          </nav>
        ) : null}
        {!plan.current ? <p className="muted">{t('visits.plan.readOnly')}</p> : null}
        {plan.objectives ? (
          <>
            <h2>{t('visits.field.objectives')}</h2>
            <p className="pre-wrap">{plan.objectives}</p>
          </>
        ) : null}
        {plan.notes ? (
          <>
            <h2>{t('visits.field.notes')}</h2>
            <p className="pre-wrap">{plan.notes}</p>
          </>
        ) : null}
        <p>
          {t('visits.visit.planItems')}:{' '}
          {page.items
            .filter((i) => plan.itemIds.includes(i.id))
            .map((i) => i.title)
            .join('、')}
        </p>
      </section>

      <section className="card">
        <h2>{t('visits.plan.lines')}</h2>
        {page.lines.length === 0 ? (
          <p className="muted">{t('visits.plan.empty')}</p>
        ) : (
          <table data-testid="plan-lines">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('visits.plan.section')}</th>
                <th>{t('visits.plan.label')}</th>
                <th>{t('visits.field.kind')}</th>
                <th>{t('visits.plan.range')}</th>
              </tr>
            </thead>
            <tbody>
              {page.lines.map((l, i) => (
                <tr key={l.id}>
                  <td>{i + 1}</td>
                  <td>{zh ? l.sectionZh : l.sectionEn}</td>
                  <td>
                    {zh ? l.labelZh : l.labelEn}
                    {(zh ? l.guidanceZh : l.guidanceEn) ? (
                      <div className="muted">{zh ? l.guidanceZh : l.guidanceEn}</div>
                    ) : null}
                  </td>
                  <td>{t(`visits.lineKind.${l.kind}`)}</td>
                  <td>{rangeText(l)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {page.can.edit ? (
        <section className="card">
          <h2>{t('visits.visit.editPlan')}</h2>
          <p className="muted">
            {page.versioned ? t('visits.plan.versionedHint') : t('visits.plan.inPlaceHint')}
          </p>
          <Form method="post" action={`/visits/${visit.id}/plan`}>
            <CsrfInput />
            <input type="hidden" name="basedOn" value={plan.version} />
            <div className="field">
              <label htmlFor="objectives">{t('visits.field.objectives')}</label>
              <textarea
                id="objectives"
                name="objectives"
                rows={3}
                maxLength={2000}
                defaultValue={plan.objectives ?? ''}
              />
            </div>
            <div className="field">
              <label htmlFor="notes">{t('visits.field.notes')}</label>
              <textarea
                id="notes"
                name="notes"
                rows={2}
                maxLength={2000}
                defaultValue={plan.notes ?? ''}
              />
            </div>
            <fieldset className="field">
              <legend>{t('visits.field.items')}</legend>
              {page.items.map((i) => (
                <label key={i.id} className="checkbox">
                  <input
                    type="checkbox"
                    name="itemIds"
                    value={i.id}
                    defaultChecked={plan.itemIds.includes(i.id)}
                  />{' '}
                  {i.title}
                </label>
              ))}
            </fieldset>
            <h3>{t('visits.plan.lines')}</h3>
            <VisitLinesEditor rows={rows} />
            <fieldset className="field">
              <legend>{t('visits.plan.addTemplates')}</legend>
              {page.templates.map((tpl) => (
                <label key={tpl.id} className="checkbox">
                  <input type="checkbox" name="addTemplateIds" value={tpl.id} />{' '}
                  {zh ? tpl.nameZh : tpl.nameEn}
                  <span className="muted">
                    {' '}
                    · {t('visits.visit.planLines', { count: tpl.itemCount })}
                  </span>
                </label>
              ))}
            </fieldset>
            <button type="submit">{t('visits.plan.save')}</button>
          </Form>
        </section>
      ) : plan.current ? (
        <p className="muted">{t('visits.plan.noEdit')}</p>
      ) : null}
    </>
  )
}
