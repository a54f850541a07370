import type { Db, DbOrTrx } from '#db/client.server.ts'
import { templateItemsOf } from '#db/queries/checklist-templates.ts'
import { insertPlan, insertPlanItems, type PlanLine } from '#db/queries/inspection-plans.ts'
import { findNeedsList } from '#db/queries/needs-lists.ts'
import { pairingsOf } from '#db/queries/pairing.ts'
import {
  BUSY_VISIT_STATES,
  expertAvailability,
  findVisit,
  insertVisit,
  membersOf,
  nextVisitSequence,
  saveVisitMembers,
  setCounterNote,
  setVisitTime,
  unionUsersNear,
  type VisitMemberInput,
  visitsInScope,
  visitsOfList,
} from '#db/queries/visits.ts'
import { findWorkflowInstance, lockWorkflowInstance } from '#db/queries/workflow.ts'
import { isAssignedSteward, membershipFor, type Principal, requireCaseSteward } from '../access.ts'
import type { Actor } from '../actor.ts'
import {
  allowedEvents,
  type DispatchResult,
  dispatchInTransaction,
  startWorkflow,
} from '../dispatch.ts'
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  TransitionNotAllowedError,
  ValidationError,
} from '../errors.ts'
import { type VisitConflict, visitConflicts } from '../inspection/conflicts.ts'
import {
  cancelVisitSchema,
  counterProposeSchema,
  rescheduleSchema,
  type ScheduleVisitInput,
  scheduleVisitSchema,
  type UpdateTeamInput,
  updateTeamSchema,
} from '../inspection/visit.schema.ts'
import { beijingDateTime } from '../resource-list/schema.ts'
import { firstIssue, templatesForPlanning } from './checklist-templates.ts'
import type { CommandOptions } from './needs-lists.ts'

const LIST = 'needs_list'
const VISIT = 'visit'
const listRef = (id: number) => ({ subjectType: LIST, subjectId: id })
const visitRef = (id: number) => ({ subjectType: VISIT, subjectId: id })

/** Case states in which visits may be scheduled. */
export const SCHEDULING_STATES = ['paired', 'in_service', 'outcomes'] as const

/**
 * The team has experts who cannot well be there (weekday, blackout, another
 * visit). A warning: the steward schedules anyway with `acknowledgeConflicts`.
 */
export class VisitConflictsError extends DomainError {
  constructor(readonly conflicts: readonly VisitConflict[]) {
    super('validation', `${conflicts.length} scheduling conflict(s)`, {
      field: 'acknowledgeConflicts',
      messageKey: 'visits.errors.conflicts',
      conflicts,
    })
  }
}

async function loadList(db: DbOrTrx, id: number) {
  const list = await findNeedsList(db, id)
  if (!list) throw new NotFoundError('needs_list', id)
  const scope = {
    orgPath: list.orgPath,
    enterpriseId: list.enterprise_id,
    stewardUserId: list.steward_user_id,
  }
  return { list, scope }
}

function stewardActor(principal: Principal): Actor {
  return { userId: principal.userId, role: 'steward' }
}

/** Named members (cadre, others): a sign-in must be a union user of the case's branch. */
async function namedMembers(
  db: DbOrTrx,
  orgPath: string,
  input: Pick<UpdateTeamInput, 'cadre' | 'others'>,
): Promise<VisitMemberInput[]> {
  const wanted = [
    ...(input.cadre && (input.cadre.name || input.cadre.userId !== undefined)
      ? [{ role: 'cadre' as const, field: 'cadre', ...input.cadre }]
      : []),
    ...input.others.map((o, n) => ({ role: 'other' as const, field: `others[${n}]`, ...o })),
  ]
  if (wanted.length === 0) return []
  const users = wanted.some((w) => w.userId !== undefined) ? await unionUsersNear(db, orgPath) : []
  return wanted.map((w) => {
    if (w.userId === undefined) {
      if (w.name.length < 2)
        throw new ValidationError(`${w.field}.name`, 'visits.errors.memberName')
      return { role: w.role, userId: null, expertId: null, name: w.name }
    }
    const user = users.find((u) => u.id === w.userId)
    if (!user) throw new ValidationError(`${w.field}.userId`, 'visits.errors.memberUser')
    return { role: w.role, userId: user.id, expertId: null, name: w.name || user.name }
  })
}

