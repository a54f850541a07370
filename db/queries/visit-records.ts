import type { DbOrTrx } from '../client.server.ts'

/**
 * The visit's row locked against a status change (FOR SHARE) while something
 * is recorded: a report submitted meanwhile waits for the recording to commit,
 * and a recording that waited sees the new status.
 */
export function lockVisitForRecording(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('visit')
    .select(['id', 'status', 'needs_list_id'])
    .where('id', '=', visitId)
    .forShare()
    .executeTakeFirst()
}

/** The newest version of the visit's inspection plan, if it has one. */
export function currentPlanOf(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('inspection_plan')
    .selectAll()
    .where('visit_id', '=', visitId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
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

/** The lines of every version of the visit's plan, with their version. */
export function allPlanItemsOf(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('plan_item as i')
    .innerJoin('inspection_plan as p', 'p.id', 'i.plan_id')
    .select(['i.id', 'i.template_item_id', 'i.label_zh', 'i.kind', 'p.version'])
    .where('p.visit_id', '=', visitId)
    .execute()
}

/** A plan line with the visit and plan version it belongs to. */
export function findPlanItem(db: DbOrTrx, planItemId: number) {
  return db
    .selectFrom('plan_item as i')
    .innerJoin('inspection_plan as p', 'p.id', 'i.plan_id')
    .selectAll('i')
    .select(['p.visit_id as visitId', 'p.version as planVersion'])
    .where('i.id', '=', planItemId)
    .executeTakeFirst()
}

/** Everything recorded on the visit's lines, with who recorded it. */
export function recordsOf(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('visit_record as r')
    .leftJoin('app_user as u', 'u.id', 'r.recorded_by')
    .selectAll('r')
    .select('u.name as recorderName')
    .where('r.visit_id', '=', visitId)
    .orderBy('r.plan_item_id')
    .execute()
}

export function findRecord(db: DbOrTrx, visitId: number, planItemId: number) {
  return db
    .selectFrom('visit_record')
    .selectAll()
    .where('visit_id', '=', visitId)
    .where('plan_item_id', '=', planItemId)
    .executeTakeFirst()
}

export interface RecordValues {
  valueNumber: number | null
  valueText: string | null
  passed: boolean | null
  flagged: boolean
  note: string | null
}

/** Inserts or replaces what was recorded for one line (one row per visit and line). */
export function upsertRecord(
  db: DbOrTrx,
  input: RecordValues & { visitId: number; planItemId: number; recordedBy: number; now: Date },
) {
  const values = {
    value_number: input.valueNumber,
    value_text: input.valueText,
    passed: input.passed,
    flagged: input.flagged,
    note: input.note,
    recorded_by: input.recordedBy,
    recorded_at: input.now,
  }
  return db
    .insertInto('visit_record')
    .values({ visit_id: input.visitId, plan_item_id: input.planItemId, ...values })
    .onConflict((oc) => oc.columns(['visit_id', 'plan_item_id']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Clears a line (nothing typed any more). */
export function deleteRecord(db: DbOrTrx, visitId: number, planItemId: number) {
  return db
    .deleteFrom('visit_record')
    .where('visit_id', '=', visitId)
    .where('plan_item_id', '=', planItemId)
    .execute()
}

/** The team of a visit (experts, steward, cadre, others) in the order they were added. */
export function visitMembersOf(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('visit_member')
    .selectAll()
    .where('visit_id', '=', visitId)
    .orderBy('id')
    .execute()
}
