import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { formatDate } from '#app/utils/format.ts'
import { assignReasonSchema, stewardIdSchema } from '#workflows/steward.schema.ts'
import { CsrfInput } from './csrf-input.tsx'
import { FieldError } from './field-error.tsx'
import '#app/styles/triage.css'

/** A ranked candidate as loaders hand it to the page (dates may arrive as strings). */
export interface RankedStewardView {
  userId: number
  name: string
  orgName: string
  rank: number
  score: number
  load: number
  capacity: number
  full: boolean
  assignable: boolean
  reasons: { key: string; params?: Record<string, string | number>; points: number }[]
}

/** The label of a GB/T 4754 section, or the letter while no label is known. */
export function industryLabel(t: TFunction, code: string): string {
  return t(`enterprise.industry.${code}`, { defaultValue: code })
}

/** One ranking reason in the reader's language. */
export function reasonText(
  t: TFunction,
  reason: RankedStewardView['reasons'][number],
  lng: string,
): string {
  const params: Record<string, string | number> = { ...reason.params }
  if (typeof params.industry === 'string') params.industry = industryLabel(t, params.industry)
  if (typeof params.until === 'string') params.until = formatDate(params.until, lng)
  return t(`steward.reason.${reason.key}`, params)
}

/** The assignment form's fields, as the server checks them too. */
export function assignFormSchema(reasonRequired: boolean) {
  return z.object({
    stewardId: stewardIdSchema,
    reason: reasonRequired
      ? z
          .string({ error: 'steward.errors.reasonRequired' })
          .trim()
          .min(2, { error: 'steward.errors.reasonRequired' })
          .max(1000, { error: 'errors.tooLong' })
      : assignReasonSchema,
  })
}

/**
 * The ranked candidates, each with score, load and reasons, as one form: pick
 * one (full stewards cannot be picked), give a reason, assign. Works without
 * JavaScript; posts to the enterprise's steward page.
 */
export function StewardRecommendations({
  enterpriseId,
  ranked,
  currentStewardId,
  caseId,
  version,
  redirectTo,
  lastResult,
}: {
  enterpriseId: number
  ranked: RankedStewardView[]
  currentStewardId: number | null
  caseId?: number
  version?: number
  redirectTo?: string
  lastResult?: SubmissionResult<string[]>
}) {
  const { t, i18n } = useTranslation()
  const reasonRequired = currentStewardId !== null
  const [form, fields] = useForm({
    id: `assign-steward-${enterpriseId}`,
    lastResult,
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: assignFormSchema(reasonRequired) }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  if (ranked.length === 0) return <p className="muted">{t('steward.noCandidates')}</p>
  const firstPick = ranked.find((r) => r.assignable)?.userId
  const formError = form.errors?.[0]
  return (
    <Form
      method="post"
      action={`/enterprises/${enterpriseId}/steward`}
      {...getFormProps(form)}
      className="steward-assign"
    >
      <CsrfInput />
      <input type="hidden" name="intent" value="assign" />
      <input
        type="hidden"
        name="expectedSteward"
        value={currentStewardId === null ? 'none' : String(currentStewardId)}
      />
      {caseId !== undefined ? <input type="hidden" name="caseId" value={caseId} /> : null}
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
      {formError ? (
        <p className="form-error" role="alert">
          {t(formError)}
        </p>
      ) : null}
      <fieldset className="candidates">
        <legend>{t('steward.recommendations')}</legend>
        <p className="muted">{t('steward.recommendationsHint')}</p>
        <ol className="ranked">
          {ranked.map((r) => (
            <li key={r.userId} className={r.assignable ? undefined : 'unavailable'}>
              <label className="candidate">
                <input
                  type="radio"
                  name="stewardId"
                  value={r.userId}
                  defaultChecked={r.userId === firstPick}
                  disabled={!r.assignable}
                />{' '}
                <strong>{r.name}</strong> <span className="muted">{r.orgName}</span>{' '}
                <span className="score">{t('steward.score', { score: r.score })}</span>{' '}
                <span className="muted">
                  {t('steward.loadOf', { load: r.load, capacity: r.capacity })}
                </span>
                {r.full ? (
                  <span className="status status-returned">{t('steward.full')}</span>
                ) : null}
              </label>
              <ul className="reasons">
                {r.reasons.map((reason) => (
                  <li key={reason.key}>
                    {reasonText(t, reason, i18n.language)}
                    {reason.points > 0 ? (
                      <span className="muted">
                        {' '}
                        {t('steward.points', { points: reason.points })}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
        <FieldError errors={fields.stewardId.errors} id={fields.stewardId.errorId} />
      </fieldset>
      <div className="field">
        <label htmlFor={fields.reason.id}>
          {reasonRequired ? t('steward.reassignReason') : t('steward.assignReason')}
        </label>
        <textarea {...getTextareaProps(fields.reason)} rows={2} />
        <FieldError errors={fields.reason.errors} id={fields.reason.errorId} />
      </div>
      <button type="submit">{reasonRequired ? t('steward.reassign') : t('steward.assign')}</button>
    </Form>
  )
}
