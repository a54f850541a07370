import { randomUUID } from 'node:crypto'
import type { Db, DbOrTrx } from '#db/client.server.ts'
import {
  countPhotos,
  deleteFindingRow,
  deleteFollowUpActionRow,
  deletePhotoRows,
  findFinding,
  findingsOf,
  findPhoto,
  followUpActionsOf,
  insertPhotos,
  photosOf,
  photosOfFinding,
  upsertFinding,
  upsertFollowUpAction,
} from '#db/queries/findings.ts'
import {
  allPlanItemsOf,
  currentPlanOf,
  deleteRecord,
  findPlanItem,
  lockVisitForRecording,
  planItemsOf,
  recordsOf,
  upsertRecord,
  visitMembersOf,
} from '#db/queries/visit-records.ts'
import { findReport, stampCheckIn, visitHeader } from '#db/queries/visit-reports.ts'
import { findWorkflowInstance } from '#db/queries/workflow.ts'
import type { Role } from '#db/schema.ts'
import {
  canRead,
  isAssignedSteward,
  membershipFor,
  type Principal,
  type ScopedRecord,
} from '../access.ts'
import type { Actor } from '../actor.ts'
import { allowedEvents, dispatchInTransaction } from '../dispatch.ts'
import {
  ForbiddenError,
  NotFoundError,
  TransitionNotAllowedError,
  ValidationError,
} from '../errors.ts'
import { evaluateLine, formValueOf, type LineKind } from '../inspection/flagging.ts'
import {
  checkPhoto,
  MAX_PHOTOS_PER_UPLOAD,
  MAX_PHOTOS_PER_VISIT,
  PHOTO_KINDS,
  type PhotoKind,
  photoFilename,
} from '../inspection/photos.ts'
import {
  findingSchema,
  firstIssue,
  followUpSchema,
  photoFieldsSchema,
  recordLineSchema,
} from '../inspection/records.schema.ts'
import type { CommandOptions } from './needs-lists.ts'

const SUBJECT = 'visit'
const ref = (id: number) => ({ subjectType: SUBJECT, subjectId: id })

/** States in which the enterprise (and only it, among readers) may not yet see the records. */
const REPORTED_STATES = new Set(['reported', 'report_confirmed'])

/** Union roles a team member may act in, in the order one is chosen. */
const TEAM_ROLES: Role[] = ['expert', 'steward', 'coordinator', 'federation_admin']

export type VisitHeader = NonNullable<Awaited<ReturnType<typeof visitHeader>>>

export interface VisitAccess {
  visit: VisitHeader
  scope: ScopedRecord
  /** On the visit's team (visit_member.user_id). */
  isMember: boolean
  /** The case's dedicated steward. */
  isCaseSteward: boolean
  /** A contact of the case's enterprise. */
  isEnterprise: boolean
  /** Team, case steward and union roles in scope (not the enterprise). */
  isUnionReader: boolean
  /** The role the principal acts in when recording or checking in; null: may not. */
  recorderRole: Role | null
  /** May see the recorded lines, findings and photos now. */
  readsRecords: boolean
}

/**
 * Who the principal is to the visit. Nobody outside it learns it exists: an
 * expert not on the team, another enterprise and union roles out of scope
 * all get NotFound.
 */