/** The paired experts chosen for the team (each must be paired on this case). */
async function expertMembers(
  db: DbOrTrx,
  listId: number,
  expertIds: readonly number[],
): Promise<VisitMemberInput[]> {
  const pairings = await pairingsOf(db, listId)
  return expertIds.map((id) => {
    const p = pairings.find((x) => x.expert_id === id)
    if (!p) throw new ValidationError('expertIds', 'visits.errors.notPaired')
    return { role: 'expert', userId: p.expertUserId, expertId: id, name: p.expertName }
  })
}

async function stewardMember(db: DbOrTrx, stewardUserId: number): Promise<VisitMemberInput> {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'name'])
    .where('id', '=', stewardUserId)
    .executeTakeFirstOrThrow()
  return { role: 'steward', userId: user.id, expertId: null, name: user.name }
}

/** Sign-ins of the team, for the visit workflow (who may check in, who is told). */
export function memberUserIds(members: readonly VisitMemberInput[]): number[] {
  return [...new Set(members.map((m) => m.userId).filter((u): u is number => u !== null))]
}

/** Conflict warnings of a slot for the experts of a team. */
export async function conflictsFor(
  db: DbOrTrx,
  slot: { startsAt: Date; durationMinutes: number },
  expertIds: readonly number[],
  excludeVisitId?: number,
): Promise<VisitConflict[]> {
  const availability = await expertAvailability(db, expertIds)
  return visitConflicts(slot, availability, excludeVisitId)
}

function toPlanLines(rows: Awaited<ReturnType<typeof templateItemsOf>>): PlanLine[] {
  return rows.map((r) => ({
    templateItemId: r.id,
    sectionZh: r.section_zh,
    sectionEn: r.section_en,
    labelZh: r.label_zh,
    labelEn: r.label_en,
    kind: r.kind,
    unit: r.unit,
    min: r.min_value,
    max: r.max_value,
    guidanceZh: r.guidance_zh,
    guidanceEn: r.guidance_en,
  }))
}

/** Active templates by id, in the order asked; an unknown or inactive one is a validation error. */
async function activeTemplates(db: DbOrTrx, ids: readonly number[]) {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('checklist_template')
    .select(['id', 'active'])
    .where('id', 'in', [...ids])
    .execute()
  for (const id of ids) {
    if (!rows.some((r) => r.id === id && r.active)) {
      throw new ValidationError('templateIds', 'visits.errors.unknownTemplate')
    }
  }
  return [...ids]
}

/**
 * SCHEDULE_VISIT on the case (paired → in_service; recorded again in
 * in_service / outcomes). xstate's `can()` treats a transition with neither
 * target nor actions as not allowed, so while the machine's self-transitions
 * in in_service / outcomes are targetless the dispatch there is refused
 * before anything is written: the visit stands and the case (already in the
 * right state) is left as it is. Returns the case workflow version.
 */
async function caseScheduled(
  trx: DbOrTrx,
  listId: number,
  row: { state: string; version: number },
  event: { type: 'SCHEDULE_VISIT'; actor: Actor } & Record<string, unknown>,
  options: CommandOptions,
): Promise<number> {
  try {
    return (await dispatchInTransaction(trx, listRef(listId), event, options)).version
  } catch (err) {
    if (row.state !== 'paired' && err instanceof TransitionNotAllowedError) return row.version
    throw err
  }
}

export interface ScheduleVisitOptions extends CommandOptions {
  /** The case workflow version the page saw. */
  expectedVersion?: number
}

export interface ScheduledVisit {
  visitId: number
  sequence: number
  planId: number
  /** The warnings the steward acknowledged (empty when there were none). */
  conflicts: VisitConflict[]
  /** The case workflow's new version. */
  version: number
}

/**
 * The case steward schedules a visit (inspection, follow-up, training) of a
 * case in paired / in_service / outcomes. In one transaction: the visit
 * (numbered within the case), its team (chosen paired experts, the steward
 * always, optionally a stationed cadre and others), plan version 1 with the
 * templates' lines copied, the visit's workflow (proposed: the enterprise is
 * asked to confirm) and SCHEDULE_VISIT on the case. Conflicts of the experts'
 * days are warnings: without `acknowledgeConflicts` they are refused with
 * VisitConflictsError (nothing written) so the page can show them first.
 */
