import type { Db, DbOrTrx } from '#db/client.server.ts'
import { confirmedItemsOf } from '#db/queries/confirmation.ts'
import { invitationsOfList } from '#db/queries/invitations.ts'
import { findNeedsList } from '#db/queries/needs-lists.ts'
import {
  agreementParties,
  confirmationsOf,
  deleteMeeting,
  expertOfUser,
  findAgreement,
  findMeeting,
  honoursOf,
  insertAgreementConfirmation,
  insertPairings,
  pairingsOf,
  saveAgreement,
  upsertMeeting,
} from '#db/queries/pairing.ts'
import { findWorkflowInstance, lockWorkflowInstance } from '#db/queries/workflow.ts'
import { agreementParty } from '#workflows/machines/needs-list.machine.ts'
import {
  hasRole,
  isAssignedSteward,
  membershipFor,
  type Principal,
  requireCaseSteward,
  requireRead,
} from '../access.ts'
import type { Actor } from '../actor.ts'
import { allowedEvents, dispatchInTransaction } from '../dispatch.ts'
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransitionNotAllowedError,
  ValidationError,
} from '../errors.ts'
import {
  agreementTermSchema,
  beijingDateTime,
  beijingToday,
  type MeetingInput,
  meetingSchema,
  oneYearFrom,
  type PairingDecision,
  pairingSchema,
} from '../resource-list/schema.ts'
import type { CommandOptions } from './needs-lists.ts'

const SUBJECT = 'needs_list'
const ref = (id: number) => ({ subjectType: SUBJECT, subjectId: id })

interface PairingContext {
  stewardId?: number | null
  pairedUserIds?: number[]
  agreementId?: number | null
  agreementConfirmedBy?: string[]
}

function contextOf(snapshot: unknown): PairingContext {
  return ((snapshot as { context?: PairingContext } | null)?.context ?? {}) as PairingContext
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

async function caseSteward(db: DbOrTrx, principal: Principal, id: number) {
  const { list, scope } = await loadList(db, id)
  requireCaseSteward(principal, scope)
  return { list, actor: { userId: principal.userId, role: 'steward' } as Actor }
}

async function lockAt(trx: DbOrTrx, id: number, expectedVersion: number | undefined) {
  const row = await lockWorkflowInstance(trx, ref(id))
  if (!row) throw new NotFoundError('workflow', id)
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new ConflictError(expectedVersion, row.version)
  }
  return row
}

function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  const issue = error.issues[0]
  const field = (issue?.path ?? [])
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
  return new ValidationError(field || 'form', issue?.message ?? 'errors.badRequest')
}

/**
 * The case steward schedules the pairing meeting (专项会议), or updates it:
 * it needs at least one accepted invitation (SCHEDULE_MEETING: inviting →
 * pairing; again in pairing for an update).
 */
export async function scheduleMeeting(
  db: Db,
  principal: Principal,
  listId: number,
  input: unknown,
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  const { actor } = await caseSteward(db, principal, listId)
  const parsed = meetingSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const meeting: MeetingInput = parsed.data
  const heldAt = beijingDateTime(meeting.heldAt) as Date
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    await lockAt(trx, listId, expectedVersion)
    const accepted = await invitationsOfList(trx, listId, ['accepted'])
    if (accepted.length === 0) {
      throw new ValidationError('heldAt', 'matching.errors.noAcceptance')
    }
    const row = await upsertMeeting(trx, {
      listId,
      heldAt,
      place: meeting.place,
      attendees: meeting.attendees.map((a) => ({ name: a.name, role: a.role })),
      notes: meeting.notes ?? null,
      recordedBy: principal.userId,
      now,
    })
    return dispatchInTransaction(
      trx,
      ref(listId),
      {
        type: 'SCHEDULE_MEETING',
        actor,
        meetingId: row.id,
        accepted: accepted.length,
        heldAt: heldAt.toISOString(),
        place: meeting.place,
      },
      { ...options, expectedVersion },
    )
  })
}

