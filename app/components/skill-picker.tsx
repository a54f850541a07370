import { useEffect, useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { localName, type SkillDomainOption, type SkillOption } from '#app/utils/taxonomy.ts'

function matches(skill: SkillOption, query: string): boolean {
  if (!query) return true
  const q = query.toLowerCase()
  return (
    skill.nameZh.toLowerCase().includes(q) ||
    skill.nameEn.toLowerCase().includes(q) ||
    skill.code.toLowerCase().includes(q)
  )
}

/**
 * Required skills as a checkbox tree (domain → field → skill) that posts
 * `name` once per ticked skill, so it works without JavaScript. With
 * JavaScript a filter box narrows the tree; filtered-out boxes are hidden,
 * never unmounted, so what was ticked is still posted.
 */
export function SkillPicker({
  name,
  domains,
  defaultValue,
  errorId,
  invalid,
}: {
  name: string
  domains: readonly SkillDomainOption[]
  defaultValue: readonly string[]
  errorId?: string
  invalid?: boolean
}) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const id = useId()
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  const [query, setQuery] = useState('')
  const [checked, setChecked] = useState(() => new Set(defaultValue))
  const initial = useMemo(() => new Set(defaultValue), [defaultValue])
  const q = query.trim()

  const names = domains
    .flatMap((d) => d.fields.flatMap((f) => f.skills))
    .filter((s) => checked.has(String(s.id)))
    .map((s) => localName(s, lng))

  return (
    <fieldset
      className="skill-picker"
      aria-describedby={errorId}
      aria-invalid={invalid || undefined}
    >
      <legend>{t('taxonomy.item.skills')}</legend>
      <p className="muted">{t('taxonomy.item.skillsHint')}</p>
      <p className="skill-summary" aria-live="polite">
        {names.length
          ? t('taxonomy.item.selected', { names: names.join(lng.startsWith('en') ? ', ' : '、') })
          : t('taxonomy.item.noneSelected')}
      </p>
      {hydrated ? (
        <div className="field skill-filter">
          <label htmlFor={`${id}-filter`}>{t('taxonomy.item.filter')}</label>
          <input
            id={`${id}-filter`}
            type="search"
            value={query}
            placeholder={t('taxonomy.item.filterPlaceholder')}
            onChange={(e) => setQuery(e.target.value)}
            // Enter in the filter must not submit the whole form.
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.preventDefault()
            }}
          />
        </div>
      ) : null}
      {domains.map((domain) => {
        const domainSkills = domain.fields.flatMap((f) => f.skills)
        const visible = domainSkills.some((s) => matches(s, q))
        const count = domainSkills.filter((s) => checked.has(String(s.id))).length
        const startsOpen = domainSkills.some((s) => initial.has(String(s.id)))
        return (
          <details
            key={domain.id}
            className="skill-domain"
            open={q ? visible : startsOpen}
            hidden={!visible}
          >
            <summary>
              {localName(domain, lng)}
              {count > 0 ? (
                <span className="badge">{t('taxonomy.item.selectedCount', { count })}</span>
              ) : null}
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
                    <input
                      type="checkbox"
                      name={name}
                      value={skill.id}
                      defaultChecked={initial.has(String(skill.id))}
                      onChange={(e) => {
                        const value = String(skill.id)
                        const on = e.currentTarget.checked
                        setChecked((prev) => {
                          const next = new Set(prev)
                          if (on) next.add(value)
                          else next.delete(value)
                          return next
                        })
                      }}
                    />{' '}
                    {localName(skill, lng)}
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
