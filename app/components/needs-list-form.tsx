import {
  getFieldsetProps,
  getFormProps,
  getInputProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import type { CategoryOption, SkillDomainOption } from '#app/utils/taxonomy.ts'
import { needsListSchema } from '#workflows/needs-list.schema.ts'
import { CsrfInput } from './csrf-input.tsx'
import { FieldError } from './field-error.tsx'
import { NeedItemFields, type NeedItemFieldset } from './need-item-fields.tsx'
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
  const { t } = useTranslation()
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
        return (
          <fieldset key={item.key} {...getFieldsetProps(item)} className="card need-item">
            <legend>{t('needsList.item', { n: index + 1 })}</legend>
            <NeedItemFields
              f={f as unknown as NeedItemFieldset}
              categories={options.categories}
              domains={options.domains}
            />
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