/** The case steward calls the meeting off, with a reason (CANCEL_MEETING: pairing → inviting). */
export async function cancelMeeting(
  db: Db,
  principal: Principal,
  listId: number,
  reason: string,
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  const { actor } = await caseSteward(db, principal, listId)
  const trimmed = reason.trim()
  if (trimmed.length < 2) throw new ValidationError('reason', 'matching.errors.reasonRequired')
  return db.transaction().execute(async (trx) => {
    await lockAt(trx, listId, expectedVersion)
    const meeting = await findMeeting(trx, listId)
    const result = await dispatchInTransaction(
      trx,
      ref(listId),
      { type: 'CANCEL_MEETING', actor, reason: trimmed, meetingId: meeting?.id ?? null },
      { ...options, expectedVersion },
    )
    await deleteMeeting(trx, listId)
    return result
  })
}

/**
 * The meeting confirms the one-to-one pairing (一一配对): per item, which
 * accepted invitations become pairings, with what was decided. CONFIRM_PAIRING
 * (pairing → paired) fixes the paired experts' sign-ins (a team's leader). The
 * invitations left open (pending, or accepted and not paired) are withdrawn:
 * they would hold those experts' capacity for nothing.
 */
export async function confirmPairing(
  db: Db,
  principal: Principal,
  listId: number,
  input: unknown,
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  const { actor } = await caseSteward(db, principal, listId)
  const parsed = pairingSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const decisions: PairingDecision[] = parsed.data.decisions
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    // The invitations' workflows first, then the list's (the order a decline takes).
    const open = await invitationsOfList(trx, listId, ['pending', 'accepted'])
    for (const inv of [...open].sort((a, b) => a.id - b.id)) {
      await lockWorkflowInstance(trx, { subjectType: 'invitation', subjectId: inv.id })
    }
    await lockAt(trx, listId, expectedVersion)
    const items = await confirmedItemsOf(trx, listId)
    const accepted = new Map(open.filter((i) => i.status === 'accepted').map((i) => [i.id, i]))
    const chosen: { inv: (typeof open)[number]; decision: string | null }[] = []
    const seen = new Set<number>()
    for (const [n, d] of decisions.entries()) {
      const item = items.find((i) => i.id === d.itemId)
      if (!item) throw new ValidationError(`decisions[${n}].itemId`, 'matching.errors.unknownItem')
      const ids = [...new Set(d.invitationIds)]
      if (ids.length > item.headcount) {
        throw new ValidationError(`decisions[${n}].invitationIds`, 'matching.errors.overHeadcount')
      }
      for (const id of ids) {
        const inv = accepted.get(id)
        if (!inv || inv.confirmed_item_id !== item.id || seen.has(id)) {
          throw new ValidationError(`decisions[${n}].invitationIds`, 'matching.errors.notAccepted')
        }
        seen.add(id)
        chosen.push({ inv, decision: d.decision ?? null })
      }
    }
    if (chosen.length === 0) throw new ValidationError('decisions', 'matching.errors.noPairing')
    const expertUserIds = [
      ...new Set(chosen.map((c) => c.inv.expertUserId).filter((u): u is number => u !== null)),
    ]
    const result = await dispatchInTransaction(
      trx,
      ref(listId),
      { type: 'CONFIRM_PAIRING', actor, pairings: chosen.length, expertUserIds },
      { ...options, expectedVersion },
    )
    await insertPairings(
      trx,
      chosen.map(({ inv, decision }) => ({
        listId,
        itemId: inv.confirmed_item_id,
        invitationId: inv.id,
        expertId: inv.expert_id,
        teamId: inv.team_id,
        decision,
      })),
      now,
    )
    for (const inv of open) {
      if (seen.has(inv.id)) continue
      try {
        await dispatchInTransaction(
          trx,
          { subjectType: 'invitation', subjectId: inv.id },
          { type: 'WITHDRAW', actor, notPaired: true },
          options,
        )
      } catch (err) {
        // Refused before anything was written (e.g. an invitation of an earlier steward).
        if (!(err instanceof TransitionNotAllowedError)) throw err
      }
    }
    return { ...result, pairings: chosen.length, expertUserIds }
  })
}

// ---------------------------------------------------------------------------
// The pairing service agreement (结对服务协议).

