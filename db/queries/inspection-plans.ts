import type { DbOrTrx } from '../client.server.ts'
import type { ChecklistItemKind } from '../schema.ts'

/** A plan line as stored (copied from a template, or written for this visit). */
export interface PlanLine {
  templateItemId: number | null
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

export async function insertPlan(
  db: DbOrTrx,
  input: {
    visitId: number
    version: number
    objectives: string | null
    notes: string | null
    itemIds: readonly number[]
    templateIds: readonly number[]
    createdBy: number
    now: Date
  },
): Promise<number> {
  const row = await db
    .insertInto('inspection_plan')
    .values({
      visit_id: input.visitId,
      version: input.version,
      objectives: input.objectives,
      notes: input.notes,
      item_ids: [...input.itemIds],
      template_ids: [...input.templateIds],
      created_by: input.createdBy,
      created_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function updatePlan(
  db: DbOrTrx,
  planId: number,
  input: {
    objectives: string | null
    notes: string | null
    itemIds: readonly number[]
    templateIds: readonly number[]
  },
) {
  return db
    .updateTable('inspection_plan')
    .set({
      objectives: input.objectives,
      notes: input.notes,
      item_ids: [...input.itemIds],
      template_ids: [...input.templateIds],
    })
    .where('id', '=', planId)
    .execute()
}

function lineColumns(line: PlanLine) {
  return {
    template_item_id: line.templateItemId,
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

/** Appends lines to a plan, numbered from `firstPosition`; returns their ids in order. */
export async function insertPlanItems(
  db: DbOrTrx,
  planId: number,
  lines: readonly PlanLine[],
  firstPosition = 1,
): Promise<number[]> {
  if (lines.length === 0) return []
  const rows = await db
    .insertInto('plan_item')
    .values(
      lines.map((l, n) => ({ ...lineColumns(l), plan_id: planId, position: firstPosition + n })),
    )
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/**
 * Rewrites a plan's lines in place (before check-in): lines with an id of this
 * plan are updated, new ones inserted, the rest deleted; positions follow the order.
 */
export async function savePlanItemsInPlace(
  db: DbOrTrx,
  planId: number,
  lines: readonly (PlanLine & { id: number | null })[],
) {
  const existing = await db
    .selectFrom('plan_item')
    .select('id')
    .where('plan_id', '=', planId)
    .execute()
  const kept = new Set(lines.map((l) => l.id).filter((id): id is number => id !== null))
  const gone = existing.map((r) => r.id).filter((id) => !kept.has(id))
  if (gone.length > 0) await db.deleteFrom('plan_item').where('id', 'in', gone).execute()
  for (const [n, line] of lines.entries()) {
    if (line.id !== null) {
      await db
        .updateTable('plan_item')
        .set({ ...lineColumns(line), position: n + 1 })
        .where('id', '=', line.id)
        .where('plan_id', '=', planId)
        .execute()
    } else {
      await db
        .insertInto('plan_item')
        .values({ ...lineColumns(line), plan_id: planId, position: n + 1 })
        .execute()
    }
  }
}

/**
 * What was recorded on site against a line (records, findings) follows the
 * line into a new plan version, so the current version shows it.
 */
export async function moveLineRecords(db: DbOrTrx, moves: readonly [number, number][]) {
  for (const [from, to] of moves) {
    await db
      .updateTable('visit_record')
      .set({ plan_item_id: to })
      .where('plan_item_id', '=', from)
      .execute()
    await db
      .updateTable('finding')
      .set({ plan_item_id: to })
      .where('plan_item_id', '=', from)
      .execute()
  }
}

/** The visit's current plan (highest version). */
export function currentPlan(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('inspection_plan as p')
    .leftJoin('app_user as u', 'u.id', 'p.created_by')
    .selectAll('p')
    .select('u.name as createdByName')
    .where('p.visit_id', '=', visitId)
    .orderBy('p.version', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export function planVersion(db: DbOrTrx, visitId: number, version: number) {
  return db
    .selectFrom('inspection_plan as p')
    .leftJoin('app_user as u', 'u.id', 'p.created_by')
    .selectAll('p')
    .select('u.name as createdByName')
    .where('p.visit_id', '=', visitId)
    .where('p.version', '=', version)
    .executeTakeFirst()
}

/** Every version of the visit's plan, newest first (without lines). */
export function planVersions(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('inspection_plan as p')
    .leftJoin('app_user as u', 'u.id', 'p.created_by')
    .select(['p.id', 'p.version', 'p.created_at', 'u.name as createdByName'])
    .where('p.visit_id', '=', visitId)
    .orderBy('p.version', 'desc')
    .execute()
}

export function planItemsOf(db: DbOrTrx, planId: number) {
  return db
    .selectFrom('plan_item')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('position')
    .orderBy('id')
    .execute()
}
