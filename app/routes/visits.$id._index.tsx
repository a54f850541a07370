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
  cancelVisit,
  confirmVisit,
  counterProposeVisit,
  rescheduleVisit,
  updateVisitTeam,
  VisitConflictsError,
  visitView,
} from '#workflows/commands/visits.ts'
import {
  cancelVisitSchema,
  counterProposeSchema,
  rescheduleSchema,
  updateTeamSchema,
} from '#workflows/inspection/visit.schema.ts'
import { beijingLocalValue } from '#workflows/resource-list/schema.ts'
import '#app/styles/matching.css'

const version = z.coerce.number({ error: 'errors.badRequest' }).int().positive()

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('confirm'), version }),
    counterProposeSchema.safeExtend({ intent: z.literal('counter'), version }),
    rescheduleSchema.safeExtend({ intent: z.literal('reschedule'), version }),
    cancelVisitSchema.safeExtend({ intent: z.literal('cancel'), version }),
    updateTeamSchema.safeExtend({ intent: z.literal('team'), version }),
  ],
  { error: 'errors.badRequest' },
)

type Intent = z.infer<typeof actionSchema>['intent']
const DONE: Record<Intent, string> = {
  confirm: 'confirmed',
  counter: 'counterProposed',
  reschedule: 'rescheduled',
  cancel: 'cancelled',
  team: 'teamUpdated',
}
const NOTICE_KEYS = noticeKeys('visits.notice', [...Object.values(DONE), 'scheduled'])

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'visits.visit.title', data?.list.title)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await visitView(context.db, principalOf(user), id).catch(throwDomainError)
  return {
    ...view,
    conflicts: conflictViews(view.conflicts),
    startsAtValue: beijingLocalValue(view.visit.startsAt),
    counterValue: view.visit.counterStartsAt
      ? beijingLocalValue(new Date(view.visit.counterStartsAt))
      : null,
    notice: readNotice(request, NOTICE_KEYS),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  const input = submission.value
  const principal = principalOf(user)
  const options = { now: context.now(), expectedVersion: input.version }
  try {
    if (input.intent === 'confirm') {
      await confirmVisit(context.db, principal, id, options)
    } else if (input.intent === 'counter') {
      const { intent: _i, version: _v, ...rest } = input
      await counterProposeVisit(context.db, principal, id, rest, options)
    } else if (input.intent === 'reschedule') {
      const { intent: _i, version: _v, ...rest } = input
      await rescheduleVisit(context.db, principal, id, rest, options)
    } else if (input.intent === 'cancel') {
      await cancelVisit(context.db, principal, id, { reason: input.reason }, options)
    } else {
      const { intent: _i, version: _v, ...rest } = input
      await updateVisitTeam(context.db, principal, id, rest, options)
    }
  } catch (err) {
    if (err instanceof VisitConflictsError) {
      return data(
        {
          result: submission.reply({
            formErrors: ['visits.errors.conflicts'],
            hideFields: ['csrf'],
          }),
          intent: input.intent,
          conflicts: conflictViews(err.conflicts),
        },
        { status: 400 },
      )
    }
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  return redirect(withNotice(`/visits/${id}`, DONE[input.intent]))
}

function Hidden({ version }: { version: number }) {
  return (
    <>
      <CsrfInput />
      <input type="hidden" name="version" value={version} />
    </>
  )
}

export default function VisitPage() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const zh = lng.startsWith('zh')
  const { visit, list, can } = page
  const result = actionData?.result
  const error =
    result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
  const posted = postedConflicts(actionData)
  const intent = actionData && 'intent' in actionData ? actionData.intent : null
  const postTo = `/visits/${visit.id}`
  const ackBox = (forIntent: string) =>
    posted && intent === forIntent ? (
      <>
        <VisitConflicts conflicts={posted} />
        <label className="checkbox">
          <input type="checkbox" name="acknowledgeConflicts" /> {t('visits.field.acknowledge')}
        </label>
      </>
    ) : null
  const cadre = page.team.find((m) => m.role === 'cadre')
  return (
    <>
      <section className="card">
        <p>
          <Link to={`/needs-lists/${list.id}/visits`}>{t('visits.visit.back')}</Link>
        </p>
        <h1>
          {t('visits.visit.heading', { kind: t(`visits.kind.${visit.kind}`), n: visit.sequence })}{' '}
          <VisitStatus status={visit.status} />
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
        <dl className="facts" data-testid="visit-facts">
          <dt>{t('visits.visit.case')}</dt>
          <dd>
            <Link to={`/needs-lists/${list.id}`}>{list.title}</Link>
          </dd>
          <dt>{t('visits.visit.enterprise')}</dt>
          <dd>{list.enterpriseName}</dd>
          <dt>{t('visits.visit.when')}</dt>
          <dd>
            {formatDateTime(visit.startsAt, lng)}{' '}
            <span className="muted">
              · {t('visits.list.minutes', { count: visit.durationMinutes })}
            </span>
          </dd>
          <dt>{t('visits.visit.place')}</dt>
          <dd>{visit.place}</dd>
          {visit.checkedInAt ? (
            <>
              <dt>{t('visits.visit.checkedIn')}</dt>
              <dd>{formatDateTime(visit.checkedInAt, lng)}</dd>
            </>
          ) : null}
          {visit.dueAt ? (
            <>
              <dt>{t('visits.visit.dueAt')}</dt>
              <dd>{formatDateTime(visit.dueAt, lng)}</dd>
            </>
          ) : null}
        </dl>
        {visit.counterStartsAt ? (
          <p className="pin-warning" data-testid="counter">
            {t('visits.visit.counter', { when: formatDateTime(visit.counterStartsAt, lng) })}
            {visit.counterNote ? (
              <>
                <br />
                {t('visits.visit.counterNote', { note: visit.counterNote })}
              </>
            ) : null}
          </p>
        ) : null}
        {visit.cancelReason && visit.status === 'cancelled' ? (
          <p className="muted">{t('visits.visit.cancelled', { reason: visit.cancelReason })}</p>
        ) : null}
        <VisitConflicts conflicts={page.conflicts} />
        <p className="actions">
          <a href={`/visits/${visit.id}.ics`} download>
            {t('visits.visit.ics')}
          </a>
          {can.onsite ? (
            <Link to={`/visits/${visit.id}/onsite`}>{t('visits.visit.onsite')}</Link>
          ) : null}
          {can.report ? (
            <Link to={`/visits/${visit.id}/report`}>{t('visits.visit.report')}</Link>
          ) : null}
        </p>
      </section>

      <section className="card">
        <h2>{t('visits.visit.team')}</h2>
        <ul data-testid="visit-team">
          {page.team.map((m) => (
            <li key={m.id}>
              {m.name} <span className="muted">· {t(`visits.role.${m.role}`)}</span>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" data-testid="plan-summary">
        <h2>
          {t('visits.visit.plan')}
          {page.plan ? (
            <span className="muted">
              {' '}
              · {t('visits.visit.planVersion', { version: page.plan.version })}
            </span>
          ) : null}
        </h2>
        {page.plan ? (
          <>
            {page.plan.objectives ? <p className="pre-wrap">{page.plan.objectives}</p> : null}
            <p>{t('visits.visit.planLines', { count: page.plan.lineCount })}</p>
            <ul>
              {page.plan.sections.map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: sections in plan order
                <li key={i}>
                  {(zh ? s.zh : s.en) || '—'} <span className="muted">× {s.count}</span>
                </li>
              ))}
            </ul>
            {page.plan.items.length > 0 ? (
              <p>
                {t('visits.visit.planItems')}: {page.plan.items.map((i) => i.title).join('、')}
              </p>
            ) : null}
          </>
        ) : (
          <p className="muted">{t('visits.visit.noPlan')}</p>
        )}
        <p>
          <Link to={`/visits/${visit.id}/plan`}>{t('visits.visit.viewPlan')}</Link>
        </p>
      </section>

      {can.confirm || can.counterPropose ? (
        <section className="card">
          {can.confirm ? (
            <Form method="post" action={postTo} className="actions">
              <Hidden version={page.version} />
              <p className="muted">{t('visits.visit.confirmHint')}</p>
              <button type="submit" name="intent" value="confirm">
                {t('visits.visit.confirm')}
              </button>
            </Form>
          ) : null}
          {can.counterPropose ? (
            <Form method="post" action={postTo}>
              <Hidden version={page.version} />
              <h2>{t('visits.visit.counterHeading')}</h2>
              <div className="field">
                <label htmlFor="counter-startsAt">{t('visits.field.newTime')}</label>
                <input type="datetime-local" id="counter-startsAt" name="startsAt" required />
              </div>
              <div className="field">
                <label htmlFor="counter-note">{t('visits.field.note')}</label>
                <input type="text" id="counter-note" name="note" maxLength={500} />
              </div>
              <button type="submit" name="intent" value="counter" className="secondary">
                {t('visits.visit.counterSubmit')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {can.reschedule ? (
        <section className="card">
          <h2>{t('visits.visit.rescheduleHeading')}</h2>
          <Form method="post" action={postTo}>
            <Hidden version={page.version} />
            <div className="field">
              <label htmlFor="reschedule-startsAt">{t('visits.field.startsAt')}</label>
              <input
                type="datetime-local"
                id="reschedule-startsAt"
                name="startsAt"
                required
                defaultValue={page.counterValue ?? page.startsAtValue}
              />
            </div>
            <div className="field">
              <label htmlFor="reschedule-reason">{t('visits.field.reason')}</label>
              <input type="text" id="reschedule-reason" name="reason" required maxLength={500} />
            </div>
            {ackBox('reschedule')}
            <button type="submit" name="intent" value="reschedule">
              {t('visits.visit.rescheduleSubmit')}
            </button>
          </Form>
        </section>
      ) : null}

      {can.updateTeam ? (
        <section className="card">
          <h2>{t('visits.visit.teamHeading')}</h2>
          <Form method="post" action={postTo}>
            <Hidden version={page.version} />
            <VisitTeamFields
              options={page.teamOptions}
              value={{
                expertIds: page.team.map((m) => m.expertId).filter((e): e is number => e !== null),
                cadre: {
                  name: cadre?.name ?? '',
                  userId: cadre?.userId ? String(cadre.userId) : '',
                },
                others: page.team
                  .filter((m) => m.role === 'other')
                  .map((m) => ({ name: m.name, userId: m.userId ? String(m.userId) : '' })),
              }}
            />
            {ackBox('team')}
            <button type="submit" name="intent" value="team">
              {t('visits.visit.teamSubmit')}
            </button>
          </Form>
        </section>
      ) : null}

      {can.cancel ? (
        <section className="card">
          <h2>{t('visits.visit.cancelHeading')}</h2>
          <Form method="post" action={postTo} className="actions">
            <Hidden version={page.version} />
            <div>
              <label htmlFor="cancel-reason">{t('visits.field.reason')}</label>
              <input type="text" id="cancel-reason" name="reason" required maxLength={500} />
            </div>
            <button type="submit" name="intent" value="cancel" className="secondary">
              {t('visits.visit.cancelSubmit')}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  )
}