export interface AgreementContent {
  generatedAt: string
  parties: {
    enterprise: {
      name: string
      creditCode: string | null
      address: string | null
      contact: { name: string; mobile: string | null; email: string }
    }
    union: { name: string }
    steward: { name: string; mobile: string | null; email: string | null } | null
    experts: {
      expertId: number
      userId: number | null
      name: string
      employer: string | null
      jobTitle: string | null
      teamName: string | null
      honours: { type: string; level: string; year: number | null }[]
    }[]
  }
  items: {
    itemId: number
    title: string
    description: string
    expectedOutcome: string | null
    windowStart: string | null
    windowEnd: string | null
    mode: string
    place: string | null
    experts: string[]
    decision: string | null
  }[]
}

async function agreementContent(
  trx: DbOrTrx,
  listId: number,
  now: Date,
): Promise<AgreementContent> {
  const [parties, pairings, items] = await Promise.all([
    agreementParties(trx, listId),
    pairingsOf(trx, listId),
    confirmedItemsOf(trx, listId),
  ])
  if (!parties) throw new NotFoundError('needs_list', listId)
  const expertIds = [...new Set(pairings.map((p) => p.expert_id))]
  const honours = await honoursOf(trx, expertIds)
  const experts = expertIds.map((id) => {
    const p = pairings.find((x) => x.expert_id === id)
    return {
      expertId: id,
      userId: p?.expertUserId ?? null,
      name: p?.expertName ?? '',
      employer: p?.employer ?? null,
      jobTitle: p?.jobTitle ?? null,
      teamName: p?.teamName ?? null,
      honours: honours
        .filter((h) => h.expert_id === id)
        .map((h) => ({ type: h.type, level: h.level, year: h.year })),
    }
  })
  return {
    generatedAt: now.toISOString(),
    parties: {
      enterprise: {
        name: parties.enterpriseName,
        creditCode: parties.creditCode,
        address: parties.address,
        contact: {
          name: parties.contactName,
          mobile: parties.contactMobile,
          email: parties.contactEmail,
        },
      },
      union: { name: parties.orgName },
      steward: parties.stewardName
        ? { name: parties.stewardName, mobile: parties.stewardMobile, email: parties.stewardEmail }
        : null,
      experts,
    },
    items: items
      .filter((i) => pairings.some((p) => p.confirmed_item_id === i.id))
      .map((i) => {
        const mine = pairings.filter((p) => p.confirmed_item_id === i.id)
        return {
          itemId: i.id,
          title: i.title,
          description: i.description,
          expectedOutcome: i.expected_outcome,
          windowStart: i.windowStart,
          windowEnd: i.windowEnd,
          mode: i.mode,
          place: i.place,
          experts: mine.map((p) =>
            p.teamName ? `${p.teamName}（${p.expertName}）` : p.expertName,
          ),
          decision:
            mine
              .map((p) => p.decision)
              .filter((d): d is string => !!d)
              .filter((d, k, all) => all.indexOf(d) === k)
              .join('\n') || null,
        }
      }),
  }
}

/**
 * The case steward generates the agreement from the pairing (GENERATE_AGREEMENT
 * in paired): numbered 'ZQ-<year>-<6-digit id>', its term from the form
 * (default today to a year later), its text a snapshot of the parties and
 * items. Generating again rewrites it and asks every party to confirm again.
 */
export async function generateAgreement(
  db: Db,
  principal: Principal,
  listId: number,
  input: { termStart?: string; termEnd?: string },
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  const { actor } = await caseSteward(db, principal, listId)
  const now = options.now ?? new Date()
  const termStart = input.termStart || beijingToday(now)
  const parsed = agreementTermSchema.safeParse({
    termStart,
    termEnd: input.termEnd || oneYearFrom(termStart),
  })
  if (!parsed.success) throw firstIssue(parsed.error)
  return db.transaction().execute(async (trx) => {
    const row = await lockAt(trx, listId, expectedVersion)
    if (row.state !== 'paired') throw new TransitionNotAllowedError(row.state, 'GENERATE_AGREEMENT')
    const content = await agreementContent(trx, listId, now)
    const agreement = await saveAgreement(trx, {
      listId,
      year: Number(beijingToday(now).slice(0, 4)),
      termStart: parsed.data.termStart,
      termEnd: parsed.data.termEnd,
      content: content as unknown as Record<string, unknown>,
      generatedBy: principal.userId,
      now,
    })
    const result = await dispatchInTransaction(
      trx,
      ref(listId),
      { type: 'GENERATE_AGREEMENT', actor, agreementId: agreement.id, number: agreement.number },
      { ...options, expectedVersion },
    )
    return { ...result, agreementId: agreement.id, number: agreement.number }
  })
}

