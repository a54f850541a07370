import { randomUUID } from 'node:crypto'
import type { Db } from '#db/client.server.ts'
import {
  attachmentsOf,
  countAttachments,
  deleteAttachmentRow,
  findAttachment,
  insertAttachment,
  lockNeedsList,
} from '#db/queries/attachments.ts'
import { findNeedsList } from '#db/queries/needs-lists.ts'
import { findWorkflowInstance } from '#db/queries/workflow.ts'
import { type Principal, requireMembership, requireRead } from '../access.ts'
import type { Actor } from '../actor.ts'
import {
  ATTACHMENT_KINDS,
  type BlobStore,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_LIST,
  safeFilename,
  sniffAttachmentKind,
} from '../attachments.ts'
import { allowedEvents } from '../dispatch.ts'
import { NotFoundError, TransitionNotAllowedError, ValidationError } from '../errors.ts'

const SUBJECT = 'needs_list'
/** The states in which the enterprise may change the list (the machine's EDIT states). */
const EDITABLE = new Set(['draft', 'returned'])

async function scopedList(db: Db, listId: number) {
  const list = await findNeedsList(db, listId)
  if (!list) throw new NotFoundError('needs_list', listId)
  return { list, scope: { orgPath: list.orgPath, enterpriseId: list.enterprise_id } }
}

/**
 * The enterprise's contact, while the workflow lets them edit the list;
 * routes call it before reading an upload's body.
 */
export async function requireAttachmentEditor(db: Db, principal: Principal, listId: number) {
  const { list, scope } = await scopedList(db, listId)
  requireMembership(principal, scope, ['enterprise_contact'])
  const actor: Actor = { userId: principal.userId, role: 'enterprise_contact' }
  const workflow = await findWorkflowInstance(db, { subjectType: SUBJECT, subjectId: listId })
  if (!workflow) throw new NotFoundError('workflow', listId)
  const editable = allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, [
    { type: 'EDIT', actor },
  ])
  if (editable.length === 0) throw new TransitionNotAllowedError(workflow.state, 'ATTACH')
  return list
}

export interface UploadedFile {
  name: string
  bytes: Uint8Array
}

/**
 * Attaches a file to a list the enterprise may still edit. The type comes
 * from the content; a wrong type, an empty or oversized file, or one file too
 * many is a ValidationError and stores nothing.
 */
export async function addAttachment(
  db: Db,
  storage: BlobStore,
  principal: Principal,
  listId: number,
  file: UploadedFile,
) {
  await requireAttachmentEditor(db, principal, listId)
  if (file.bytes.byteLength === 0) throw new ValidationError('file', 'taxonomy.errors.fileEmpty')
  if (file.bytes.byteLength > MAX_ATTACHMENT_BYTES) {
    throw new ValidationError('file', 'taxonomy.errors.fileTooLarge')
  }
  const kind = sniffAttachmentKind(file.bytes)
  if (!kind) throw new ValidationError('file', 'taxonomy.errors.fileType')
  const key = `needs-lists/${listId}/${randomUUID()}`
  let stored = false
  try {
    return await db.transaction().execute(async (trx) => {
      const locked = await lockNeedsList(trx, listId)
      if (!locked) throw new NotFoundError('needs_list', listId)
      // Re-checked under the lock: a submission may have committed meanwhile.
      if (!EDITABLE.has(locked.status)) throw new TransitionNotAllowedError(locked.status, 'ATTACH')
      if ((await countAttachments(trx, listId)) >= MAX_ATTACHMENTS_PER_LIST) {
        throw new ValidationError('file', 'taxonomy.errors.tooManyFiles')
      }
      const row = await insertAttachment(trx, {
        listId,
        filename: safeFilename(file.name, kind),
        contentType: ATTACHMENT_KINDS[kind].contentType,
        sizeBytes: file.bytes.byteLength,
        storageKey: key,
        uploadedBy: principal.userId,
      })
      // Last, so a failed write rolls the row back.
      await storage.put(key, file.bytes)
      stored = true
      return row
    })
  } catch (err) {
    // The commit itself failed after the write: do not leave an orphan file.
    if (stored) await storage.delete(key).catch(() => {})
    throw err
  }
}

/** Removes an attachment while the list is editable. */
export async function deleteAttachment(
  db: Db,
  storage: BlobStore,
  principal: Principal,
  listId: number,
  attachmentId: number,
): Promise<{ key: string }> {
  await requireAttachmentEditor(db, principal, listId)
  const removed = await db.transaction().execute(async (trx) => {
    const locked = await lockNeedsList(trx, listId)
    if (!locked) throw new NotFoundError('needs_list', listId)
    if (!EDITABLE.has(locked.status)) throw new TransitionNotAllowedError(locked.status, 'ATTACH')
    const row = await findAttachment(trx, attachmentId)
    if (!row || row.needs_list_id !== listId) throw new NotFoundError('attachment', attachmentId)
    await deleteAttachmentRow(trx, attachmentId)
    return row
  })
  // After the commit; a failed removal leaves an unreferenced file, never a dangling row.
  await storage.delete(removed.storage_key)
  return { key: removed.storage_key }
}

/** An attachment's record for whoever may read its list (the enterprise, union roles in scope). */
export async function attachmentForDownload(db: Db, principal: Principal, attachmentId: number) {
  const row = await findAttachment(db, attachmentId)
  if (!row) throw new NotFoundError('attachment', attachmentId)
  const { scope } = await scopedList(db, row.needs_list_id)
  requireRead(principal, scope)
  return row
}

/** The list's attachments for a reader of the list. */
export async function listAttachments(db: Db, principal: Principal, listId: number) {
  const { scope } = await scopedList(db, listId)
  requireRead(principal, scope)
  return attachmentsOf(db, listId)
}
