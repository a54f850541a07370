import {
  getCollectionProps,
  getFieldsetProps,
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
import { z } from 'zod'
// The skill picker's, date inputs' and visually-hidden styles.
import '#app/styles/taxonomy.css'
import { type CategoryOption, categoryLabel, type SkillDomainOption } from '#app/utils/taxonomy.ts'
import {
  type ConfirmationDocument,
  checkDocument,
  documentFields,
  nextKey,
} from '#workflows/confirmation.ts'
import { URGENCIES, WORK_MODES } from '#workflows/needs-list.schema.ts'
import type { FiledLabel } from './confirmation-view.tsx'
import { CsrfInput } from './csrf-input.tsx'
import { FieldError } from './field-error.tsx'
import { SkillPicker } from './skill-picker.tsx'

export const EDITOR_FORM_ID = 'confirmed-items'

/** The steward's form as posted: the document, the version it was rendered with, and save or propose. */
export function editorSchema(filedIds: readonly number[]) {
  return documentFields
    .extend({
      version: z.number({ error: 'errors.badRequest' }).int().positive(),
      intent: z.enum(['save', 'propose'], { error: 'errors.badRequest' }),
    })
    .superRefine(checkDocument(filedIds))
}

interface FormItem {
  key: string
  sourceItemIds: string[]
  category: string
  title: string
  description: string
  urgency: string
  headcount: string
  skillIds: string[]
  windowStart: string
  windowEnd: string
  mode: string
  place: string
  expectedOutcome: string
}

export type EditorValue = {
  version: string
  items: FormItem[]
  dropped: { sourceItemId: string; reason: string }[]
}

type EditorOutput = z.output<ReturnType<typeof editorSchema>>

/** Split and merge must work on an unfinished form: the browser lets them through unchecked. */
const unchecked = z.custom<EditorOutput>(() => true)

/** The document as form values: strings, one dropped entry per filed item (reason may be blank). */
export function editorDefaults(
  document: ConfirmationDocument,
  filed: readonly FiledLabel[],
  version: number,
): EditorValue {
  return {
    version: String(version),
    items: document.items.map(
      (i): FormItem => ({
        key: i.key,
        sourceItemIds: i.sourceItemIds.map(String),
        category: i.category,
        title: i.title,
        description: i.description,
        urgency: i.urgency,
        headcount: String(i.headcount),
        skillIds: i.skillIds.map(String),
        windowStart: i.windowStart ?? '',
        windowEnd: i.windowEnd ?? '',
        mode: i.mode,
        place: i.place ?? '',
        expectedOutcome: i.expectedOutcome ?? '',
      }),
    ),
    dropped: filed.map((f) => ({
      sourceItemId: String(f.id),
      reason: document.dropped.find((d) => d.sourceItemId === f.id)?.reason ?? '',
    })),
  }
}

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : []

/**
 * The confirmed items as a Conform list. Edit, add and remove work in the
 * browser with JavaScript and as a round trip without; split and merge are
 * always a round trip (buttons named `op`), done by the route's action.
 */
export function ConfirmedItemsForm({
  lastResult,
  defaultValue,
  filed,
  categories,
  domains,
  keySeed,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaultValue: EditorValue
  filed: readonly FiledLabel[]
  categories: readonly CategoryOption[]
  domains: readonly SkillDomainOption[]
  keySeed: number
}) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const filedIds = filed.map((f) => f.id)
  const [form, fields] = useForm({
    id: EDITOR_FORM_ID,
    lastResult,
    defaultValue,
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: formData.has('op') ? unchecked : editorSchema(filedIds),
      }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const items = fields.items.getFieldList()
  const dropped = fields.dropped.getFieldList()
  const keys = items.map((item) => {
    const f = item.getFieldset()
    return f.key.value ?? f.key.initialValue
  })
  const newKey = nextKey(keys, keySeed)
  // Which confirmed items each filed item is carried into, from the current values.
  const coverage = new Map<string, number[]>()
  items.forEach((item, index) => {
    const f = item.getFieldset()
    // `value` starts as the initial value and follows every change (none ticked: undefined).
    for (const id of asList(f.sourceItemIds.value)) {
      coverage.set(id, [...(coverage.get(id) ?? []), index + 1])
    }
  })
  const formError = form.errors?.[0] ?? fields.dropped.errors?.[0] ?? fields.items.errors?.[0]
  return (
    <Form method="post" {...getFormProps(form)} className="confirmation-editor">
      <CsrfInput />
      {/* Enter in a field saves (the first submit button), never splits or removes. */}
      <button
        type="submit"
        name="intent"
        value="save"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
      >
        {t('confirmation.editor.save')}
      </button>
      <input {...getInputProps(fields.version, { type: 'hidden' })} />
      {formError ? (
        <p className="form-error" role="alert" id={form.errorId}>
          {t(formError)}
        </p>
      ) : null}

      {items.map((item, index) => {
        const f = item.getFieldset()
        const key = String(keys[index] ?? '')
        const category = String(f.category.value ?? f.category.initialValue ?? '')
        const offered = categories.filter((c) => c.active || c.code === category)
        return (
          <fieldset key={item.key} {...getFieldsetProps(item)} className="card need-item">
            <legend>
              {t('confirmation.editor.item', { n: index + 1 })} <span className="muted">{key}</span>
            </legend>
            <input {...getInputProps(f.key, { type: 'hidden' })} />
            <FieldError errors={f.key.errors} id={f.key.errorId} />
            <div className="field">
              <label htmlFor={f.title.id}>{t('confirmation.field.title')}</label>
              <input {...getInputProps(f.title, { type: 'text' })} maxLength={80} />
              <FieldError errors={f.title.errors} id={f.title.errorId} />
            </div>
            <div className="item-grid">
              <div className="field">
                <label htmlFor={f.category.id}>{t('confirmation.field.category')}</label>
                <select {...getSelectProps(f.category)}>
                  <option value="">{t('confirmation.editor.chooseCategory')}</option>
                  {offered.map((c) => (
                    <option key={c.code} value={c.code}>
                      {categoryLabel(categories, c.code, t, lng)}
                    </option>
                  ))}
                  {category && !offered.some((c) => c.code === category) ? (
                    <option value={category}>{categoryLabel(categories, category, t, lng)}</option>
                  ) : null}
                </select>
                <FieldError errors={f.category.errors} id={f.category.errorId} />
              </div>
              <div className="field">
                <label htmlFor={f.urgency.id}>{t('confirmation.field.urgency')}</label>
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
                <label htmlFor={f.headcount.id}>{t('confirmation.field.headcount')}</label>
                <input
                  {...getInputProps(f.headcount, { type: 'number' })}
                  min={1}
                  max={50}
                  step={1}
                />
                <FieldError errors={f.headcount.errors} id={f.headcount.errorId} />
              </div>
              <div className="field">
                <label htmlFor={f.mode.id}>{t('confirmation.field.mode')}</label>
                <select {...getSelectProps(f.mode)}>
                  {WORK_MODES.map((m) => (
                    <option key={m} value={m}>
                      {t(`confirmation.mode.${m}`)}
                    </option>
                  ))}
                </select>
                <FieldError errors={f.mode.errors} id={f.mode.errorId} />
              </div>
              <div className="field">
                <label htmlFor={f.windowStart.id}>{t('confirmation.field.windowStart')}</label>
                <input {...getInputProps(f.windowStart, { type: 'date' })} />
                <FieldError errors={f.windowStart.errors} id={f.windowStart.errorId} />
              </div>
              <div className="field">
                <label htmlFor={f.windowEnd.id}>{t('confirmation.field.windowEnd')}</label>
                <input {...getInputProps(f.windowEnd, { type: 'date' })} />
                <FieldError errors={f.windowEnd.errors} id={f.windowEnd.errorId} />
              </div>
            </div>
            <div className="field">
              <label htmlFor={f.place.id}>{t('confirmation.field.place')}</label>
              <input {...getInputProps(f.place, { type: 'text' })} maxLength={200} />
              <FieldError errors={f.place.errors} id={f.place.errorId} />
            </div>
            <div className="field">
              <label htmlFor={f.description.id}>{t('confirmation.field.description')}</label>
              <textarea {...getTextareaProps(f.description)} rows={3} />
              <FieldError errors={f.description.errors} id={f.description.errorId} />
            </div>
            <div className="field">
              <label htmlFor={f.expectedOutcome.id}>
                {t('confirmation.field.expectedOutcome')}
              </label>
              <textarea {...getTextareaProps(f.expectedOutcome)} rows={2} />
              <FieldError errors={f.expectedOutcome.errors} id={f.expectedOutcome.errorId} />
            </div>
            <SkillPicker
              key={`${item.key}-skills`}
              name={f.skillIds.name}
              domains={domains}
              defaultValue={asList(f.skillIds.initialValue)}
              errorId={f.skillIds.errorId}
              invalid={Boolean(f.skillIds.errors?.length)}
            />
            <FieldError errors={f.skillIds.errors} id={f.skillIds.errorId} />
            <fieldset className="sources">
              <legend>{t('confirmation.editor.sources')}</legend>
              <p className="muted">{t('confirmation.editor.sourcesHint')}</p>
              {getCollectionProps(f.sourceItemIds, {
                type: 'checkbox',
                options: filed.map((x) => String(x.id)),
              }).map((props) => {
                const source = filed.find((x) => String(x.id) === props.value)
                return (
                  <label key={props.key} htmlFor={props.id} className="checkbox">
                    <input {...props} key={props.key} /> #{source?.n} {source?.title}
                  </label>
                )
              })}
              <FieldError errors={f.sourceItemIds.errors} id={f.sourceItemIds.errorId} />
            </fieldset>
            <div className="actions">
              <button
                type="submit"
                name="op"
                value={`split:${index}`}
                formNoValidate
                className="secondary"
              >
                {t('confirmation.editor.splitItem')}
              </button>
              <label className="checkbox">
                <input type="checkbox" name="mergeKeys" value={key} />{' '}
                {t('confirmation.editor.mergeSelect')}
              </label>
              <button
                {...form.remove.getButtonProps({ name: fields.items.name, index })}
                className="secondary"
              >
                {t('confirmation.editor.removeItem')}
              </button>
            </div>
          </fieldset>
        )
      })}

      <div className="actions">
        <button
          {...form.insert.getButtonProps({
            name: fields.items.name,
            defaultValue: {
              key: newKey,
              category: '',
              title: '',
              description: '',
              urgency: 'normal',
              headcount: '1',
              mode: 'onsite',
              skillIds: [],
              sourceItemIds: [],
            },
          })}
          className="secondary"
        >
          {t('confirmation.editor.addItem')}
        </button>
        <button type="submit" name="op" value="merge" formNoValidate className="secondary">
          {t('confirmation.editor.merge')}
        </button>
      </div>
      <p className="muted">{t('confirmation.editor.mergeHint')}</p>

      <section className="filed-items">
        <h2>{t('confirmation.editor.filedHeading')}</h2>
        <p className="muted">{t('confirmation.editor.filedIntro')}</p>
        {filed.map((source, j) => {
          const d = dropped[j]?.getFieldset()
          const carried = coverage.get(String(source.id)) ?? []
          const reasonId = `${form.id}-dropped-${j}-reason`
          return (
            <div key={source.id} className="card filed-item">
              <strong>
                #{source.n} {source.title}
              </strong>
              <p className="pre-wrap muted">{source.description}</p>
              <p>
                {carried.length > 0
                  ? t('confirmation.editor.coveredBy', {
                      items: carried.map((n) => `#${n}`).join('、'),
                    })
                  : t('confirmation.editor.notCovered')}
              </p>
              <input type="hidden" name={`dropped[${j}].sourceItemId`} value={source.id} />
              <div className="field">
                <label htmlFor={d?.reason.id ?? reasonId}>
                  {t('confirmation.editor.dropReason')}
                </label>
                {d ? (
                  <textarea
                    {...getTextareaProps(d.reason, { ariaDescribedBy: `${d.reason.id}-hint` })}
                    rows={2}
                  />
                ) : (
                  <textarea id={reasonId} name={`dropped[${j}].reason`} rows={2} />
                )}
                <p className="muted" id={`${d?.reason.id ?? reasonId}-hint`}>
                  {t('confirmation.editor.dropReasonHint')}
                </p>
                <FieldError errors={d?.reason.errors} id={d?.reason.errorId} />
              </div>
            </div>
          )
        })}
      </section>

      <div className="actions">
        <button type="submit" name="intent" value="save" className="secondary">
          {t('confirmation.editor.save')}
        </button>
        <button type="submit" name="intent" value="propose">
          {t('confirmation.editor.propose')}
        </button>
        <span className="muted">{t('confirmation.editor.proposeHint')}</span>
      </div>
    </Form>
  )
}
