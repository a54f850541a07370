import {
  getFieldsetProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { type CategoryOption, categoryLabel, type SkillDomainOption } from '#app/utils/taxonomy.ts'
import { needsListSchema, URGENCIES, WORK_MODES } from '#workflows/needs-list.schema.ts'
import { CsrfInput } from './csrf-input.tsx'
import { FieldError } from './field-error.tsx'
import { SkillPicker } from './skill-picker.tsx'
import '#app/styles/taxonomy.css'

/**
 * The needs list form as posted: the domain schema plus the workflow version
 * the form was rendered with (edits only).
 */
export const needsListFormSchema = needsListSchema.extend({
  version: z.number({ error: 'errors.badRequest' }).int().positive().optional(),
})

/** Editing needs the version, so a stale form cannot overwrite someone's change. */
export const editNeedsListFormSchema = needsListFormSchema.extend({
  version: z.number({ error: 'errors.badRequest' }).int().positive(),
})

export type NeedItemFormValue = {
  category: string
  title?: string
  description: string
  urgency: string
  headcount: number | string
  skillIds?: string[]
  windowStart?: string
  windowEnd?: string
  mode?: string
  place?: string
  expectedOutcome?: string
}

export type NeedsListFormValue = {
  title: string
  version?: number
  items: NeedItemFormValue[]
}

export const EMPTY_ITEM = {
  category: '',
  title: '',
  description: '',
  urgency: 'normal',
  headcount: '1',
  mode: 'onsite',
}

/** What the form offers: the category table's rows and the skills taxonomy. */
export interface NeedsListFormOptions {
  categories: CategoryOption[]
  domains: SkillDomainOption[]
}

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []

/**
 * Title plus a list of need items. Add/remove are Conform list intents: with
 * JavaScript they happen in the browser, without it they are a round trip to
 * the route's action, which replies with the updated form.
 */
export function NeedsListForm({
  lastResult,
  defaultValue,
  options,
  submitLabel,
  cancelTo,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaultValue: NeedsListFormValue
  options: NeedsListFormOptions
  submitLabel: string
  cancelTo: string
}) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const [form, fields] = useForm({
    id: 'needs-list',
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: needsListFormSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const items = fields.items.getFieldList()
  return (
    <Form method="post" {...getFormProps(form)} className="needs-list-form">
      <CsrfInput />
      {/* Enter in a field submits through the first submit button: make it "save", not "remove". */}
      <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        {submitLabel}
      </button>
      {defaultValue.version !== undefined ? (
        <input {...getInputProps(fields.version, { type: 'hidden' })} />
      ) : null}
      {form.errors?.length ? (
        <p className="form-error" role="alert" id={form.errorId}>
          {t(form.errors[0] ?? '')}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={fields.title.id}>{t('needsList.title')}</label>
        <input {...getInputProps(fields.title, { type: 'text' })} />
        <FieldError errors={fields.title.errors} id={fields.title.errorId} />
      </div>

      <h2>{t('needsList.items')}</h2>
      {items.length === 0 ? <p className="muted">{t('needsList.noItems')}</p> : null}
      <FieldError errors={fields.items.errors} id={fields.items.errorId} />
      {items.map((item, index) => {
        const f = item.getFieldset()
        const category = typeof f.category.value === 'string' ? f.category.value : ''
        // Active categories, plus an inactive one this item already has.
        const categoryChoices = options.categories.filter((c) => c.active || c.code === category)
        return (
          <fieldset key={item.key} {...getFieldsetProps(item)} className="card need-item">
            <legend>{t('needsList.item', { n: index + 1 })}</legend>
            <div className="item-grid">
              <div className="field">
                <label htmlFor={f.category.id}>{t('needsList.category')}</label>
                <select {...getSelectProps(f.category)}>
                  <option value="">{t('needsList.chooseCategory')}</option>
                  {categoryChoices.map((c) => (
                    <option key={c.code} value={c.code}>
                      {categoryLabel(options.categories, c.code, t, lng)}
                    </option>
                  ))}
                </select>
                <FieldError errors={f.category.errors} id={f.category.errorId} />
              </div>
              <div className="field">
                <label htmlFor={f.urgency.id}>{t('needsList.urgency')}</label>
                <select {...getSelectProps(f.urgency)}>
                  {URGENCIES.map((u) => (
                    <option key={u} value={u}>
                      {t(`urgency.${u}`)}
                    </option>
                  ))}
                </select>
                <FieldError errors={f.urgency.errors} id={f.urgency.errorId} />
              </div>
              <div className="field">
                <label htmlFor={f.headcount.id}>{t('needsList.headcount')}</label>
                <input
                  {...getInputProps(f.headcount, { type: 'number' })}
                  min={1}
                  max={50}
                  step={1}
                />
                <FieldError errors={f.headcount.errors} id={f.headcount.errorId} />
              </div>
            </div>
            <div className="field">
              <label htmlFor={f.title.id}>{t('taxonomy.item.title')}</label>
              <input
                {...getInputProps(f.title, { type: 'text' })}
                placeholder={t('taxonomy.item.titlePlaceholder')}
              />
              <FieldError errors={f.title.errors} id={f.title.errorId} />
            </div>
            <div className="field">
              <label htmlFor={f.description.id}>{t('needsList.description')}</label>
              <textarea {...getTextareaProps(f.description)} rows={3} />
              <FieldError errors={f.description.errors} id={f.description.errorId} />
            </div>
            <SkillPicker
              name={f.skillIds.name}
              domains={options.domains}
              defaultValue={asList(f.skillIds.initialValue)}
              errorId={f.skillIds.errors?.length ? f.skillIds.errorId : undefined}
              invalid={Boolean(f.skillIds.errors?.length)}
            />
            <FieldError errors={f.skillIds.errors} id={f.skillIds.errorId} />
            <div className="item-grid">
              <div className="field">
                <label htmlFor={f.windowStart.id}>{t('taxonomy.item.windowStart')}</label>
                <input {...getInputProps(f.windowStart, { type: 'date' })} />
                <FieldError errors={f.windowStart.errors} id={f.windowStart.errorId} />
              </div>
              <div className="field">
                <label htmlFor={f.windowEnd.id}>{t('taxonomy.item.windowEnd')}</label>
                <input {...getInputProps(f.windowEnd, { type: 'date' })} />
                <FieldError errors={f.windowEnd.errors} id={f.windowEnd.errorId} />
              </div>
              <div className="field">
                <label htmlFor={f.mode.id}>{t('taxonomy.item.mode')}</label>
                <select {...getSelectProps(f.mode)}>
                  {WORK_MODES.map((m) => (
                    <option key={m} value={m}>
                      {t(`taxonomy.mode.${m}`)}
                    </option>
                  ))}
                </select>
                <FieldError errors={f.mode.errors} id={f.mode.errorId} />
              </div>
            </div>
            <div className="field">
              <label htmlFor={f.place.id}>{t('taxonomy.item.place')}</label>
              <input
                {...getInputProps(f.place, { type: 'text' })}
                placeholder={t('taxonomy.item.placePlaceholder')}
              />
              <FieldError errors={f.place.errors} id={f.place.errorId} />
            </div>
            <div className="field">
              <label htmlFor={f.expectedOutcome.id}>{t('taxonomy.item.expectedOutcome')}</label>
              <textarea {...getTextareaProps(f.expectedOutcome)} rows={2} />
              <FieldError errors={f.expectedOutcome.errors} id={f.expectedOutcome.errorId} />
            </div>
            <button
              {...form.remove.getButtonProps({ name: fields.items.name, index })}
              className="secondary"
            >
              {t('needsList.removeItem')}
            </button>
          </fieldset>
        )
      })}
      <div className="actions">
        <button
          {...form.insert.getButtonProps({ name: fields.items.name, defaultValue: EMPTY_ITEM })}
          className="secondary"
        >
          {t('needsList.addItem')}
        </button>
      </div>
      <div className="actions">
        <button type="submit">{submitLabel}</button>
        <Link to={cancelTo} className="button secondary">
          {t('needsList.cancel')}
        </Link>
      </div>
    </Form>
  )
}
