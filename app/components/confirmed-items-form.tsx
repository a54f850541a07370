import {
  getCollectionProps,
  getFieldsetProps,
  getFormProps,
  getInputProps,
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
import type { CategoryOption, SkillDomainOption } from '#app/utils/taxonomy.ts'
import {
  type ConfirmationDocument,
  checkDocument,
  documentFields,
  nextKey,
} from '#workflows/confirmation.ts'
import type { FiledLabel } from './confirmation-view.tsx'
import { CsrfInput } from './csrf-input.tsx'
import { FieldError } from './field-error.tsx'
import { asList, NeedItemFields, type NeedItemFieldset } from './need-item-fields.tsx'

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
  const { t } = useTranslation()
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
        return (
          <fieldset key={item.key} {...getFieldsetProps(item)} className="card need-item">
            <legend>
              {t('confirmation.editor.item', { n: index + 1 })} <span className="muted">{key}</span>
            </legend>
            <input {...getInputProps(f.key, { type: 'hidden' })} />
            <FieldError errors={f.key.errors} id={f.key.errorId} />
            <NeedItemFields
              f={f as unknown as NeedItemFieldset}
              categories={categories}
              domains={domains}
            />
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
