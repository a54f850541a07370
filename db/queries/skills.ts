import type { DbOrTrx } from '../client.server.ts'

/** The whole skills taxonomy (domain → field → skill), parents before children. */
export function skillTree(db: DbOrTrx) {
  return db
    .selectFrom('skill')
    .select(['id', 'parent_id', 'level', 'code', 'name_zh', 'name_en', 'path'])
    .orderBy('path')
    .execute()
}

export function skillsByIds(db: DbOrTrx, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .selectFrom('skill')
    .select(['id', 'parent_id', 'level', 'code', 'name_zh', 'name_en', 'path'])
    .where('id', 'in', ids)
    .execute()
}