export async function visitAccess(
  db: DbOrTrx,
  principal: Principal,
  visitId: number,
): Promise<VisitAccess> {
  const visit = await visitHeader(db, visitId)
  if (!visit) throw new NotFoundError(SUBJECT, visitId)
  const scope: ScopedRecord = {
    orgPath: visit.orgPath,
    enterpriseId: visit.enterpriseId,
    stewardUserId: visit.stewardUserId,
  }
  const members = await visitMembersOf(db, visitId)
  const isMember = members.some((m) => m.user_id !== null && m.user_id === principal.userId)
  const isCaseSteward = isAssignedSteward(principal, scope)
  const isEnterprise = membershipFor(principal, scope, ['enterprise_contact']) !== undefined
  const unionScope =
    membershipFor(principal, scope, ['coordinator', 'federation_admin', 'steward']) !== undefined
  if (!isMember && !isCaseSteward && !canRead(principal, scope)) {
    throw new NotFoundError(SUBJECT, visitId)
  }
  const held = new Set(principal.memberships.map((m) => m.role))
  const recorderRole: Role | null = isCaseSteward
    ? 'steward'
    : isMember
      ? (TEAM_ROLES.find((r) => held.has(r)) ?? null)
      : null
  const isUnionReader = isMember || isCaseSteward || unionScope
  return {
    visit,
    scope,
    isMember,
    isCaseSteward,
    isEnterprise,
    isUnionReader,
    recorderRole,
    readsRecords: isUnionReader || (isEnterprise && REPORTED_STATES.has(visit.status)),
  }
}

function requireRecorder(access: VisitAccess, principal: Principal): Actor {
  if (!access.recorderRole) {
    throw new ForbiddenError('only the visit team and the case steward may record')
  }
  return { userId: principal.userId, role: access.recorderRole }
}

/** Locks the visit against a status change and checks it is on site. */
async function lockOnSite(trx: DbOrTrx, visitId: number, action: string) {
  const locked = await lockVisitForRecording(trx, visitId)
  if (!locked) throw new NotFoundError(SUBJECT, visitId)
  if (locked.status !== 'on_site') throw new TransitionNotAllowedError(locked.status, action)
  return locked
}

function invalid(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  const { field, messageKey } = firstIssue(error)
  return new ValidationError(field, messageKey)
}

/**
 * Check-in at the enterprise (CHECK_IN: scheduled → on_site) by a team member
 * or the case steward; stamps who and when on the visit.
 */
export async function checkIn(
  db: Db,
  principal: Principal,
  visitId: number,
  options: CommandOptions = {},
) {
  const access = await visitAccess(db, principal, visitId)
  const actor = requireRecorder(access, principal)
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    const result = await dispatchInTransaction(
      trx,
      ref(visitId),
      { type: 'CHECK_IN', actor },
      {
        ...options,
        now,
      },
    )
    await stampCheckIn(trx, visitId, principal.userId, now)
    return result
  })
}

/** A saved line as the page shows it. */
export interface SavedLine {
  planItemId: number
  /** The value as its form shows it ('' when cleared). */
  value: string
  note: string
  passed: boolean | null
  flagged: boolean
  recordedAt: string | null
}

/**
 * Records one checklist line of the current plan version while the visit is
 * on site: the value is parsed and flagged against the line's range here,
 * whatever the page showed. Saving the same line again replaces its record;
 * an empty value without a note clears the line.
 */
export async function recordLine(
  db: Db,
  principal: Principal,
  visitId: number,
  input: unknown,
  options: CommandOptions = {},
): Promise<SavedLine> {
  const access = await visitAccess(db, principal, visitId)
  requireRecorder(access, principal)
  const parsed = recordLineSchema.safeParse(input)
  if (!parsed.success) throw invalid(parsed.error)
  const { planItemId, value, note } = parsed.data
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    await lockOnSite(trx, visitId, 'RECORD')
    const item = await findPlanItem(trx, planItemId)
    if (!item || item.visitId !== visitId) throw new NotFoundError('plan_item', planItemId)
    const plan = await currentPlanOf(trx, visitId)
    if (!plan || plan.id !== item.plan_id) {
      throw new ValidationError('planItemId', 'onsite.errors.planChanged')
    }
    const result = evaluateLine(
      { kind: item.kind, min: item.min_value, max: item.max_value },
      value ?? null,
    )
    if (!result.ok) throw new ValidationError('value', `onsite.errors.${result.error}`)
    if (result.empty && note === null) {
      await deleteRecord(trx, visitId, planItemId)
      return { planItemId, value: '', note: '', passed: null, flagged: false, recordedAt: null }
    }
    const row = await upsertRecord(trx, {
      visitId,
      planItemId,
      valueNumber: result.valueNumber,
      valueText: result.valueText,
      passed: result.passed,
      flagged: result.flagged,
      note,
      recordedBy: principal.userId,
      now,
    })
    return savedLine(item.kind, row)
  })
}

