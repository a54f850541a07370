import type { DbOrTrx } from '#db/client.server.ts'
import { needCategories } from '#db/queries/categories.ts'
import { skillsByIds } from '#db/queries/skills.ts'
import { ValidationError } from './errors.ts'
import type { NeedItemData } from './needs-list.schema.ts'

/**
 * Checks what the schema cannot: each item's category is an active row of
 * need_category (or one the list already used, so a deactivated category does
 * not block editing an old list), its skills exist, and its window is in
 * order. Errors name the form field, e.g. items[1].category.
 */
export async function validateNeedItems(
  db: DbOrTrx,
  items: readonly NeedItemData[],
  options: { keepCategories?: readonly string[] } = {},
): Promise<void> {
  if (items.length === 0) return
  const active = await needCategories(db)
  const allowed = new Set([...active.map((c) => c.code), ...(options.keepCategories ?? [])])
  const skillIds = [...new Set(items.flatMap((i) => i.skillIds ?? []))]
  const known = new Set((await skillsByIds(db, skillIds)).map((s) => s.id))
  items.forEach((item, index) => {
    if (!allowed.has(item.category)) {
      throw new ValidationError(`items[${index}].category`, 'errors.category')
    }
    if ((item.skillIds ?? []).some((id) => !known.has(id))) {
      throw new ValidationError(`items[${index}].skillIds`, 'taxonomy.errors.unknownSkill')
    }
    if (item.windowStart && item.windowEnd && item.windowStart > item.windowEnd) {
      throw new ValidationError(`items[${index}].windowEnd`, 'errors.windowOrder')
    }
  })
}
