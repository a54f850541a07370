import { sql } from 'kysely'
import type { Db, DbOrTrx } from '../client.server.ts'
import { insertMissingTemplates } from '../queries/checklist-templates.ts'
import { REFERENCE_CATEGORIES } from './categories.ts'
import { REFERENCE_TEMPLATES } from './checklist-templates.ts'
import { type ReferenceSkill, referenceSkills } from './skills.ts'

export interface SyncResult {
  categories: number
  skills: number
}

/**
 * Inserts the reference rows (need categories, skills taxonomy) that are
 * missing, matched by code. Existing rows are never updated, so an admin's
 * renames, reordering and deactivations survive every start. Safe to run from
 * several processes at once (one transaction under an advisory lock).
 */
export async function syncReferenceData(db: Db): Promise<SyncResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('zhuqi.reference-data'))`.execute(trx)
    const categories = await syncCategories(trx)
    const skills = await syncSkills(trx, referenceSkills())
    // Checklist templates: missing codes only; an admin's edits are never overwritten.
    await insertMissingTemplates(trx, REFERENCE_TEMPLATES)
    return { categories, skills }
  })
}

async function syncCategories(trx: DbOrTrx): Promise<number> {
  const inserted = await trx
    .insertInto('need_category')
    .values(
      REFERENCE_CATEGORIES.map((c) => ({
        code: c.code,
        name_zh: c.nameZh,
        name_en: c.nameEn,
        position: c.position,
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .execute()
  return inserted.length
}

/**
 * Level by level so every parent exists before its children. A new row's
 * path holds its own id (like union_org.path: '/1/4/9/'), which is only known
 * after the insert, so rows go in with a unique placeholder path first.
 */
async function syncSkills(trx: DbOrTrx, rows: ReferenceSkill[]): Promise<number> {
  const existing = await trx.selectFrom('skill').select(['id', 'code', 'path']).execute()
  const byCode = new Map(existing.map((r) => [r.code, r]))
  let count = 0
  for (const level of ['domain', 'field', 'skill'] as const) {
    const missing = rows.filter((r) => r.level === level && !byCode.has(r.code))
    if (missing.length === 0) continue
    const values = missing.map((r) => {
      const parent = r.parentCode === null ? null : byCode.get(r.parentCode)
      if (r.parentCode !== null && !parent) {
        throw new Error(`skill ${r.code}: parent ${r.parentCode} is missing`)
      }
      return {
        parent_id: parent?.id ?? null,
        level: r.level,
        code: r.code,
        name_zh: r.nameZh,
        name_en: r.nameEn,
        path: `~pending:${r.code}`,
        position: r.position,
      }
    })
    const inserted = await trx
      .insertInto('skill')
      .values(values)
      .onConflict((oc) => oc.column('code').doNothing())
      .returning(['id'])
      .execute()
    if (inserted.length === 0) continue
    // Parents are final by now, so one statement finishes this level's paths.
    await sql`
      update skill c
         set path = coalesce(p.path, '/') || c.id::text || '/'
        from skill c2
        left join skill p on p.id = c2.parent_id
       where c.id = c2.id and c.path like '~pending:%'
    `.execute(trx)
    const done = await trx
      .selectFrom('skill')
      .select(['id', 'code', 'path'])
      .where(
        'id',
        'in',
        inserted.map((r) => r.id),
      )
      .execute()
    for (const row of done) byCode.set(row.code, row)
    count += inserted.length
  }
  return count
}
