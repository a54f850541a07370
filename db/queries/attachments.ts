import type { DbOrTrx } from '../client.server.ts'

export function attachmentsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('attachment as a')
    .innerJoin('app_user as u', 'u.id', 'a.uploaded_by')
    .select([
      'a.id',
      'a.needs_list_id',
      'a.filename',
      'a.content_type',
      'a.size_bytes',
      'a.created_at',
      'u.name as uploaderName',
    ])
    .where('a.needs_list_id', '=', listId)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute()
}

export function findAttachment(db: DbOrTrx, id: number) {
  return db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function countAttachments(db: DbOrTrx, listId: number): Promise<number> {
  const row = await db
    .selectFrom('attachment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('needs_list_id', '=', listId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function insertAttachment(
  db: DbOrTrx,
  input: {
    listId: number
    filename: string
    contentType: string
    sizeBytes: number
    storageKey: string
    uploadedBy: number
  },
) {
  return db
    .insertInto('attachment')
    .values({
      needs_list_id: input.listId,
      filename: input.filename,
      content_type: input.contentType,
      size_bytes: input.sizeBytes,
      storage_key: input.storageKey,
      uploaded_by: input.uploadedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteAttachmentRow(db: DbOrTrx, id: number) {
  return db.deleteFrom('attachment').where('id', '=', id).returningAll().executeTakeFirst()
}

/** Locks the list row, so uploads to one list are counted one at a time. */
export function lockNeedsList(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('needs_list')
    .select(['id', 'status'])
    .where('id', '=', listId)
    .forUpdate()
    .executeTakeFirst()
}
