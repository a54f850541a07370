import type { DbOrTrx } from '../client.server.ts'

/**
 * Need items of the enterprise's other lists in the given statuses, limited to
 * the given categories (the only ones that can be similar).
 */
export function itemsOfOtherLists(
  db: DbOrTrx,
  input: {
    enterpriseId: number
    excludeListId: number
    statuses: readonly string[]
    categories: string[]
  },
) {
  if (input.categories.length === 0 || input.statuses.length === 0) return Promise.resolve([])
  return db
    .selectFrom('need_item as i')
    .innerJoin('needs_list as l', 'l.id', 'i.needs_list_id')
    .select([
      'i.id',
      'i.category',
      'i.title',
      'i.description',
      'i.position',
      'l.id as listId',
      'l.title as listTitle',
      'l.status as listStatus',
    ])
    .where('l.enterprise_id', '=', input.enterpriseId)
    .where('l.id', '!=', input.excludeListId)
    .where('l.status', 'in', [...input.statuses])
    .where('i.category', 'in', input.categories)
    .orderBy('l.id')
    .orderBy('i.position')
    .execute()
}