export async function scheduleVisit(
  db: Db,
  principal: Principal,
  listId: number,
  input: unknown,
  options: ScheduleVisitOptions = {},
): Promise<ScheduledVisit> {
  const { list, scope } = await loadList(db, listId)
  requireCaseSteward(principal, scope)
  const parsed = scheduleVisitSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const v: ScheduleVisitInput = parsed.data
  const startsAt = beijingDateTime(v.startsAt) as Date
  const now = options.now ?? new Date()
  if (startsAt.getTime() <= now.getTime()) {
    throw new ValidationError('startsAt', 'visits.errors.past')
  }
  const actor = stewardActor(principal)
  return db.transaction().execute(async (trx) => {
    const row = await lockWorkflowInstance(trx, listRef(listId))
    if (!row) throw new NotFoundError('workflow', listId)
    if (options.expectedVersion !== undefined && options.expectedVersion !== row.version) {
      throw new ConflictError(options.expectedVersion, row.version)
    }
    if (!(SCHEDULING_STATES as readonly string[]).includes(row.state)) {
      throw new TransitionNotAllowedError(row.state, 'SCHEDULE_VISIT')
    }
    const items = await trx
      .selectFrom('confirmed_item')
      .select(['id', 'place', 'position'])
      .where('needs_list_id', '=', listId)
      .orderBy('position')
      .execute()
    for (const id of v.itemIds) {
      if (!items.some((i) => i.id === id)) {
        throw new ValidationError('itemIds', 'visits.errors.unknownItem')
      }
    }
    const place =
      v.place ??
      items.find((i) => v.itemIds.includes(i.id) && i.place?.trim())?.place?.trim() ??
      (await trx
        .selectFrom('enterprise')
        .select('address')
        .where('id', '=', list.enterprise_id)
        .executeTakeFirst()
        .then((e) => e?.address?.trim() || undefined))
    if (!place || place.length < 2) throw new ValidationError('place', 'visits.errors.place')
    const templateIds = await activeTemplates(trx, v.templateIds)

    const members = [
      await stewardMember(trx, principal.userId),
      ...(await expertMembers(trx, listId, v.expertIds)),
      ...(await namedMembers(trx, list.orgPath, v)),
    ]
    const conflicts = await conflictsFor(
      trx,
      { startsAt, durationMinutes: v.durationMinutes },
      v.expertIds,
    )
    if (conflicts.length > 0 && !v.acknowledgeConflicts) throw new VisitConflictsError(conflicts)

    const sequence = await nextVisitSequence(trx, listId)
    const visitId = await insertVisit(trx, {
      listId,
      sequence,
      kind: v.kind,
      startsAt,
      durationMinutes: v.durationMinutes,
      place,
      createdBy: principal.userId,
      now,
    })
    await saveVisitMembers(trx, visitId, members)
    const planId = await insertPlan(trx, {
      visitId,
      version: 1,
      objectives: v.objectives ?? null,
      notes: v.notes ?? null,
      itemIds: v.itemIds,
      templateIds,
      createdBy: principal.userId,
      now,
    })
    await insertPlanItems(trx, planId, toPlanLines(await templateItemsOf(trx, templateIds)))
    await startWorkflow(trx, visitRef(visitId), actor, {
      ...options,
      now,
      input: {
        stewardId: principal.userId,
        memberUserIds: memberUserIds(members),
        startsAt: startsAt.toISOString(),
      },
    })
    const version = await caseScheduled(
      trx,
      listId,
      row,
      {
        type: 'SCHEDULE_VISIT',
        actor,
        visitId,
        sequence,
        startsAt: startsAt.toISOString(),
      },
      { ...options, now },
    )
    return { visitId, sequence, planId, conflicts, version }
  })
}

// ---------------------------------------------------------------------------
// The visit's own workflow: confirm, counter-propose, reschedule, cancel, team.

export interface VisitCommandOptions extends CommandOptions {
  /** The visit workflow version the page saw. */
  expectedVersion?: number
}

