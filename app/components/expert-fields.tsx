import {
  type FieldMetadata,
  getCollectionProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
} from '@conform-to/react'
import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { localName, type SkillDomainOption, type SkillOption } from '#app/utils/taxonomy.ts'
import { HONOUR_LEVELS } from '#db/schema.ts'
import { TECHNICAL_GRADES } from '#workflows/talent/grades.ts'
import { HONOUR_TYPES } from '#workflows/talent/honours.ts'
import { EXPERT_STATUSES, GENDERS } from '#workflows/talent/schema.ts'
import { TalentError } from './expert-display.tsx'
import '#app/styles/taxonomy.css'
import '#app/styles/triage.css'

type Field = FieldMetadata<unknown>

const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7']
const LEVELS = ['1', '2', '3', '4', '5'] as const
/** Blank honour rows offered beyond the ones filled in. */
export const BLANK_HONOUR_ROWS = 3
const AUTO = { width: 'auto' } as const

export function TalentTextField({
  field,
  label,
  hint,
  type = 'text',
  inputMode,
  disabled,
}: {
  field: Field
  label: string
  hint?: string
  type?: 'text' | 'email' | 'number'
  inputMode?: 'tel'
  disabled?: boolean
}) {
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <input
        {...getInputProps(field, {
          type,
          ariaDescribedBy: hint ? field.descriptionId : undefined,
        })}
        inputMode={inputMode}
        disabled={disabled}
      />
      {hint ? (
        <p className="muted" id={field.descriptionId}>
          {hint}
        </p>
      ) : null}
      <TalentError errors={field.errors} id={field.errorId} />
    </div>
  )
}

export function TalentTextArea({
  field,
  label,
  hint,
  rows = 2,
}: {
  field: Field
  label: string
  hint?: string
  rows?: number
}) {
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <textarea
        {...getTextareaProps(field, { ariaDescribedBy: hint ? field.descriptionId : undefined })}
        rows={rows}
      />
      {hint ? (
        <p className="muted" id={field.descriptionId}>
          {hint}
        </p>
      ) : null}
      <TalentError errors={field.errors} id={field.errorId} />
    </div>
  )
}

export function ChoiceField({
  field,
  label,
  options,
  blank,
  hint,
}: {
  field: Field
  label: string
  options: { value: string; label: string }[]
  /** The label of an empty first option (none when the field is required). */
  blank?: string
  hint?: string
}) {
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <select
        {...getSelectProps(field, { ariaDescribedBy: hint ? field.descriptionId : undefined })}
      >
        {blank !== undefined ? <option value="">{blank}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p className="muted" id={field.descriptionId}>
          {hint}
        </p>
      ) : null}
      <TalentError errors={field.errors} id={field.errorId} />
    </div>
  )
}

export function WeekdaysField({ field }: { field: Field }) {
  const { t } = useTranslation()
  return (
    <fieldset className="field" aria-describedby={field.descriptionId}>
      <legend>{t('talent.fields.weekdays')}</legend>
      <p className="muted" id={field.descriptionId}>
        {t('talent.hints.weekdays')}
      </p>
      <div className="checkbox-grid">
        {getCollectionProps(field, { type: 'checkbox', options: WEEKDAYS }).map(
          ({ key, ...props }) => (
            <label key={key} className="checkbox">
              <input {...props} /> {t(`talent.weekday.${props.value}`)}
            </label>
          ),
        )}
      </div>
      <TalentError errors={field.errors} id={field.errorId} />
    </fieldset>
  )
}

export function GenderField({ field }: { field: Field }) {
  const { t } = useTranslation()
  return (
    <ChoiceField
      field={field}
      label={t('talent.fields.gender')}
      blank={t('talent.none')}
      options={GENDERS.map((g) => ({ value: g, label: t(`talent.gender.${g}`) }))}
    />
  )
}

export function StatusField({ field, hint }: { field: Field; hint?: string }) {
  const { t } = useTranslation()
  return (
    <ChoiceField
      field={field}
      label={t('talent.fields.status')}
      hint={hint ?? t('talent.hints.status')}
      options={EXPERT_STATUSES.map((s) => ({ value: s, label: t(`talent.status.${s}`) }))}
    />
  )
}

export function GradeField({ field }: { field: Field }) {
  const { t } = useTranslation()
  return (
    <ChoiceField
      field={field}
      label={t('talent.fields.grade')}
      blank={t('talent.none')}
      options={TECHNICAL_GRADES.map((g) => ({ value: g, label: t(`talent.grade.${g}`) }))}
    />
  )
}

type HonourRow = { type?: string; level?: string; year?: string }