function savedLine(
  kind: LineKind,
  row: {
    plan_item_id: number
    value_number: number | null
    value_text: string | null
    passed: boolean | null
    flagged: boolean
    note: string | null
    recorded_at: Date
  },
): SavedLine {
  return {
    planItemId: row.plan_item_id,
    value: formValueOf(kind, {
      valueNumber: row.value_number,
      valueText: row.value_text,
      passed: row.passed,
    }),
    note: row.note ?? '',
    passed: row.passed,
    flagged: row.flagged,
    recordedAt: row.recorded_at.toISOString(),
  }
}

/** A plan line of this visit (any version), for linking findings. */
async function requireVisitLine(trx: DbOrTrx, visitId: number, planItemId: number | undefined) {
  if (planItemId === undefined) return null
  const item = await findPlanItem(trx, planItemId)
  if (!item || item.visitId !== visitId) {
    throw new ValidationError('planItemId', 'onsite.errors.lineUnknown')
  }
  return item.id
}

/**
 * Saves a finding under the page's client key: a retried save never makes a
 * second finding, and saving again under the same key edits it.
 */
export async function saveFinding(
  db: Db,
  principal: Principal,
  visitId: number,
  input: unknown,
  options: CommandOptions = {},
) {
  const access = await visitAccess(db, principal, visitId)
  requireRecorder(access, principal)
  const parsed = findingSchema.safeParse(input)
  if (!parsed.success) throw invalid(parsed.error)
  const f = parsed.data
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    await lockOnSite(trx, visitId, 'RECORD')
    const planItemId = await requireVisitLine(trx, visitId, f.planItemId)
    return upsertFinding(trx, {
      visitId,
      clientKey: f.clientKey,
      severity: f.severity,
      title: f.title,
      description: f.description,
      recommendation: f.recommendation,
      planItemId,
      createdBy: principal.userId,
      now,
    })
  })
}

/** Removes a finding and its photos (the files after the commit). */
export async function deleteFinding(
  db: Db,
  storage: { delete(key: string): Promise<void> },
  principal: Principal,
  visitId: number,
  findingId: number,
) {
  const access = await visitAccess(db, principal, visitId)
  requireRecorder(access, principal)
  const keys = await db.transaction().execute(async (trx) => {
    await lockOnSite(trx, visitId, 'RECORD')
    const photos = await photosOfFinding(trx, findingId)
    const removed = await deleteFindingRow(trx, visitId, findingId)
    if (!removed) throw new NotFoundError('finding', findingId)
    const rows = await deletePhotoRows(
      trx,
      visitId,
      photos.map((p) => p.id),
    )
    return rows.map((r) => r.storage_key)
  })
  await removeFiles(storage, keys)
}

/** Saves a follow-up action (what, who, by when) under the page's client key. */
export async function saveFollowUpAction(
  db: Db,
  principal: Principal,
  visitId: number,
  input: unknown,
  options: CommandOptions = {},
) {
  const access = await visitAccess(db, principal, visitId)
  requireRecorder(access, principal)
  const parsed = followUpSchema.safeParse(input)
  if (!parsed.success) throw invalid(parsed.error)
  const a = parsed.data
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    await lockOnSite(trx, visitId, 'RECORD')
    return upsertFollowUpAction(trx, {
      visitId,
      clientKey: a.clientKey,
      description: a.description,
      owner: a.owner,
      dueOn: a.dueOn ?? null,
      createdBy: principal.userId,
      now,
    })
  })
}