async function loadVisit(db: DbOrTrx, visitId: number) {
  const visit = await findVisit(db, visitId)
  if (!visit) throw new NotFoundError('visit', visitId)
  const scope = {
    orgPath: visit.orgPath,
    enterpriseId: visit.enterpriseId,
    stewardUserId: visit.stewardUserId,
  }
  return { visit, scope }
}

function enterpriseActor(
  principal: Principal,
  scope: { orgPath: string; enterpriseId: number | null },
): Actor {
  if (!membershipFor(principal, scope, ['enterprise_contact'])) {
    throw new ForbiddenError("only the case's enterprise may do this")
  }
  return { userId: principal.userId, role: 'enterprise_contact' }
}

function send(
  trx: DbOrTrx,
  visitId: number,
  event: { type: string; actor: Actor } & Record<string, unknown>,
  options: VisitCommandOptions,
): Promise<DispatchResult> {
  return dispatchInTransaction(trx, visitRef(visitId), event, options)
}

/** The enterprise confirms the proposed time (CONFIRM: proposed → scheduled; the day-before reminder is set). */
export async function confirmVisit(
  db: Db,
  principal: Principal,
  visitId: number,
  options: VisitCommandOptions = {},
): Promise<DispatchResult> {
  const { scope } = await loadVisit(db, visitId)
  const actor = enterpriseActor(principal, scope)
  return db.transaction().execute((trx) => send(trx, visitId, { type: 'CONFIRM', actor }, options))
}

/**
 * The enterprise proposes another time with a note (COUNTER_PROPOSE: stays
 * proposed, or a scheduled visit goes back to proposed); the steward reschedules.
 */
export async function counterProposeVisit(
  db: Db,
  principal: Principal,
  visitId: number,
  input: unknown,
  options: VisitCommandOptions = {},
): Promise<DispatchResult> {
  const { scope } = await loadVisit(db, visitId)
  const actor = enterpriseActor(principal, scope)
  const parsed = counterProposeSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const startsAt = beijingDateTime(parsed.data.startsAt) as Date
  const now = options.now ?? new Date()
  if (startsAt.getTime() <= now.getTime()) {
    throw new ValidationError('startsAt', 'visits.errors.past')
  }
  const note = parsed.data.note ?? null
  return db.transaction().execute(async (trx) => {
    const result = await send(
      trx,
      visitId,
      { type: 'COUNTER_PROPOSE', actor, startsAt: startsAt.toISOString(), note: note ?? undefined },
      { ...options, now },
    )
    await setCounterNote(trx, visitId, note)
    return result
  })
}

/** Expert ids of the visit's team. */
async function teamExpertIds(db: DbOrTrx, visitId: number): Promise<number[]> {
  const members = await membersOf(db, visitId)
  return members.map((m) => m.expert_id).filter((id): id is number => id !== null)
}

/**
 * The case steward moves the visit (RESCHEDULE with a reason: back to proposed,
 * the enterprise confirms again). Conflicts are warnings as when scheduling.
 */
export async function rescheduleVisit(
  db: Db,
  principal: Principal,
  visitId: number,
  input: unknown,
  options: VisitCommandOptions = {},
): Promise<DispatchResult & { conflicts: VisitConflict[] }> {
  const { visit, scope } = await loadVisit(db, visitId)
  requireCaseSteward(principal, scope)
  const parsed = rescheduleSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const startsAt = beijingDateTime(parsed.data.startsAt) as Date
  const now = options.now ?? new Date()
  if (startsAt.getTime() <= now.getTime()) {
    throw new ValidationError('startsAt', 'visits.errors.past')
  }
  const actor = stewardActor(principal)
  return db.transaction().execute(async (trx) => {
    const conflicts = await conflictsFor(
      trx,
      { startsAt, durationMinutes: visit.duration_minutes },
      await teamExpertIds(trx, visitId),
      visitId,
    )
    if (conflicts.length > 0 && !parsed.data.acknowledgeConflicts) {
      throw new VisitConflictsError(conflicts)
    }
    const result = await send(
      trx,
      visitId,
      {
        type: 'RESCHEDULE',
        actor,
        startsAt: startsAt.toISOString(),
        reason: parsed.data.reason,
        from: visit.starts_at.toISOString(),
      },
      { ...options, now },
    )
    await setVisitTime(trx, visitId, startsAt, now)
    return { ...result, conflicts }
  })
}

