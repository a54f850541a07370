import type { DbOrTrx } from '../client.server.ts'

export function needCategories(db: DbOrTrx, options: { includeInactive?: boolean } = {}) {
  let q = db.selectFrom('need_category').selectAll().orderBy('position').orderBy('code')
  if (!options.includeInactive) q = q.where('active', '=', true)
  return q.execute()
}

export function findCategory(db: DbOrTrx, code: string) {
  return db.selectFrom('need_category').selectAll().where('code', '=', code).executeTakeFirst()
}

export function insertCategory(
  db: DbOrTrx,
  input: { code: string; nameZh: string; nameEn: string; position: number },
) {
  return db
    .insertInto('need_category')
    .values({
      code: input.code,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      position: input.position,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .executeTakeFirst()
}

export function updateCategory(
  db: DbOrTrx,
  code: string,
  patch: { nameZh?: string; nameEn?: string; active?: boolean; position?: number },
) {
  return db
    .updateTable('need_category')
    .set({
      ...(patch.nameZh === undefined ? {} : { name_zh: patch.nameZh }),
      ...(patch.nameEn === undefined ? {} : { name_en: patch.nameEn }),
      ...(patch.active === undefined ? {} : { active: patch.active }),
      ...(patch.position === undefined ? {} : { position: patch.position }),
    })
    .where('code', '=', code)
    .executeTakeFirst()
}

/** Locks the category table's rows for a reordering (all of them: positions are relative). */
export function lockCategories(db: DbOrTrx) {
  return db
    .selectFrom('need_category')
    .select(['code', 'position'])
    .orderBy('position')
    .orderBy('code')
    .forUpdate()
    .execute()
}
