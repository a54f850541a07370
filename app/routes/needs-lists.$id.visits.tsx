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
import { z } from 'zod'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { conflictViews, postedConflicts, VisitConflicts } from '#app/components/visit-conflicts.tsx'
import { VisitStatus } from '#app/components/visit-status.tsx'
import { VisitTeamFields } from '#app/components/visit-team-fields.tsx'
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
import {
  caseVisitsView,
  previewVisitConflicts,
  scheduleVisit,
  VisitConflictsError,
} from '#workflows/commands/visits.ts'
import { scheduleVisitSchema, VISIT_KINDS } from '#workflows/inspection/visit.schema.ts'
import { idSchema } from '#workflows/resource-list/schema.ts'
import '#app/styles/matching.css'

const version = z.coerce.number({ error: 'errors.badRequest' }).int().positive()

const checkSchema = z.object({
  intent: z.literal('check'),
  version: version.optional(),
  startsAt: scheduleVisitSchema.shape.startsAt,
  durationMinutes: scheduleVisitSchema.shape.durationMinutes,
  expertIds: z
    .union([idSchema, z.array(idSchema)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
})

const actionSchema = z.discriminatedUnion(
  'intent',
  [checkSchema, scheduleVisitSchema.safeExtend({ intent: z.literal('schedule'), version })],
  { error: 'errors.badRequest' },
)

const NOTICE_KEYS = noticeKeys('visits.notice', ['scheduled'])

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'visits.list.title', data?.list.title)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await caseVisitsView(context.db, principalOf(user), id).catch(throwDomainError)
  return { ...view, notice: readNotice(request, NOTICE_KEYS) }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  const input = submission.value
  const principal = principalOf(user)
  const options = { now: context.now() }
  if (input.intent === 'check') {
    try {
      const conflicts = await previewVisitConflicts(context.db, principal, id, {
        startsAt: input.startsAt,
        durationMinutes: input.durationMinutes,
        expertIds: input.expertIds,
      })
      return data({
        result: submission.reply({ hideFields: ['csrf'] }),
        conflicts: conflictViews(conflicts),
        checked: true,
      })
    } catch (err) {
      return formDomainError(submission, err)
    }
  }
  const { intent: _i, version: expectedVersion, ...visit } = input
  try {
    const scheduled = await scheduleVisit(context.db, principal, id, visit, {
      ...options,
      expectedVersion,
    })
    context.pokeOutbox()
    return redirect(withNotice(`/visits/${scheduled.visitId}`, 'scheduled'))
  } catch (err) {
    if (err instanceof VisitConflictsError) {
      return data(
        {
          result: submission.reply({
            formErrors: ['visits.errors.conflicts'],
            hideFields: ['csrf'],
          }),
          conflicts: conflictViews(err.conflicts),
          checked: true,
        },
        { status: 400 },
      )
    }
    return formDomainError(submission, err)
  }
}

function postedValues(initial: unknown) {
  const v = (initial ?? {}) as Record<string, unknown>
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined)
  const ids = (k: string) => {
    const raw = v[k]
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]
    return list.map(Number).filter((n) => Number.isSafeInteger(n))
  }
  const member = (raw: unknown) => {
    const m = (raw ?? {}) as Record<string, unknown>
    return { name: String(m.name ?? ''), userId: String(m.userId ?? '') }
  }
  return {
    present: Object.keys(v).length > 0,
    str,
    ids,
    cadre: member(v.cadre),
    others: Array.isArray(v.others) ? v.others.map(member) : [],
    ack: v.acknowledgeConflicts === 'on',
  }
}

