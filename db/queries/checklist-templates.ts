import type { DbOrTrx } from '../client.server.ts'
import type { ReferenceTemplate } from '../reference/checklist-templates.ts'
import type { ChecklistItemKind } from '../schema.ts'

/**
 * Inserts the reference templates whose code is missing, with their lines.
 * Existing templates (matched by code) are never touched, so an admin's edits
 * survive. Returns how many templates were inserted.
 */
export async function insertMissingTemplates(
  trx: DbOrTrx,
  templates: readonly ReferenceTemplate[],
): Promise<number> {
  if (templates.length === 0) return 0
  const inserted = await trx
    .insertInto('checklist_template')
    .values(
      templates.map((t) => ({
        code: t.code,
        name_zh: t.nameZh,
        name_en: t.nameEn,
        description_zh: t.descriptionZh,
        description_en: t.descriptionEn,
        category: t.category,
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .returning(['id', 'code'])
    .execute()
  const lines = inserted.flatMap((row) => {
    const t = templates.find((x) => x.code === row.code)
    return (t?.items ?? []).map((i, n) => ({
      template_id: row.id,
      position: n + 1,
      section_zh: i.sectionZh,
      section_en: i.sectionEn,
      label_zh: i.labelZh,
      label_en: i.labelEn,
      kind: i.kind,
      unit: i.unit ?? null,
      min_value: i.min ?? null,
      max_value: i.max ?? null,
      guidance_zh: i.guidanceZh ?? null,
      guidance_en: i.guidanceEn ?? null,
    }))
  })
  if (lines.length > 0) await trx.insertInto('checklist_template_item').values(lines).execute()
  return inserted.length
}

export function listTemplates(db: DbOrTrx, options: { activeOnly?: boolean } = {}) {
  let q = db
    .selectFrom('checklist_template as t')
    .selectAll('t')
    .select((eb) =>
      eb
        .selectFrom('checklist_template_item as i')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('i.template_id', '=', 't.id')
        .as('itemCount'),
    )
    .orderBy('t.active', 'desc')
    .orderBy('t.id')
  if (options.activeOnly) q = q.where('t.active', '=', true)
  return q.execute()
}

export function findTemplate(db: DbOrTrx, id: number) {
  return db.selectFrom('checklist_template').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findTemplateByCode(db: DbOrTrx, code: string) {
  return db.selectFrom('checklist_template').selectAll().where('code', '=', code).executeTakeFirst()
}

/** The lines of the templates, template by template in the order given, each by position. */
export async function templateItemsOf(db: DbOrTrx, templateIds: readonly number[]) {
  if (templateIds.length === 0) return []
  const rows = await db
    .selectFrom('checklist_template_item')
    .selectAll()
    .where('template_id', 'in', [...templateIds])
    .orderBy('position')
    .orderBy('id')
    .execute()
  return templateIds.flatMap((id) => rows.filter((r) => r.template_id === id))
}

export interface TemplateFields {
  code: string
  nameZh: string
  nameEn: string
  descriptionZh: string | null
  descriptionEn: string | null
  category: string | null
  active: boolean
}

export interface TemplateLine {
  sectionZh: string | null
  sectionEn: string | null
  labelZh: string
  labelEn: string
  kind: ChecklistItemKind
  unit: string | null
  min: number | null
  max: number | null
  guidanceZh: string | null
  guidanceEn: string | null
}

function lineColumns(line: TemplateLine) {
  return {
    section_zh: line.sectionZh,
    section_en: line.sectionEn,
    label_zh: line.labelZh,
    label_en: line.labelEn,
    kind: line.kind,
    unit: line.unit,
    min_value: line.min,
    max_value: line.max,
    guidance_zh: line.guidanceZh,
    guidance_en: line.guidanceEn,
  }
}

export async function insertTemplate(
  db: DbOrTrx,
  fields: TemplateFields,
  userId: number,
  now: Date,
) {
  const row = await db
    .insertInto('checklist_template')
    .values({
      code: fields.code,
      name_zh: fields.nameZh,
      name_en: fields.nameEn,
      description_zh: fields.descriptionZh,
      description_en: fields.descriptionEn,
      category: fields.category,
      active: fields.active,
      updated_by: userId,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

export function updateTemplate(
  db: DbOrTrx,
  id: number,
  fields: Omit<TemplateFields, 'code'>,
  userId: number,
  now: Date,
) {
  return db
    .updateTable('checklist_template')
    .set({
      name_zh: fields.nameZh,
      name_en: fields.nameEn,
      description_zh: fields.descriptionZh,
      description_en: fields.descriptionEn,
      category: fields.category,
      active: fields.active,
      updated_by: userId,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute()
}

/**
 * Writes the template's lines as given, in order: rows with an id of this
 * template are updated in place (plans copied from them keep their link),
 * rows without one are inserted, and lines left out are deleted.
 */
export async function saveTemplateLines(
  db: DbOrTrx,
  templateId: number,
  lines: readonly (TemplateLine & { id: number | null })[],
) {
  const existing = await db
    .selectFrom('checklist_template_item')
    .select('id')
    .where('template_id', '=', templateId)
    .execute()
  const kept = new Set(lines.map((l) => l.id).filter((id): id is number => id !== null))
  const gone = existing.map((r) => r.id).filter((id) => !kept.has(id))
  if (gone.length > 0) {
    await db.deleteFrom('checklist_template_item').where('id', 'in', gone).execute()
  }
  for (const [n, line] of lines.entries()) {
    if (line.id !== null) {
      await db
        .updateTable('checklist_template_item')
        .set({ ...lineColumns(line), position: n + 1 })
        .where('id', '=', line.id)
        .where('template_id', '=', templateId)
        .execute()
    } else {
      await db
        .insertInto('checklist_template_item')
        .values({ ...lineColumns(line), template_id: templateId, position: n + 1 })
        .execute()
    }
  }
}
