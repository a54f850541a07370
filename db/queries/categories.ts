import type { DbOrTrx } from '../client.server.ts'

export function needCategories(db: DbOrTrx, options: { includeInactive?: boolean } = {}) {
  let q = db.selectFrom('need_category').selectAll().orderBy('position').orderBy('code')
  if (!options.includeInactive) q = q.where('active', '=', true)
  return q.execute()
}