export async function deleteFollowUpAction(
  db: Db,
  principal: Principal,
  visitId: number,
  actionId: number,
) {
  const access = await visitAccess(db, principal, visitId)
  requireRecorder(access, principal)
  await db.transaction().execute(async (trx) => {
    await lockOnSite(trx, visitId, 'RECORD')
    const removed = await deleteFollowUpActionRow(trx, visitId, actionId)
    if (!removed) throw new NotFoundError('follow_up_action', actionId)
  })
}

/** Where photo bodies live (app/storage implements it). */
export interface PhotoStore {
  put(key: string, data: Uint8Array): Promise<void>
  delete(key: string): Promise<void>
}

export interface UploadedPhoto {
  name: string
  bytes: Uint8Array
}

/**
 * Routes call it before reading an upload's body: a team member or the case
 * steward, while the visit is on site.
 */
export async function requirePhotoUploader(db: Db, principal: Principal, visitId: number) {
  const access = await visitAccess(db, principal, visitId)
  requireRecorder(access, principal)
  if (access.visit.status !== 'on_site') {
    throw new TransitionNotAllowedError(access.visit.status, 'RECORD')
  }
  return access
}

/**
 * Stores photos of the visit (or of one of its findings). Every file is
 * checked first — by content, not name — and one refused file refuses the
 * whole upload: no row, no file.
 */
export async function addPhotos(
  db: Db,
  storage: PhotoStore,
  principal: Principal,
  visitId: number,
  files: UploadedPhoto[],
  fields: unknown,
) {
  await requirePhotoUploader(db, principal, visitId)
  const parsed = photoFieldsSchema.safeParse(fields)
  if (!parsed.success) throw invalid(parsed.error)
  if (files.length === 0) throw new ValidationError('photos', 'onsite.errors.noPhoto')
  if (files.length > MAX_PHOTOS_PER_UPLOAD) {
    throw new ValidationError('photos', 'onsite.errors.tooManyPhotosAtOnce')
  }
  const checked: { file: UploadedPhoto; kind: PhotoKind }[] = []
  for (const file of files) {
    const result = checkPhoto(file.bytes)
    if (!result.ok) throw new ValidationError('photos', `onsite.errors.${result.error}`)
    checked.push({ file, kind: result.kind })
  }
  const { findingId, caption } = parsed.data
  const stored: string[] = []
  try {
    return await db.transaction().execute(async (trx) => {
      await lockOnSite(trx, visitId, 'RECORD')
      if (findingId !== undefined) {
        const finding = await findFinding(trx, findingId)
        if (!finding || finding.visit_id !== visitId) {
          throw new ValidationError('findingId', 'onsite.errors.findingUnknown')
        }
      }
      if ((await countPhotos(trx, visitId)) + checked.length > MAX_PHOTOS_PER_VISIT) {
        throw new ValidationError('photos', 'onsite.errors.tooManyPhotos')
      }
      const rows = checked.map(({ file, kind }) => ({
        visitId,
        findingId: findingId ?? null,
        filename: photoFilename(file.name, kind),
        contentType: PHOTO_KINDS[kind].contentType,
        sizeBytes: file.bytes.byteLength,
        storageKey: `visits/${visitId}/photos/${randomUUID()}`,
        caption,
        uploadedBy: principal.userId,
      }))
      const inserted = await insertPhotos(trx, rows)
      // Last, so a failed write rolls the rows back.
      for (const [i, row] of rows.entries()) {
        await storage.put(row.storageKey, (checked[i] as (typeof checked)[number]).file.bytes)
        stored.push(row.storageKey)
      }
      return inserted
    })
  } catch (err) {
    // A failed write or commit after some files were written: leave no orphans.
    await removeFiles(storage, stored)
    throw err
  }
}

export async function deletePhoto(
  db: Db,
  storage: PhotoStore,
  principal: Principal,
  visitId: number,
  photoId: number,
) {
  const access = await visitAccess(db, principal, visitId)
  requireRecorder(access, principal)
  const keys = await db.transaction().execute(async (trx) => {
    await lockOnSite(trx, visitId, 'RECORD')
    const rows = await deletePhotoRows(trx, visitId, [photoId])
    if (rows.length === 0) throw new NotFoundError('visit_photo', photoId)
    return rows.map((r) => r.storage_key)
  })
  await removeFiles(storage, keys)
}

