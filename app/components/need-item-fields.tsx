import {
  type FieldMetadata,
  getInputProps,
  getSelectProps,
  getTextareaProps,
} from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { type CategoryOption, categoryLabel, type SkillDomainOption } from '#app/utils/taxonomy.ts'
import { URGENCIES, WORK_MODES } from '#workflows/needs-list.schema.ts'
import { FieldError } from './field-error.tsx'
import { SkillPicker } from './skill-picker.tsx'
import '#app/styles/taxonomy.css'

type ItemField =
  | 'category'
  | 'title'
  | 'description'
  | 'urgency'
  | 'headcount'
  | 'skillIds'
  | 'windowStart'
  | 'windowEnd'
  | 'mode'
  | 'place'
  | 'expectedOutcome'

/** The Conform fieldset of one need item (filed or confirmed). */
export type NeedItemFieldset = {
  [K in ItemField]: FieldMetadata<unknown, Record<string, unknown>, string[]>
}

/** A form value that may be one string, several, or nothing, as a list (blank dropped). */
export const asList = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string' && value !== ''
      ? [value]
      : []

/**
 * The inputs of one need item, the same whether the enterprise files it or the
 * steward confirms it: category, urgency, headcount, title, description,
 * skills, time window, mode, place and expected outcome.
 */
export function NeedItemFields({
  f,
  categories,
  domains,
}: {
  f: NeedItemFieldset
  categories: readonly CategoryOption[]
  domains: readonly SkillDomainOption[]
}) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const category = String(f.category.value ?? f.category.initialValue ?? '')
  // Active categories, plus an inactive one this item already has.
  const offered = categories.filter((c) => c.active || c.code === category)
  return (
    <>
      <div className="item-grid">
        <div className="field">
          <label htmlFor={f.category.id}>{t('needsList.category')}</label>
          <select {...getSelectProps(f.category)}>
            <option value="">{t('needsList.chooseCategory')}</option>
            {offered.map((c) => (
              <option key={c.code} value={c.code}>
                {categoryLabel(categories, c.code, t, lng)}
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
          <input {...getInputProps(f.headcount, { type: 'number' })} min={1} max={50} step={1} />
          <FieldError errors={f.headcount.errors} id={f.headcount.errorId} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={f.title.id}>{t('taxonomy.item.title')}</label>
        <input
          {...getInputProps(f.title, { type: 'text' })}
          maxLength={80}
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
        domains={domains}
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
          maxLength={200}
          placeholder={t('taxonomy.item.placePlaceholder')}
        />
        <FieldError errors={f.place.errors} id={f.place.errorId} />
      </div>
      <div className="field">
        <label htmlFor={f.expectedOutcome.id}>{t('taxonomy.item.expectedOutcome')}</label>
        <textarea {...getTextareaProps(f.expectedOutcome)} rows={2} />
        <FieldError errors={f.expectedOutcome.errors} id={f.expectedOutcome.errorId} />
      </div>
    </>
  )
}
