import type { DbOrTrx } from '#db/client.server.ts'
import { needCategories } from '#db/queries/categories.ts'
import { skillTree } from '#db/queries/skills.ts'
import type { CategoryOption, SkillDomainOption, SkillFieldOption } from './taxonomy.ts'

/** All categories (inactive ones too: old items still show their label). */
export async function categoryOptions(db: DbOrTrx): Promise<CategoryOption[]> {
  const rows = await needCategories(db, { includeInactive: true })
  return rows.map((c) => ({ code: c.code, nameZh: c.name_zh, nameEn: c.name_en, active: c.active }))
}

/** The skills taxonomy as a tree, each level in its configured order. */
export async function skillDomains(db: DbOrTrx): Promise<SkillDomainOption[]> {
  const rows = await skillTree(db)
  const byPosition = <T extends { position: number; code: string }>(a: T, b: T) =>
    a.position - b.position || a.code.localeCompare(b.code)
  const node = (r: (typeof rows)[number]) => ({
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    position: r.position,
  })
  const domains = rows
    .filter((r) => r.level === 'domain')
    .map(node)
    .sort(byPosition)
  const fields = rows.filter((r) => r.level === 'field')
  const skills = rows.filter((r) => r.level === 'skill')
  return domains.map(({ position: _p, ...d }) => ({
    ...d,
    fields: fields
      .filter((f) => f.parent_id === d.id)
      .map(node)
      .sort(byPosition)
      .map(
        ({ position: _fp, ...f }): SkillFieldOption => ({
          ...f,
          skills: skills
            .filter((s) => s.parent_id === f.id)
            .map(node)
            .sort(byPosition)
            .map(({ position: _sp, ...s }) => s),
        }),
      ),
  }))
}

/** What the needs-list form offers: categories and the skills tree. */
export async function needItemFormOptions(db: DbOrTrx) {
  const [categories, domains] = await Promise.all([categoryOptions(db), skillDomains(db)])
  return { categories, domains }
}