async function removeFiles(storage: Pick<PhotoStore, 'delete'>, keys: string[]) {
  for (const key of keys) await storage.delete(key).catch(() => {})
}

/** A photo's record for whoever may see the visit's records. */
export async function photoForDownload(db: Db, principal: Principal, photoId: number) {
  const photo = await findPhoto(db, photoId)
  if (!photo) throw new NotFoundError('visit_photo', photoId)
  const access = await visitAccess(db, principal, photo.visit_id).catch((err) => {
    // Out of scope: the photo does not exist for this principal.
    if (err instanceof NotFoundError) throw new NotFoundError('visit_photo', photoId)
    throw err
  })
  if (!access.readsRecords) throw new NotFoundError('visit_photo', photoId)
  return photo
}

/**
 * The current plan's lines, each with what was recorded on it. A line the
 * plan carried over from an earlier version (same template line, or same
 * label and kind) shows what was recorded on its earlier self until it is
 * recorded again.
 */
export async function linesOf(db: DbOrTrx, visitId: number) {
  const plan = await currentPlanOf(db, visitId)
  if (!plan) return { plan: null, lines: [] }
  const [items, records, everyItem] = await Promise.all([
    planItemsOf(db, plan.id),
    recordsOf(db, visitId),
    allPlanItemsOf(db, visitId),
  ])
  const byItem = new Map(records.map((r) => [r.plan_item_id, r]))
  const sameLine = (a: LineIdentity, b: LineIdentity) =>
    a.kind === b.kind &&
    (a.template_item_id !== null
      ? a.template_item_id === b.template_item_id
      : b.template_item_id === null && a.label_zh === b.label_zh)
  const earlier = everyItem
    .filter((i) => i.version < plan.version && byItem.has(i.id))
    .sort((a, b) => b.version - a.version)
  return {
    plan,
    lines: items.map((item) => {
      const own = byItem.get(item.id)
      const carried = own ? undefined : earlier.find((e) => sameLine(e, item))
      const r = own ?? (carried ? byItem.get(carried.id) : undefined)
      return {
        item,
        record: r
          ? {
              ...savedLine(item.kind, r),
              planItemId: item.id,
              valueNumber: r.value_number,
              recorderName: r.recorderName,
              fromVersion: carried ? carried.version : null,
            }
          : null,
      }
    }),
  }
}

interface LineIdentity {
  kind: string
  template_item_id: number | null
  label_zh: string
}

/** Everything the on-site page shows, and what the principal may do there. */
export async function onsiteView(db: Db, principal: Principal, visitId: number) {
  const access = await visitAccess(db, principal, visitId)
  if (!access.isUnionReader) throw new ForbiddenError('the on-site page is for the team')
  const [plan, findings, photos, actions, members, report, workflow] = await Promise.all([
    linesOf(db, visitId),
    findingsOf(db, visitId),
    photosOf(db, visitId),
    followUpActionsOf(db, visitId),
    visitMembersOf(db, visitId),
    findReport(db, visitId),
    findWorkflowInstance(db, ref(visitId)),
  ])
  const canCheckIn =
    access.recorderRole !== null &&
    workflow !== undefined &&
    allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, [
      { type: 'CHECK_IN', actor: { userId: principal.userId, role: access.recorderRole } },
    ]).length > 0
  const canSubmit =
    access.isCaseSteward &&
    workflow !== undefined &&
    allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, [
      { type: 'SUBMIT_REPORT', actor: { userId: principal.userId, role: 'steward' } },
    ]).length > 0
  return {
    visit: access.visit,
    plan: plan.plan,
    lines: plan.lines,
    findings,
    photos,
    actions,
    members,
    report,
    can: {
      checkIn: canCheckIn,
      record: access.recorderRole !== null && access.visit.status === 'on_site',
      submit: canSubmit,
    },
  }
}
