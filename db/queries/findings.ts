import type { DbOrTrx } from '../client.server.ts'
import type { FindingSeverity } from '../schema.ts'

// Findings, photos and follow-up actions recorded on a visit.

export function findingsOf(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('finding as f')
    .leftJoin('app_user as u', 'u.id', 'f.created_by')
    .selectAll('f')
    .select('u.name as authorName')
    .where('f.visit_id', '=', visitId)
    .orderBy('f.created_at')
    .orderBy('f.id')
    .execute()
}

export function findFinding(db: DbOrTrx, id: number) {
  return db.selectFrom('finding').selectAll().where('id', '=', id).executeTakeFirst()
}

/**
 * Saves a finding under the client's key: the first save inserts it, a retry
 * or an edit under the same key updates the same row.
 */
export function upsertFinding(
  db: DbOrTrx,
  input: {
    visitId: number
    clientKey: string
    severity: FindingSeverity
    title: string
    description: string | null
    recommendation: string | null
    planItemId: number | null
    createdBy: number
    now: Date
  },
) {
  const values = {
    severity: input.severity,
    title: input.title,
    description: input.description,
    recommendation: input.recommendation,
    plan_item_id: input.planItemId,
    updated_at: input.now,
  }
  return db
    .insertInto('finding')
    .values({
      visit_id: input.visitId,
      client_key: input.clientKey,
      created_by: input.createdBy,
      created_at: input.now,
      ...values,
    })
    .onConflict((oc) => oc.columns(['visit_id', 'client_key']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteFindingRow(db: DbOrTrx, visitId: number, id: number) {
  return db
    .deleteFrom('finding')
    .where('visit_id', '=', visitId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export function photosOf(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('visit_photo')
    .select([
      'id',
      'visit_id',
      'finding_id',
      'filename',
      'content_type',
      'size_bytes',
      'caption',
      'uploaded_by',
      'created_at',
    ])
    .where('visit_id', '=', visitId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export function findPhoto(db: DbOrTrx, id: number) {
  return db.selectFrom('visit_photo').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function countPhotos(db: DbOrTrx, visitId: number): Promise<number> {
  const row = await db
    .selectFrom('visit_photo')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('visit_id', '=', visitId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function insertPhotos(
  db: DbOrTrx,
  rows: {
    visitId: number
    findingId: number | null
    filename: string
    contentType: string
    sizeBytes: number
    storageKey: string
    caption: string | null
    uploadedBy: number
  }[],
) {
  if (rows.length === 0) return Promise.resolve([])
  return db
    .insertInto('visit_photo')
    .values(
      rows.map((r) => ({
        visit_id: r.visitId,
        finding_id: r.findingId,
        filename: r.filename,
        content_type: r.contentType,
        size_bytes: r.sizeBytes,
        storage_key: r.storageKey,
        caption: r.caption,
        uploaded_by: r.uploadedBy,
      })),
    )
    .returningAll()
    .execute()
}

export function deletePhotoRows(db: DbOrTrx, visitId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .deleteFrom('visit_photo')
    .where('visit_id', '=', visitId)
    .where('id', 'in', ids)
    .returning(['id', 'storage_key'])
    .execute()
}

/** The photos attached to a finding (removed with it). */
export function photosOfFinding(db: DbOrTrx, findingId: number) {
  return db
    .selectFrom('visit_photo')
    .select(['id', 'storage_key'])
    .where('finding_id', '=', findingId)
    .execute()
}

export function followUpActionsOf(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('follow_up_action')
    .selectAll()
    .where('visit_id', '=', visitId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** Saves a follow-up action under the client's key (insert, or update the same row). */
export function upsertFollowUpAction(
  db: DbOrTrx,
  input: {
    visitId: number
    clientKey: string
    description: string
    owner: string
    dueOn: string | null
    createdBy: number
    now: Date
  },
) {
  const values = { description: input.description, owner: input.owner, due_on: input.dueOn }
  return db
    .insertInto('follow_up_action')
    .values({
      visit_id: input.visitId,
      client_key: input.clientKey,
      created_by: input.createdBy,
      created_at: input.now,
      ...values,
    })
    .onConflict((oc) => oc.columns(['visit_id', 'client_key']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteFollowUpActionRow(db: DbOrTrx, visitId: number, id: number) {
  return db
    .deleteFrom('follow_up_action')
    .where('visit_id', '=', visitId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}
