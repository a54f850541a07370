import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { BENEFIT_STATUSES, OUTCOME_RESULTS } from '#workflows/outcomes/aggregate.ts'
import { outcomeSchema } from '#workflows/outcomes/outcome.schema.ts'
import { CsrfInput } from './csrf-input.tsx'
import { FieldError } from './field-error.tsx'
import type { OutcomeShown } from './outcome-details.tsx'

/** The steward's form for one item's outcome; works without JavaScript. */
export function OutcomeForm({
  action,
  itemId,
  version,
  outcome,
  lastResult,
}: {
  action: string
  itemId: number
  version: number
  outcome: OutcomeShown | null
  lastResult?: SubmissionResult<string[]>
}) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: `outcome-${itemId}`,
    lastResult,
    defaultValue: {
      itemId: String(itemId),
      result: outcome?.result ?? '',
      description: outcome?.description ?? '',
      benefitYuan: outcome?.benefitYuan ?? '',
      benefitStatus: outcome?.benefitStatus ?? '',
      benefitBasis: outcome?.benefitBasis ?? '',
      workersTrained: String(outcome?.workersTrained ?? 0),
      personTimes: String(outcome?.personTimes ?? 0),
      patents: String(outcome?.patents ?? 0),
      innovations: String(outcome?.innovations ?? 0),
      followUpNeeded: outcome?.followUpNeeded ? 'on' : '',
      followUpNote: outcome?.followUpNote ?? '',
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: outcomeSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const formError = form.errors?.[0]
  const number = (name: 'workersTrained' | 'personTimes' | 'patents' | 'innovations') => (
    <div className="field">
      <label htmlFor={fields[name].id}>{t(`outcomes.field.${name}`)}</label>
      <input
        {...getInputProps(fields[name], { type: 'number' })}
        min={0}
        step={1}
        inputMode="numeric"
      />
      <FieldError errors={fields[name].errors} id={fields[name].errorId} />
    </div>
  )
  return (
    <Form method="post" action={action} {...getFormProps(form)} className="outcome-form">
      <CsrfInput />
      <input type="hidden" name="intent" value="record" />
      <input type="hidden" name="version" value={version} />
      <input {...getInputProps(fields.itemId, { type: 'hidden' })} />
      {formError ? (
        <p className="form-error" role="alert">
          {t(formError)}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={fields.result.id}>{t('outcomes.field.result')}</label>
        <select {...getSelectProps(fields.result)}>
          <option value="">—</option>
          {OUTCOME_RESULTS.map((r) => (
            <option key={r} value={r}>
              {t(`outcomes.result.${r}`)}
            </option>
          ))}
        </select>
        <FieldError errors={fields.result.errors} id={fields.result.errorId} />
      </div>
      <div className="field">
        <label htmlFor={fields.description.id}>{t('outcomes.field.description')}</label>
        <textarea
          {...getTextareaProps(fields.description, {
            ariaDescribedBy: fields.description.descriptionId,
          })}
          rows={3}
        />
        <p className="muted" id={fields.description.descriptionId}>
          {t('outcomes.hint.description')}
        </p>
        <FieldError errors={fields.description.errors} id={fields.description.errorId} />
      </div>
      <div className="field">
        <label htmlFor={fields.benefitYuan.id}>{t('outcomes.field.benefitYuan')}</label>
        <input
          {...getInputProps(fields.benefitYuan, {
            type: 'text',
            ariaDescribedBy: fields.benefitYuan.descriptionId,
          })}
          inputMode="decimal"
        />
        <p className="muted" id={fields.benefitYuan.descriptionId}>
          {t('outcomes.hint.benefitYuan')}
        </p>
        <FieldError errors={fields.benefitYuan.errors} id={fields.benefitYuan.errorId} />
      </div>
      <div className="field">
        <label htmlFor={fields.benefitStatus.id}>{t('outcomes.field.benefitStatus')}</label>
        <select {...getSelectProps(fields.benefitStatus)}>
          <option value="">—</option>
          {BENEFIT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`outcomes.benefitStatus.${s}`)}
            </option>
          ))}
        </select>
        <FieldError errors={fields.benefitStatus.errors} id={fields.benefitStatus.errorId} />
      </div>
      <div className="field">
        <label htmlFor={fields.benefitBasis.id}>{t('outcomes.field.benefitBasis')}</label>
        <textarea {...getTextareaProps(fields.benefitBasis)} rows={2} />
        <FieldError errors={fields.benefitBasis.errors} id={fields.benefitBasis.errorId} />
      </div>
      {number('workersTrained')}
      <div className="field">
        <label htmlFor={fields.personTimes.id}>{t('outcomes.field.personTimes')}</label>
        <input
          {...getInputProps(fields.personTimes, {
            type: 'number',
            ariaDescribedBy: fields.personTimes.descriptionId,
          })}
          min={0}
          step={1}
          inputMode="numeric"
        />
        <p className="muted" id={fields.personTimes.descriptionId}>
          {t('outcomes.hint.personTimes')}
        </p>
        <FieldError errors={fields.personTimes.errors} id={fields.personTimes.errorId} />
      </div>
      {number('patents')}
      {number('innovations')}
      <div className="field">
        <label className="checkbox" htmlFor={fields.followUpNeeded.id}>
          <input {...getInputProps(fields.followUpNeeded, { type: 'checkbox' })} />
          {t('outcomes.field.followUpNeeded')}
        </label>
      </div>
      <div className="field">
        <label htmlFor={fields.followUpNote.id}>{t('outcomes.field.followUpNote')}</label>
        <textarea {...getTextareaProps(fields.followUpNote)} rows={2} />
        <FieldError errors={fields.followUpNote.errors} id={fields.followUpNote.errorId} />
      </div>
      <button type="submit">{outcome ? t('outcomes.edit') : t('outcomes.save')}</button>
    </Form>
  )
}