/** The case steward cancels the visit with a reason (CANCEL: → cancelled; team and enterprise told). */
export async function cancelVisit(
  db: Db,
  principal: Principal,
  visitId: number,
  input: unknown,
  options: VisitCommandOptions = {},
): Promise<DispatchResult> {
  const { scope } = await loadVisit(db, visitId)
  requireCaseSteward(principal, scope)
  const parsed = cancelVisitSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const actor = stewardActor(principal)
  return db
    .transaction()
    .execute((trx) =>
      send(trx, visitId, { type: 'CANCEL', actor, reason: parsed.data.reason }, options),
    )
}

/**
 * The case steward changes the team (UPDATE_TEAM, before check-in): paired
 * experts, the cadre and others; the steward stays on it. New experts'
 * conflicts are warnings as when scheduling.
 */
export async function updateVisitTeam(
  db: Db,
  principal: Principal,
  visitId: number,
  input: unknown,
  options: VisitCommandOptions = {},
): Promise<DispatchResult & { conflicts: VisitConflict[] }> {
  const { visit, scope } = await loadVisit(db, visitId)
  requireCaseSteward(principal, scope)
  const parsed = updateTeamSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const team = parsed.data
  const actor = stewardActor(principal)
  return db.transaction().execute(async (trx) => {
    const before = await membersOf(trx, visitId)
    const steward =
      before.find((m) => m.role === 'steward' && m.user_id === principal.userId) ?? null
    const members: VisitMemberInput[] = [
      steward
        ? { role: 'steward', userId: steward.user_id, expertId: null, name: steward.name }
        : await stewardMember(trx, principal.userId),
      ...(await expertMembers(trx, visit.needs_list_id, team.expertIds)),
      ...(await namedMembers(trx, visit.orgPath, team)),
    ]
    const had = new Set(before.map((m) => m.expert_id))
    const added = team.expertIds.filter((id) => !had.has(id))
    const conflicts = await conflictsFor(
      trx,
      { startsAt: visit.starts_at, durationMinutes: visit.duration_minutes },
      added,
      visitId,
    )
    if (conflicts.length > 0 && !team.acknowledgeConflicts) throw new VisitConflictsError(conflicts)
    const result = await send(
      trx,
      visitId,
      { type: 'UPDATE_TEAM', actor, memberUserIds: memberUserIds(members) },
      options,
    )
    await saveVisitMembers(trx, visitId, members)
    return { ...result, conflicts }
  })
}

// ---------------------------------------------------------------------------
// Reading: who sees a visit, and what the pages show.

type VisitRow = NonNullable<Awaited<ReturnType<typeof findVisit>>>
type MemberRow = Awaited<ReturnType<typeof membersOf>>[number]

/** Union roles that read visits of their org's subtree. */
const UNION_READERS = ['coordinator', 'federation_admin', 'steward'] as const

/**
 * Who may see a visit (and download its calendar file): its team members,
 * the case steward, the enterprise's contacts and union users of the case's
 * subtree. An expert sees only visits they are on.
 */
export function mayReadVisit(
  principal: Principal,
  visit: Pick<VisitRow, 'orgPath' | 'enterpriseId' | 'stewardUserId'>,
  members: readonly Pick<MemberRow, 'user_id'>[],
): boolean {
  if (members.some((m) => m.user_id === principal.userId)) return true
  const scope = {
    orgPath: visit.orgPath,
    enterpriseId: visit.enterpriseId,
    stewardUserId: visit.stewardUserId,
  }
  return membershipFor(principal, scope, ['enterprise_contact', ...UNION_READERS]) !== undefined
}

export async function requireVisitRead(db: DbOrTrx, principal: Principal, visitId: number) {
  const visit = await findVisit(db, visitId)
  if (!visit) throw new NotFoundError('visit', visitId)
  const members = await membersOf(db, visitId)
  if (!mayReadVisit(principal, visit, members)) throw new ForbiddenError('not your visit')
  return { visit, members }
}