/** The honour rows as the form posts them: honours[i].type / .level / .year. */
export function HonoursField({
  formId,
  errors,
  rows,
}: {
  formId: string
  errors: Record<string, string[]>
  rows: HonourRow[]
}) {
  const { t } = useTranslation()
  const errorOf = (name: string) => errors[name]
  return (
    <fieldset className="field">
      <legend>{t('talent.fields.honours')}</legend>
      <p className="muted">{t('talent.hints.honours')}</p>
      <TalentError errors={errorOf('honours')} />
      {rows.map((row, i) => {
        const name = `honours[${i}]`
        const id = `${formId}-honour-${i}`
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions of the posted list
          <div key={i} className="item-grid">
            <div className="field">
              <label htmlFor={`${id}-type`}>
                {t('talent.form.honourRow', { n: i + 1 })} · {t('talent.fields.honourType')}
              </label>
              <select id={`${id}-type`} name={`${name}.type`} defaultValue={row.type ?? ''}>
                <option value="">{t('talent.none')}</option>
                {HONOUR_TYPES.map((code) => (
                  <option key={code} value={code}>
                    {t(`talent.honourType.${code}`)}
                  </option>
                ))}
              </select>
              <TalentError errors={errorOf(`${name}.type`)} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-level`}>{t('talent.fields.honourLevel')}</label>
              <select id={`${id}-level`} name={`${name}.level`} defaultValue={row.level ?? ''}>
                <option value="">{t('talent.choose')}</option>
                {HONOUR_LEVELS.map((code) => (
                  <option key={code} value={code}>
                    {t(`talent.honourLevel.${code}`)}
                  </option>
                ))}
              </select>
              <TalentError errors={errorOf(`${name}.level`)} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-year`}>{t('talent.fields.honourYear')}</label>
              <input
                id={`${id}-year`}
                name={`${name}.year`}
                type="text"
                inputMode="numeric"
                maxLength={4}
                defaultValue={row.year ?? ''}
              />
              <TalentError errors={errorOf(`${name}.year`)} />
            </div>
          </div>
        )
      })}
    </fieldset>
  )
}

function matches(skill: SkillOption, q: string) {
  if (!q) return true
  const needle = q.toLowerCase()
  return (
    skill.nameZh.toLowerCase().includes(needle) ||
    skill.nameEn.toLowerCase().includes(needle) ||
    skill.code.toLowerCase().includes(needle)
  )
}

/**
 * Specialties with proficiency: one select per skill of the taxonomy
 * (posted as skills.s<id>, empty when not held), grouped by domain and
 * field. Works without JavaScript; with it a filter box narrows the tree
 * (hidden selects are still posted).
 */
export function ExpertSkillsField({
  name,
  domains,
  levels,
  errors,
}: {
  name: string
  domains: readonly SkillDomainOption[]
  /** Proficiency held by skill id. */
  levels: Readonly<Record<number, number>>
  errors?: string[]
}) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const id = useId()
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  const [query, setQuery] = useState('')
  const q = query.trim()
  const held = Object.keys(levels).length
  return (
    <fieldset className="skill-picker" aria-invalid={errors?.length ? true : undefined}>
      <legend>{t('talent.fields.skills')}</legend>
      <p className="muted">{t('talent.hints.skills')}</p>
      <p className="skill-summary">{t('talent.form.skillsHeld', { count: held })}</p>
      <TalentError errors={errors} />
      {hydrated ? (
        <div className="field skill-filter">
          <label htmlFor={`${id}-filter`}>{t('talent.form.filterSkills')}</label>
          <input
            id={`${id}-filter`}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.preventDefault()
            }}
          />
        </div>
      ) : null}
      {domains.map((domain) => {
        const skills = domain.fields.flatMap((f) => f.skills)
        const visible = skills.some((s) => matches(s, q))
        const count = skills.filter((s) => levels[s.id] !== undefined).length
        return (
          <details
            key={domain.id}
            className="skill-domain"
            open={q ? visible : count > 0}
            hidden={!visible}
          >
            <summary>
              {localName(domain, lng)}
              {count > 0 ? <span className="badge">{count}</span> : null}
            </summary>
            {domain.fields.map((field) => (
              <fieldset
                key={field.id}
                className="skill-field"
                hidden={!field.skills.some((s) => matches(s, q))}
              >
                <legend>{localName(field, lng)}</legend>
                {field.skills.map((skill) => (
                  <label key={skill.id} className="checkbox" hidden={!matches(skill, q)}>
                    {localName(skill, lng)}{' '}
                    <select
                      name={`${name}.s${skill.id}`}
                      defaultValue={String(levels[skill.id] ?? '')}
                      style={AUTO}
                      aria-label={`${localName(skill, lng)} ${t('talent.fields.proficiency')}`}
                    >
                      <option value="">{t('talent.notHeld')}</option>
                      {LEVELS.map((l) => (
                        <option key={l} value={l}>
                          {t(`talent.proficiency.${l}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                ))}
              </fieldset>
            ))}
          </details>
        )
      })}
    </fieldset>
  )
}

/** Skill levels by id from a form value ({ s12: '4' }) or a profile's skills. */
export function skillLevelsOf(value: unknown): Record<number, number> {
  const out: Record<number, number> = {}
  if (typeof value !== 'object' || value === null) return out
  for (const [key, v] of Object.entries(value)) {
    const m = /^s(\d+)$/.exec(key)
    if (m && typeof v === 'string' && /^[1-5]$/.test(v)) out[Number(m[1])] = Number(v)
  }
  return out
}

/**
 * Honour rows from a form value: a profile's honours padded with blank rows,
 * or (`posted`) the rows as posted, in place, so errors stay on their row.
 */
export function honourRowsOf(value: unknown, posted = false): HonourRow[] {
  const rows: HonourRow[] = Array.isArray(value)
    ? value.map((r) =>
        typeof r === 'object' && r !== null
          ? {
              type: typeof r.type === 'string' ? r.type : undefined,
              level: typeof r.level === 'string' ? r.level : undefined,
              year: typeof r.year === 'string' ? r.year : undefined,
            }
          : {},
      )
    : []
  const filled = posted ? rows : rows.filter((r) => r.type || r.level || r.year)
  const blanks = posted ? (rows.length === 0 ? BLANK_HONOUR_ROWS : 0) : BLANK_HONOUR_ROWS
  return [...filled, ...Array.from({ length: blanks }, () => ({}))]
}
