import type { DbOrTrx } from '../client.server.ts'

/** The whole skills taxonomy (domain → field → skill), parents before children. */
export function skillTree(db: DbOrTrx) {
  return db
    .selectFrom('skill')
    .select(['id', 'parent_id', 'level', 'code', 'name_zh', 'name_en', 'path', 'position'])
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

/** Ids of skills by their stable codes (seed data, imports). */
export async function skillIdsByCodes(db: DbOrTrx, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map()
  const rows = await db
    .selectFrom('skill')
    .select(['id', 'code'])
    .where('code', 'in', codes)
    .execute()
  return new Map(rows.map((r) => [r.code, r.id]))
}