const UPCOMING = new Set(['proposed', 'scheduled'])

/** Which visit actions the principal may take now, through the visit workflow. */
async function visitActions(
  db: DbOrTrx,
  principal: Principal,
  visit: VisitRow,
  members: readonly MemberRow[],
) {
  const wf = await findWorkflowInstance(db, visitRef(visit.id))
  if (!wf) throw new NotFoundError('workflow', visit.id)
  const scope = {
    orgPath: visit.orgPath,
    enterpriseId: visit.enterpriseId,
    stewardUserId: visit.stewardUserId,
  }
  const candidates: ({ type: string; actor: Actor } & Record<string, unknown>)[] = []
  if (membershipFor(principal, scope, ['enterprise_contact'])) {
    const actor: Actor = { userId: principal.userId, role: 'enterprise_contact' }
    candidates.push(
      { type: 'CONFIRM', actor },
      { type: 'COUNTER_PROPOSE', actor, startsAt: new Date(0).toISOString() },
    )
  }
  const isSteward = isAssignedSteward(principal, scope)
  if (isSteward) {
    const actor = stewardActor(principal)
    candidates.push(
      { type: 'RESCHEDULE', actor, startsAt: new Date(0).toISOString(), reason: 'xx' },
      { type: 'CANCEL', actor, reason: 'xx' },
      { type: 'UPDATE_TEAM', actor, memberUserIds: [] },
    )
  }
  const allowed = new Set(allowedEvents(VISIT, wf.snapshot, wf.machine_version, candidates))
  const onTeam = isSteward || members.some((m) => m.user_id === principal.userId)
  return {
    version: wf.version,
    can: {
      confirm: allowed.has('CONFIRM'),
      counterPropose: allowed.has('COUNTER_PROPOSE'),
      reschedule: allowed.has('RESCHEDULE'),
      cancel: allowed.has('CANCEL'),
      updateTeam: allowed.has('UPDATE_TEAM'),
      onsite: onTeam && ['scheduled', 'on_site'].includes(visit.status),
      report: ['on_site', 'reported', 'report_confirmed'].includes(visit.status),
    },
  }
}

function memberView(m: MemberRow) {
  return { id: m.id, role: m.role, name: m.name, userId: m.user_id, expertId: m.expert_id }
}

