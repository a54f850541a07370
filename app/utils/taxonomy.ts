import type { TFunction } from 'i18next'

/** A row with names in both UI languages (need categories, skills). */
export interface Named {
  nameZh: string
  nameEn: string
}

export interface CategoryOption extends Named {
  code: string
  active: boolean
}

export interface SkillOption extends Named {
  id: number
  code: string
}

export interface SkillFieldOption extends SkillOption {
  skills: SkillOption[]
}

export interface SkillDomainOption extends SkillOption {
  fields: SkillFieldOption[]
}

/** The name in the UI language (English for 'en*', Chinese otherwise). */
export function localName(row: Named, language: string | undefined): string {
  return language?.startsWith('en') ? row.nameEn : row.nameZh
}

/**
 * A category's label from the table, in the UI language; the translation
 * keys category.* remain the fallback for a code the table does not have.
 */
export function categoryLabel(
  categories: readonly CategoryOption[],
  code: string,
  t: TFunction,
  language: string | undefined,
): string {
  const row = categories.find((c) => c.code === code)
  if (!row) return t(`category.${code}`, { defaultValue: code })
  const name = localName(row, language)
  return row.active ? name : t('taxonomy.item.inactiveCategory', { name })
}

/** Every skill of the tree by id, with its field and domain, for showing names. */
export function skillIndex(domains: readonly SkillDomainOption[]) {
  const index = new Map<number, { skill: SkillOption; field?: SkillOption; domain: SkillOption }>()
  for (const domain of domains) {
    index.set(domain.id, { skill: domain, domain })
    for (const field of domain.fields) {
      index.set(field.id, { skill: field, domain })
      for (const skill of field.skills) index.set(skill.id, { skill, field, domain })
    }
  }
  return index
}
