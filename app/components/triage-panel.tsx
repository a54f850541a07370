import {
  getFormProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import type { RouteTarget } from '#workflows/commands/triage.ts'
import {
  rejectReasonSchema,
  routeReasonSchema,
  routeTargetSchema,
} from '#workflows/triage.schema.ts'
import { CsrfInput } from './csrf-input.tsx'
import { FieldError } from './field-error.tsx'
import { type RankedStewardView, StewardRecommendations } from './steward-recommendations.tsx'
import '#app/styles/triage.css'

/** Outcomes the triage and steward actions announce after redirecting. */
export const TRIAGE_NOTICES = {
  triaged: ['rejected', 'routed'],
  steward: ['assigned'],
} as const

/** `path` with `key=value` added to its query string. */
export function withParam(path: string, key: string, value: string): string {
  const url = new URL(path, 'http://local')
  url.searchParams.set(key, value)
  return `${url.pathname}${url.search}${url.hash}`
}

/** The translation key of a triage/steward notice in these search params, if any. */
export function triageNoticeOf(params: URLSearchParams): string | null {
  const triaged = params.get('triaged')
  if ((TRIAGE_NOTICES.triaged as readonly string[]).includes(triaged ?? '')) {
    return `triage.notice.${triaged}`
  }
  const steward = params.get('steward')
  if ((TRIAGE_NOTICES.steward as readonly string[]).includes(steward ?? '')) {
    return `steward.notice.${steward}`
  }
  return null
}

export function TriageNotice() {
  const [params] = useSearchParams()
  const { t } = useTranslation()
  const notice = triageNoticeOf(params)
  return notice ? (
    <p className="notice" role="status">
      {t(notice)}
    </p>
  ) : null
}

export const rejectFormSchema = z.object({ reason: rejectReasonSchema })
export const routeFormSchema = z.object({ toOrgId: routeTargetSchema, reason: routeReasonSchema })

export function RejectForm({
  listId,
  version,
  redirectTo,
  lastResult,
}: {
  listId: number
  version: number
  redirectTo?: string
  lastResult?: SubmissionResult<string[]>
}) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: `reject-${listId}`,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: rejectFormSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form method="post" action={`/needs-lists/${listId}/triage`} {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="version" value={version} />
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
      <div className="field">
        <label htmlFor={fields.reason.id}>{t('triage.rejectReason')}</label>
        <textarea
          {...getTextareaProps(fields.reason, { ariaDescribedBy: fields.reason.descriptionId })}
          rows={3}
        />
        <p className="muted" id={fields.reason.descriptionId}>
          {t('triage.rejectReasonHint')}
        </p>
        <FieldError errors={fields.reason.errors} id={fields.reason.errorId} />
      </div>
      <button type="submit" name="intent" value="reject" className="secondary">
        {t('triage.reject')}
      </button>
    </Form>
  )
}

export function RouteForm({
  listId,
  version,
  targets,
  redirectTo,
  lastResult,
}: {
  listId: number
  version: number
  targets: RouteTarget[]
  redirectTo?: string
  lastResult?: SubmissionResult<string[]>
}) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: `route-${listId}`,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: routeFormSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  if (targets.length === 0) return <p className="muted">{t('triage.noTargets')}</p>
  return (
    <Form method="post" action={`/needs-lists/${listId}/triage`} {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="version" value={version} />
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
      <div className="field">
        <label htmlFor={fields.toOrgId.id}>{t('triage.routeTo')}</label>
        <select {...getSelectProps(fields.toOrgId)}>
          <option value="">{t('triage.chooseOrg')}</option>
          {targets.map((o) => (
            <option key={o.id} value={o.id}>
              {`${'\u3000'.repeat(o.depth)}${o.name}`}
            </option>
          ))}
        </select>
        <FieldError errors={fields.toOrgId.errors} id={fields.toOrgId.errorId} />
      </div>
      <div className="field">
        <label htmlFor={fields.reason.id}>{t('triage.routeReason')}</label>
        <textarea {...getTextareaProps(fields.reason)} rows={2} />
        <FieldError errors={fields.reason.errors} id={fields.reason.errorId} />
      </div>
      <button type="submit" name="intent" value="route" className="secondary">
        {t('triage.route')}
      </button>
    </Form>
  )
}

/** What the needs-list loader passes (see triagePanelData); null shows nothing. */
export interface TriagePanelView {
  listId: number
  enterpriseId: number
  status: string
  version: number
  canReject: boolean
  routeTargets: RouteTarget[] | null
  steward: { current: { id: number; name: string } | null; ranked: RankedStewardView[] | null }
}

/**
 * The coordinator's part of the needs-list page: reject or route a list at
 * intake, and the dedicated steward (ranked assignment while the case waits
 * for one).
 */
export function TriagePanel({ data }: { data: TriagePanelView | null | undefined }) {
  const { t } = useTranslation()
  if (!data) return null
  const here = `/needs-lists/${data.listId}`
  const triage = data.canReject || data.routeTargets !== null
  return (
    <>
      {triage ? (
        <section className="card" aria-labelledby="triage-heading">
          <h2 id="triage-heading">{t('triage.heading')}</h2>
          <TriageNotice />
          <div className="triage-forms">
            {data.canReject ? (
              <details>
                <summary>{t('triage.reject')}</summary>
                <RejectForm listId={data.listId} version={data.version} redirectTo={here} />
              </details>
            ) : null}
            {data.routeTargets ? (
              <details>
                <summary>{t('triage.route')}</summary>
                <RouteForm
                  listId={data.listId}
                  version={data.version}
                  targets={data.routeTargets}
                  redirectTo={here}
                />
              </details>
            ) : null}
          </div>
        </section>
      ) : null}
      <section className="card" id="steward" aria-labelledby="steward-heading">
        <h2 id="steward-heading">{t('steward.dedicated')}</h2>
        {triage ? null : <TriageNotice />}
        <p>
          {data.steward.current
            ? t('steward.currentIs', { name: data.steward.current.name })
            : t('steward.none')}{' '}
          <Link to={`/enterprises/${data.enterpriseId}/steward`}>{t('steward.manage')}</Link>
        </p>
        {data.steward.ranked ? (
          <StewardRecommendations
            enterpriseId={data.enterpriseId}
            ranked={data.steward.ranked}
            currentStewardId={data.steward.current?.id ?? null}
            caseId={data.listId}
            version={data.version}
            redirectTo={here}
          />
        ) : null}
      </section>
    </>
  )
}
