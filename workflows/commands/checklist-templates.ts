import type { Db, DbOrTrx } from '#db/client.server.ts'
import {
  findTemplate,
  insertTemplate,
  listTemplates,
  saveTemplateLines,
  templateItemsOf,
  updateTemplate,
} from '#db/queries/checklist-templates.ts'
import { hasRole, type Principal } from '../access.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import { type CleanLine, templateSchema } from '../inspection/templates.schema.ts'
import type { CommandOptions } from './needs-lists.ts'

/** The first zod issue as a ValidationError (field path, translation key). */
export function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  const issue = error.issues[0]
  const field = (issue?.path ?? [])
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
  return new ValidationError(field || 'form', issue?.message ?? 'errors.badRequest')
}

function requireAdmin(principal: Principal) {
  if (!hasRole(principal, 'federation_admin')) {
    throw new ForbiddenError('only a federation admin maintains checklist templates')
  }
}

async function checkCategory(db: DbOrTrx, code: string | null) {
  if (code === null) return
  const row = await db
    .selectFrom('need_category')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst()
  if (!row) throw new ValidationError('category', 'visits.checklists.errors.category')
}

/** Line ids posted back must be this template's own lines. */
async function checkLineIds(db: DbOrTrx, templateId: number | null, lines: readonly CleanLine[]) {
  const ids = lines.map((l) => l.id).filter((id): id is number => id !== null)
  if (ids.length === 0) return
  if (templateId === null) throw new ValidationError('lines', 'errors.badRequest')
  const own = await db
    .selectFrom('checklist_template_item')
    .select('id')
    .where('template_id', '=', templateId)
    .execute()
  const set = new Set(own.map((r) => r.id))
  if (ids.some((id) => !set.has(id)) || new Set(ids).size !== ids.length) {
    throw new ValidationError('lines', 'errors.badRequest')
  }
}

/** Every template (inactive ones last) with its line count: the admin list. */
export async function checklistTemplatesPage(db: Db, principal: Principal) {
  requireAdmin(principal)
  const rows = await listTemplates(db)
  const categories = await db
    .selectFrom('need_category')
    .select(['code', 'name_zh', 'name_en'])
    .orderBy('position')
    .execute()
  return {
    templates: rows.map((t) => ({
      id: t.id,
      code: t.code,
      nameZh: t.name_zh,
      nameEn: t.name_en,
      category: t.category,
      active: t.active,
      itemCount: Number(t.itemCount ?? 0),
      updatedAt: t.updated_at,
    })),
    categories,
  }
}

/** One template with its lines, for the admin's edit page. */
export async function checklistTemplateView(db: Db, principal: Principal, id: number) {
  requireAdmin(principal)
  const template = await findTemplate(db, id)
  if (!template) throw new NotFoundError('checklist_template', id)
  const [lines, categories] = await Promise.all([
    templateItemsOf(db, [id]),
    db
      .selectFrom('need_category')
      .select(['code', 'name_zh', 'name_en'])
      .orderBy('position')
      .execute(),
  ])
  return { template, lines, categories }
}

/** The active templates with their lines: what a steward builds a plan from. */
export async function templatesForPlanning(db: DbOrTrx) {
  const rows = await listTemplates(db, { activeOnly: true })
  return rows.map((t) => ({
    id: t.id,
    code: t.code,
    nameZh: t.name_zh,
    nameEn: t.name_en,
    category: t.category,
    itemCount: Number(t.itemCount ?? 0),
  }))
}

/** A federation admin creates a template with its lines; the code must be new. */
export async function createChecklistTemplate(
  db: Db,
  principal: Principal,
  input: unknown,
  options: CommandOptions = {},
): Promise<number> {
  requireAdmin(principal)
  const parsed = templateSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const t = parsed.data
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    await checkCategory(trx, t.category)
    await checkLineIds(trx, null, t.lines)
    const id = await insertTemplate(
      trx,
      {
        code: t.code,
        nameZh: t.nameZh,
        nameEn: t.nameEn ?? t.nameZh,
        descriptionZh: t.descriptionZh,
        descriptionEn: t.descriptionEn,
        category: t.category,
        active: t.active,
      },
      principal.userId,
      now,
    )
    if (id === null) throw new ValidationError('code', 'visits.checklists.errors.codeTaken')
    await saveTemplateLines(trx, id, t.lines)
    return id
  })
}

/**
 * A federation admin edits a template and its lines (the code stays: it is
 * how reference data recognises the template). Plans already built keep
 * their copied lines.
 */
export async function updateChecklistTemplate(
  db: Db,
  principal: Principal,
  id: number,
  input: unknown,
  options: CommandOptions = {},
): Promise<void> {
  requireAdmin(principal)
  const parsed = templateSchema.omit({ code: true }).safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const t = parsed.data
  const now = options.now ?? new Date()
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('checklist_template')
      .select('id')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!row) throw new NotFoundError('checklist_template', id)
    await checkCategory(trx, t.category)
    await checkLineIds(trx, id, t.lines)
    await updateTemplate(
      trx,
      id,
      {
        nameZh: t.nameZh,
        nameEn: t.nameEn ?? t.nameZh,
        descriptionZh: t.descriptionZh,
        descriptionEn: t.descriptionEn,
        category: t.category,
        active: t.active,
      },
      principal.userId,
      now,
    )
    await saveTemplateLines(trx, id, t.lines)
  })
}