export default function CaseVisits() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const result = actionData?.result
  const error =
    result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
  const conflicts = postedConflicts(actionData)
  const posted = postedValues(result?.initialValue)
  const { list, form } = page
  return (
    <>
      <section className="card">
        <p>
          <Link to={`/needs-lists/${list.id}`}>{t('visits.list.back')}</Link>
        </p>
        <h1>
          {t('visits.list.title')}: {list.title}{' '}
          <span className={`status status-${list.status}`}>{t(`status.${list.status}`)}</span>
        </h1>
        <p className="muted">{list.enterpriseName}</p>
        {page.notice && !actionData ? (
          <p className="notice" role="status">
            {t(page.notice)}
          </p>
        ) : null}
        {page.visits.length === 0 ? (
          <p className="muted">{t('visits.list.none')}</p>
        ) : (
          <table data-testid="case-visits">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('visits.field.kind')}</th>
                <th>{t('visits.list.when')}</th>
                <th>{t('visits.field.place')}</th>
                <th>{t('visits.list.team')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {page.visits.map((v) => (
                <tr key={v.id} data-visit={v.id}>
                  <td>{t('visits.list.sequence', { n: v.sequence })}</td>
                  <td>{t(`visits.kind.${v.kind}`)}</td>
                  <td>
                    {formatDateTime(v.startsAt, lng)}
                    <span className="muted">
                      {' '}
                      · {t('visits.list.minutes', { count: v.durationMinutes })}
                    </span>
                  </td>
                  <td>{v.place}</td>
                  <td>{v.team.map((m) => m.name).join('、')}</td>
                  <td>
                    <VisitStatus status={v.status} />{' '}
                    <Link to={`/visits/${v.id}`}>{t('visits.visit.title')}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {form ? (
        <section className="card">
          <h2>{t('visits.list.scheduleHeading')}</h2>
          <p className="muted">{t('visits.list.scheduleIntro')}</p>
          {error ? (
            <p className="form-error" role="alert">
              {t(error)}
            </p>
          ) : null}
          {conflicts ? (
            conflicts.length > 0 ? (
              <VisitConflicts conflicts={conflicts} />
            ) : (
              <p className="notice" role="status">
                {t('visits.list.noConflicts')}
              </p>
            )
          ) : null}
          <Form method="post" action={`/needs-lists/${list.id}/visits`}>
            <CsrfInput />
            <input type="hidden" name="version" value={page.version} />
            <div className="field">
              <label htmlFor="kind">{t('visits.field.kind')}</label>
              <select id="kind" name="kind" defaultValue={posted.str('kind') ?? 'inspection'}>
                {VISIT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`visits.kind.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="startsAt">{t('visits.field.startsAt')}</label>
              <input
                type="datetime-local"
                id="startsAt"
                name="startsAt"
                required
                defaultValue={posted.str('startsAt') ?? ''}
              />
            </div>
            <div className="field">
              <label htmlFor="durationMinutes">{t('visits.field.duration')}</label>
              <input
                type="number"
                id="durationMinutes"
                name="durationMinutes"
                min={15}
                max={1440}
                step={15}
                required
                defaultValue={posted.str('durationMinutes') ?? '120'}
              />
            </div>
            <div className="field">
              <label htmlFor="place">{t('visits.field.place')}</label>
              <input
                type="text"
                id="place"
                name="place"
                maxLength={200}
                placeholder={form.defaultPlace}
                defaultValue={posted.str('place') ?? ''}
              />
              <p className="muted">{t('visits.field.placeHint')}</p>
            </div>
            <VisitTeamFields
              options={{ experts: form.experts, unionUsers: form.unionUsers }}
              value={{
                expertIds: posted.present
                  ? posted.ids('expertIds')
                  : form.experts.map((e) => e.expertId),
                cadre: posted.cadre,
                others: posted.others,
              }}
            />
            <fieldset className="field">
              <legend>{t('visits.field.items')}</legend>
              {form.items.map((i) => (
                <label key={i.id} className="checkbox">
                  <input
                    type="checkbox"
                    name="itemIds"
                    value={i.id}
                    defaultChecked={posted.present ? posted.ids('itemIds').includes(i.id) : true}
                  />{' '}
                  {i.title}
                  {i.place ? <span className="muted"> · {i.place}</span> : null}
                </label>
              ))}
            </fieldset>
            <fieldset className="field">
              <legend>{t('visits.field.templates')}</legend>
              {form.templates.map((tpl) => (
                <label key={tpl.id} className="checkbox">
                  <input
                    type="checkbox"
                    name="templateIds"
                    value={tpl.id}
                    defaultChecked={posted.ids('templateIds').includes(tpl.id)}
                  />{' '}
                  {lng.startsWith('zh') ? tpl.nameZh : tpl.nameEn}
                  <span className="muted">
                    {' '}
                    · {t('visits.visit.planLines', { count: tpl.itemCount })}
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="objectives">{t('visits.field.objectives')}</label>
              <textarea
                id="objectives"
                name="objectives"
                rows={3}
                maxLength={2000}
                defaultValue={posted.str('objectives') ?? ''}
              />
            </div>
            <div className="field">
              <label htmlFor="notes">{t('visits.field.notes')}</label>
              <textarea
                id="notes"
                name="notes"
                rows={2}
                maxLength={2000}
                defaultValue={posted.str('notes') ?? ''}
              />
            </div>
            {conflicts && conflicts.length > 0 ? (
              <label className="checkbox">
                <input type="checkbox" name="acknowledgeConflicts" defaultChecked={posted.ack} />{' '}
                {t('visits.field.acknowledge')}
              </label>
            ) : null}
            <div className="actions">
              <button type="submit" name="intent" value="check" className="secondary">
                {t('visits.list.check')}
              </button>
              <button type="submit" name="intent" value="schedule">
                {t('visits.list.schedule')}
              </button>
            </div>
          </Form>
        </section>
      ) : page.visits.length === 0 ? (
        <section className="card">
          <p className="muted">{t('visits.list.notSchedulable')}</p>
        </section>
      ) : null}
    </>
  )
}