/** The roles through which a principal may confirm the list's agreement, as machine actors. */
function confirmingActors(
  principal: Principal,
  scope: { orgPath: string; enterpriseId: number | null; stewardUserId: number | null },
): Actor[] {
  const actors: Actor[] = []
  if (membershipFor(principal, scope, ['enterprise_contact'])) {
    actors.push({ userId: principal.userId, role: 'enterprise_contact' })
  }
  if (isAssignedSteward(principal, scope))
    actors.push({ userId: principal.userId, role: 'steward' })
  if (hasRole(principal, 'expert')) actors.push({ userId: principal.userId, role: 'expert' })
  return actors
}

/**
 * A party confirms the agreement: the enterprise (any of its contacts), the
 * case steward, or each paired expert (a team's leader). The machine refuses
 * anyone else and a second confirmation by the same party.
 */
export async function confirmAgreement(
  db: Db,
  principal: Principal,
  listId: number,
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  const { scope } = await loadList(db, listId)
  const actors = confirmingActors(principal, scope)
  if (actors.length === 0) throw new ForbiddenError('not a party to this agreement')
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    const row = await lockAt(trx, listId, expectedVersion)
    const context = contextOf(row.snapshot)
    const agreementId = context.agreementId ?? null
    if (agreementId === null) throw new TransitionNotAllowedError(row.state, 'CONFIRM_AGREEMENT')
    const confirmed = new Set(context.agreementConfirmedBy ?? [])
    const ctx = { stewardId: context.stewardId ?? null, pairedUserIds: context.pairedUserIds ?? [] }
    const parties = actors.map((a) => ({ actor: a, party: agreementParty(ctx, a) }))
    if (parties.every((p) => p.party === null)) {
      throw new ForbiddenError('not a party to this agreement')
    }
    // The first role whose party has not confirmed yet (else the machine refuses the duplicate).
    const pick =
      parties.find((p) => p.party !== null && !confirmed.has(p.party)) ??
      parties.find((p) => p.party !== null)
    const actor = pick?.actor as Actor
    const result = await dispatchInTransaction(
      trx,
      ref(listId),
      { type: 'CONFIRM_AGREEMENT', actor, agreementId },
      { ...options, expectedVersion },
    )
    const party =
      actor.role === 'enterprise_contact'
        ? 'enterprise'
        : actor.role === 'steward'
          ? 'steward'
          : 'expert'
    const expert = party === 'expert' ? await expertOfUser(trx, principal.userId) : undefined
    await insertAgreementConfirmation(trx, {
      agreementId,
      party,
      userId: principal.userId,
      expertId: expert?.id ?? null,
      now,
    })
    return { ...result, party }
  })
}

// ---------------------------------------------------------------------------
// What the pages show.

