import type { Db } from '#db/client.server.ts'
import {
  insertCategory,
  lockCategories,
  needCategories,
  updateCategory,
} from '#db/queries/categories.ts'
import { hasRole, type Principal } from '../access.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'

/**
 * The need categories are one programme-wide table; federation admins keep
 * it. Codes are permanent (need items store them), so a category is
 * deactivated, never deleted.
 */
function requireCategoryAdmin(principal: Principal) {
  if (!hasRole(principal, 'federation_admin')) {
    throw new ForbiddenError('only a federation admin manages need categories')
  }
}

export async function categoriesForAdmin(db: Db, principal: Principal) {
  requireCategoryAdmin(principal)
  return needCategories(db, { includeInactive: true })
}

export async function addCategory(
  db: Db,
  principal: Principal,
  input: { code: string; nameZh: string; nameEn: string },
) {
  requireCategoryAdmin(principal)
  return db.transaction().execute(async (trx) => {
    const all = await lockCategories(trx)
    const last = all.at(-1)?.position ?? 0
    const inserted = await insertCategory(trx, { ...input, position: last + 10 })
    if (!inserted) throw new ValidationError('code', 'taxonomy.errors.codeTaken')
    return inserted.code
  })
}

export async function renameCategory(
  db: Db,
  principal: Principal,
  code: string,
  input: { nameZh: string; nameEn: string },
) {
  requireCategoryAdmin(principal)
  const result = await updateCategory(db, code, input)
  if (Number(result.numUpdatedRows) === 0) throw new NotFoundError('need_category', code)
}

export async function setCategoryActive(
  db: Db,
  principal: Principal,
  code: string,
  active: boolean,
) {
  requireCategoryAdmin(principal)
  return db.transaction().execute(async (trx) => {
    const all = await lockCategories(trx)
    if (!all.some((c) => c.code === code)) throw new NotFoundError('need_category', code)
    if (!active) {
      const activeLeft = (await needCategories(trx)).filter((c) => c.code !== code)
      if (activeLeft.length === 0) {
        throw new ValidationError('code', 'taxonomy.errors.lastActiveCategory')
      }
    }
    await updateCategory(trx, code, { active })
  })
}

/** Moves a category one place up or down; positions are renumbered 10, 20, 30… */
export async function moveCategory(
  db: Db,
  principal: Principal,
  code: string,
  direction: 'up' | 'down',
) {
  requireCategoryAdmin(principal)
  return db.transaction().execute(async (trx) => {
    const order = (await lockCategories(trx)).map((c) => c.code)
    const from = order.indexOf(code)
    if (from < 0) throw new NotFoundError('need_category', code)
    const to = direction === 'up' ? from - 1 : from + 1
    if (to < 0 || to >= order.length) return
    ;[order[from], order[to]] = [order[to] as string, order[from] as string]
    for (const [i, c] of order.entries()) await updateCategory(trx, c, { position: (i + 1) * 10 })
  })
}
