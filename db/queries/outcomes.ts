import type { DbOrTrx } from '../client.server.ts'
import type { OutcomeResult } from '../schema.ts'

/** The outcomes recorded for a list's confirmed items, in item order, with who recorded them. */
export function outcomesOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('item_outcome as o')
    .innerJoin('confirmed_item as c', 'c.id', 'o.confirmed_item_id')
    .leftJoin('app_user as u', 'u.id', 'o.recorded_by')
    .selectAll('o')
    .select(['c.title as itemTitle', 'c.position as itemPosition', 'u.name as recordedByName'])
    .where('o.needs_list_id', '=', listId)
    .orderBy('c.position')
    .execute()
}

export interface OutcomeRow {
  listId: number
  itemId: number
  result: OutcomeResult
  description: string
  benefitYuan: string | null
  benefitStatus: 'estimated' | 'confirmed' | null
  benefitBasis: string | null
  workersTrained: number
  personTimes: number
  patents: number
  innovations: number
  followUpNeeded: boolean
  followUpNote: string | null
  recordedBy: number
  now: Date
}

/** Records an item's outcome, or replaces it (one outcome per confirmed item). */
export function upsertOutcome(db: DbOrTrx, input: OutcomeRow) {
  const values = {
    result: input.result,
    description: input.description,
    benefit_yuan: input.benefitYuan,
    benefit_status: input.benefitStatus,
    benefit_basis: input.benefitBasis,
    workers_trained: input.workersTrained,
    person_times: input.personTimes,
    patents: input.patents,
    innovations: input.innovations,
    follow_up_needed: input.followUpNeeded,
    follow_up_note: input.followUpNote,
    recorded_by: input.recordedBy,
    updated_at: input.now,
  }
  return db
    .insertInto('item_outcome')
    .values({
      ...values,
      needs_list_id: input.listId,
      confirmed_item_id: input.itemId,
      recorded_at: input.now,
    })
    .onConflict((oc) => oc.column('confirmed_item_id').doUpdateSet(values))
    .returning(['id', 'recorded_at', 'updated_at'])
    .executeTakeFirstOrThrow()
}

/**
 * The enterprise confirms estimated benefits of its list's outcomes: only
 * outcomes of this list with an estimated amount change. Returns their items.
 */
export async function confirmEstimatedBenefits(
  db: DbOrTrx,
  listId: number,
  outcomeIds: readonly number[],
  now: Date,
): Promise<number[]> {
  if (outcomeIds.length === 0) return []
  const rows = await db
    .updateTable('item_outcome')
    .set({ benefit_status: 'confirmed', updated_at: now })
    .where('needs_list_id', '=', listId)
    .where('id', 'in', [...outcomeIds])
    .where('benefit_status', '=', 'estimated')
    .where('benefit_yuan', 'is not', null)
    .returning('confirmed_item_id')
    .execute()
  return rows.map((r) => r.confirmed_item_id)
}

/** The list's visits with their state and expert members, for the totals and the readiness check. */
export async function visitFactsOf(db: DbOrTrx, listId: number) {
  const [visits, members] = await Promise.all([
    db
      .selectFrom('visit')
      .select(['id', 'sequence', 'status', 'kind', 'starts_at'])
      .where('needs_list_id', '=', listId)
      .orderBy('sequence')
      .execute(),
    db
      .selectFrom('visit_member as m')
      .innerJoin('visit as v', 'v.id', 'm.visit_id')
      .select(['m.visit_id', 'm.expert_id'])
      .where('v.needs_list_id', '=', listId)
      .where('m.role', '=', 'expert')
      .where('m.expert_id', 'is not', null)
      .execute(),
  ])
  return visits.map((v) => ({
    ...v,
    expertIds: members
      .filter((m) => m.visit_id === v.id && m.expert_id !== null)
      .map((m) => m.expert_id as number),
  }))
}

/** The experts paired on a list (a team by the expert who answered for it), distinct. */
export async function pairedExpertIdsOf(db: DbOrTrx, listId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('pairing')
    .select('expert_id')
    .distinct()
    .where('needs_list_id', '=', listId)
    .orderBy('expert_id')
    .execute()
  return rows.map((r) => r.expert_id)
}