/** The visit page: details, team, plan summary, conflicts while ahead, and the actions by role. */
export async function visitView(db: Db, principal: Principal, visitId: number) {
  const { visit, members } = await requireVisitRead(db, principal, visitId)
  const [list, plan, actions] = await Promise.all([
    findNeedsList(db, visit.needs_list_id),
    db
      .selectFrom('inspection_plan')
      .selectAll()
      .where('visit_id', '=', visitId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst(),
    visitActions(db, principal, visit, members),
  ])
  if (!list) throw new NotFoundError('needs_list', visit.needs_list_id)
  const [lines, items, pairings, unionUsers] = await Promise.all([
    plan
      ? db
          .selectFrom('plan_item')
          .select(['section_zh', 'section_en', 'kind'])
          .where('plan_id', '=', plan.id)
          .orderBy('position')
          .execute()
      : Promise.resolve([]),
    db
      .selectFrom('confirmed_item')
      .select(['id', 'title'])
      .where('needs_list_id', '=', visit.needs_list_id)
      .orderBy('position')
      .execute(),
    actions.can.updateTeam ? pairingsOf(db, visit.needs_list_id) : Promise.resolve([]),
    actions.can.updateTeam ? unionUsersNear(db, visit.orgPath) : Promise.resolve([]),
  ])
  const sections: { zh: string; en: string; count: number }[] = []
  for (const l of lines) {
    const zh = l.section_zh ?? ''
    const last = sections.at(-1)
    if (last && last.zh === zh) last.count++
    else sections.push({ zh, en: l.section_en ?? zh, count: 1 })
  }
  const expertIds = members.map((m) => m.expert_id).filter((id): id is number => id !== null)
  const conflicts = UPCOMING.has(visit.status)
    ? await conflictsFor(
        db,
        { startsAt: visit.starts_at, durationMinutes: visit.duration_minutes },
        expertIds,
        visit.id,
      )
    : []
  return {
    visit: {
      id: visit.id,
      sequence: visit.sequence,
      kind: visit.kind,
      status: visit.status,
      startsAt: visit.starts_at,
      durationMinutes: visit.duration_minutes,
      place: visit.place,
      counterStartsAt: visit.counter_starts_at,
      counterNote: visit.counter_note,
      cancelReason: visit.cancel_reason,
      checkedInAt: visit.checked_in_at,
      dueAt: visit.due_at,
    },
    list: {
      id: list.id,
      title: list.title,
      status: list.status,
      enterpriseName: list.enterpriseName,
    },
    team: members.map(memberView),
    plan: plan
      ? {
          version: plan.version,
          objectives: plan.objectives,
          notes: plan.notes,
          lineCount: lines.length,
          sections,
          items: items.filter((i) => plan.item_ids.includes(i.id)),
        }
      : null,
    conflicts,
    version: actions.version,
    can: actions.can,
    /** For the team form (steward only). */
    teamOptions: {
      experts: uniqueExperts(pairings),
      unionUsers: unionUsers.map((u) => ({ id: u.id, name: u.name, orgName: u.orgName })),
    },
  }
}

function uniqueExperts(pairings: Awaited<ReturnType<typeof pairingsOf>>) {
  const out: { expertId: number; name: string; items: string[]; hasSignIn: boolean }[] = []
  for (const p of pairings) {
    const e = out.find((x) => x.expertId === p.expert_id)
    if (e) e.items.push(p.itemTitle)
    else
      out.push({
        expertId: p.expert_id,
        name: p.teamName ? `${p.teamName}（${p.expertName}）` : p.expertName,
        items: [p.itemTitle],
        hasSignIn: p.expertUserId !== null,
      })
  }
  return out
}

/**
 * The visits page of a case: its visits (an expert paired on the case sees
 * only the visits they are on) and, for the case steward while visits may be
 * scheduled, what the schedule form offers.
 */
export async function caseVisitsView(db: Db, principal: Principal, listId: number) {
  const { list, scope } = await loadList(db, listId)
  const reader =
    membershipFor(principal, scope, ['enterprise_contact', ...UNION_READERS]) !== undefined
  const all = await visitsOfList(db, listId)
  const memberRows =
    all.length === 0
      ? []
      : await db
          .selectFrom('visit_member')
          .selectAll()
          .where(
            'visit_id',
            'in',
            all.map((v) => v.id),
          )
          .execute()
  const visits = reader
    ? all
    : all.filter((v) =>
        memberRows.some((m) => m.visit_id === v.id && m.user_id === principal.userId),
      )
  if (!reader && visits.length === 0) throw new ForbiddenError('not in your scope')
  const wf = await findWorkflowInstance(db, listRef(listId))
  if (!wf) throw new NotFoundError('workflow', listId)
  // The command's own rule (see caseScheduled: the machine's in_service /
  // outcomes self-transitions are not reported by can()).
  const canSchedule =
    isAssignedSteward(principal, scope) &&
    (SCHEDULING_STATES as readonly string[]).includes(wf.state)
  const [items, pairings, templates, unionUsers, enterprise] = canSchedule
    ? await Promise.all([
        db
          .selectFrom('confirmed_item')
          .select(['id', 'title', 'place', 'mode'])
          .where('needs_list_id', '=', listId)
          .orderBy('position')
          .execute(),
        pairingsOf(db, listId),
        templatesForPlanning(db),
        unionUsersNear(db, list.orgPath),
        db
          .selectFrom('enterprise')
          .select('address')
          .where('id', '=', list.enterprise_id)
          .executeTakeFirst(),
      ])
    : [[], [], [], [], undefined]
  return {
    list: {
      id: list.id,
      title: list.title,
      status: list.status,
      enterpriseName: list.enterpriseName,
    },
    version: wf.version,
    visits: visits.map((v) => ({
      id: v.id,
      sequence: v.sequence,
      kind: v.kind,
      status: v.status,
      startsAt: v.starts_at,
      durationMinutes: v.duration_minutes,
      place: v.place,
      counterStartsAt: v.counter_starts_at,
      team: memberRows
        .filter((m) => m.visit_id === v.id)
        .sort((a, b) => a.id - b.id)
        .map((m) => ({ role: m.role, name: m.name })),
    })),
    canSchedule,
    form: canSchedule
      ? {
          items: items.map((i) => ({ id: i.id, title: i.title, place: i.place, mode: i.mode })),
          experts: uniqueExperts(pairings),
          templates,
          unionUsers: unionUsers.map((u) => ({ id: u.id, name: u.name, orgName: u.orgName })),
          defaultPlace:
            items.find((i) => i.place?.trim())?.place?.trim() ?? enterprise?.address ?? '',
        }
      : null,
  }
}

/**
 * The conflict warnings of a proposed slot for experts of the case (before
 * saving): the case steward only; the experts must be paired on the case.
 */
export async function previewVisitConflicts(
  db: Db,
  principal: Principal,
  listId: number,
  input: { startsAt: string; durationMinutes: number; expertIds: readonly number[] },
): Promise<VisitConflict[]> {
  const { scope } = await loadList(db, listId)
  requireCaseSteward(principal, scope)
  const startsAt = beijingDateTime(input.startsAt)
  if (!startsAt) throw new ValidationError('startsAt', 'visits.errors.startsAt')
  await expertMembers(db, listId, input.expertIds)
  return conflictsFor(db, { startsAt, durationMinutes: input.durationMinutes }, input.expertIds)
}

/**
 * Upcoming visits (not yet over, not cancelled or reported) of the principal:
 * those they are on the team of or steward of, and their enterprise's.
 */
export async function myVisits(db: Db, principal: Principal, now: Date) {
  const enterpriseIds = principal.memberships
    .filter((m) => m.role === 'enterprise_contact' && m.enterpriseId !== null)
    .map((m) => m.enterpriseId as number)
  const rows = await visitsInScope(
    db,
    { userId: principal.userId, orgPaths: [], enterpriseIds },
    { from: now, states: BUSY_VISIT_STATES },
  )
  return rows.map((v) => ({
    id: v.id,
    sequence: v.sequence,
    kind: v.kind,
    status: v.status,
    startsAt: v.starts_at,
    durationMinutes: v.duration_minutes,
    place: v.place,
    listId: v.needs_list_id,
    listTitle: v.listTitle,
    enterpriseName: v.enterpriseName,
    myRole: v.myRole ?? (v.stewardUserId === principal.userId ? 'steward' : null),
  }))
}

/** What the visit's calendar file (.ics) holds; readers of the visit only. */
export async function visitCalendar(db: Db, principal: Principal, visitId: number) {
  const { visit, members } = await requireVisitRead(db, principal, visitId)
  const [list, users, plan, wf] = await Promise.all([
    findNeedsList(db, visit.needs_list_id),
    db
      .selectFrom('app_user')
      .select(['id', 'name', 'email'])
      .where('id', 'in', [
        ...new Set(
          [...members.map((m) => m.user_id), visit.stewardUserId].filter(
            (u): u is number => u !== null,
          ),
        ),
        0,
      ])
      .execute(),
    db
      .selectFrom('inspection_plan')
      .select(['objectives'])
      .where('visit_id', '=', visitId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst(),
    findWorkflowInstance(db, visitRef(visitId)),
  ])
  if (!list) throw new NotFoundError('needs_list', visit.needs_list_id)
  const stewardMemberRow = members.find((m) => m.role === 'steward')
  const stewardId = stewardMemberRow?.user_id ?? visit.stewardUserId
  const steward = users.find((u) => u.id === stewardId)
  return {
    id: visit.id,
    sequence: visit.sequence,
    kind: visit.kind,
    status: visit.status,
    startsAt: visit.starts_at,
    durationMinutes: visit.duration_minutes,
    place: visit.place,
    listId: list.id,
    listTitle: list.title,
    enterpriseName: list.enterpriseName,
    objectives: plan?.objectives ?? null,
    organizer: steward ? { name: steward.name, email: steward.email } : null,
    team: members.map((m) => ({
      role: m.role,
      name: m.name,
      email: users.find((u) => u.id === m.user_id)?.email ?? null,
    })),
    /** Bumps with every change, so calendars replace the event. */
    revision: wf?.version ?? 1,
  }
}