/** The pairing page: the meeting, the accepted experts per item, the pairing once confirmed. */
export async function pairingView(db: Db, principal: Principal, listId: number) {
  const { list, scope } = await loadList(db, listId)
  requireRead(principal, scope)
  const workflow = await findWorkflowInstance(db, ref(listId))
  if (!workflow) throw new NotFoundError('workflow', listId)
  const isSteward = isAssignedSteward(principal, scope)
  const [meeting, invitations, pairings, items] = await Promise.all([
    findMeeting(db, listId),
    invitationsOfList(db, listId, ['pending', 'accepted']),
    pairingsOf(db, listId),
    confirmedItemsOf(db, listId),
  ])
  const actor: Actor = { userId: principal.userId, role: 'steward' }
  const allowed = isSteward
    ? new Set(
        allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, [
          { type: 'SCHEDULE_MEETING', actor, meetingId: 0, accepted: 1 },
          { type: 'CANCEL_MEETING', actor, reason: 'xx' },
          { type: 'CONFIRM_PAIRING', actor, pairings: 1, expertUserIds: [] },
          { type: 'GENERATE_AGREEMENT', actor, agreementId: 0 },
        ]),
      )
    : new Set<string>()
  const accepted = invitations.filter((i) => i.status === 'accepted')
  return {
    list: {
      id: list.id,
      title: list.title,
      status: list.status,
      enterpriseName: list.enterpriseName,
    },
    version: workflow.version,
    meeting: meeting && list.status !== 'inviting' ? meeting : null,
    items: items.map((i) => ({
      id: i.id,
      title: i.title,
      headcount: i.headcount,
      accepted: accepted
        .filter((a) => a.confirmed_item_id === i.id)
        .map((a) => ({
          invitationId: a.id,
          name: a.teamName ? `${a.teamName}（${a.expertName}）` : a.expertName,
          detail: [a.employer, a.jobTitle].filter(Boolean).join(' · '),
        })),
      pending: invitations.filter((a) => a.status === 'pending' && a.confirmed_item_id === i.id)
        .length,
      pairings: pairings
        .filter((p) => p.confirmed_item_id === i.id)
        .map((p) => ({
          id: p.id,
          name: p.teamName ? `${p.teamName}（${p.expertName}）` : p.expertName,
          decision: p.decision,
        })),
    })),
    acceptedCount: accepted.length,
    can: {
      schedule: allowed.has('SCHEDULE_MEETING') && accepted.length > 0,
      cancel: allowed.has('CANCEL_MEETING'),
      confirm: allowed.has('CONFIRM_PAIRING') && accepted.length > 0,
      generate: allowed.has('GENERATE_AGREEMENT'),
    },
  }
}

/** The agreement page: the agreement as generated, who confirmed it and whether the principal may. */
export async function agreementView(db: Db, principal: Principal, listId: number) {
  const { list, scope } = await loadList(db, listId)
  const workflow = await findWorkflowInstance(db, ref(listId))
  if (!workflow) throw new NotFoundError('workflow', listId)
  const context = contextOf(workflow.snapshot)
  const pairedUserIds = context.pairedUserIds ?? []
  // Readers of the case, and the paired experts.
  const pairedExpert = hasRole(principal, 'expert') && pairedUserIds.includes(principal.userId)
  if (!pairedExpert) requireRead(principal, scope)
  const agreement = await findAgreement(db, listId)
  const confirmations = agreement ? await confirmationsOf(db, agreement.id) : []
  const actors = confirmingActors(principal, scope)
  const candidates = agreement
    ? actors.map((a) => ({ type: 'CONFIRM_AGREEMENT', actor: a, agreementId: agreement.id }))
    : []
  const canConfirm =
    agreement !== undefined &&
    allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, candidates).length > 0
  const isSteward = isAssignedSteward(principal, scope)
  const canGenerate =
    isSteward &&
    allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, [
      {
        type: 'GENERATE_AGREEMENT',
        actor: { userId: principal.userId, role: 'steward' },
        agreementId: 0,
      },
    ]).length > 0
  return {
    list: {
      id: list.id,
      title: list.title,
      status: list.status,
      enterpriseName: list.enterpriseName,
    },
    version: workflow.version,
    agreement: agreement
      ? {
          id: agreement.id,
          number: agreement.number,
          termStart: agreement.term_start,
          termEnd: agreement.term_end,
          content: agreement.content as unknown as AgreementContent,
          createdAt: agreement.created_at,
          generatedByName: agreement.generatedByName,
        }
      : null,
    confirmations: confirmations.map((c) => ({
      party: c.party,
      userId: c.user_id,
      userName: c.userName,
      expertId: c.expert_id,
      at: c.confirmed_at,
    })),
    confirmedBy: context.agreementConfirmedBy ?? [],
    pairedUserIds,
    stewardId: context.stewardId ?? null,
    can: { confirm: canConfirm, generate: canGenerate },
  }
}
