import type { Db, DbOrTrx } from '#db/client.server.ts'
import { confirmedItemsOf } from '#db/queries/confirmation.ts'
import { findInvitation, insertInvitation } from '#db/queries/invitations.ts'
import { type LoadedInput, loadMatchInput } from '#db/queries/matching-input.ts'
import { effectiveWeights } from '#db/queries/matching-weights.ts'
import { findNeedsList } from '#db/queries/needs-lists.ts'
import {
  candidateServes,
  constraintsOf,
  deleteConstraint,
  findConfirmedItem,
  findConstraint,
  findProposal,
  insertMatchingRun,
  insertProposals,
  listsAwaitingMatching,
  type NewProposal,
  proposalsOfList,
  replacementRunFor,
  resourceRowsOf,
  runsOf,
  searchPool,
  skillNames,
  supersedeProposed,
  upsertConstraint,
} from '#db/queries/resource-list.ts'
import { findWorkflowInstance, lockWorkflowInstance } from '#db/queries/workflow.ts'
import type { ProposalStatus, ResourceProposal, Role } from '#db/schema.ts'
import { matchBatch } from '#workflows/matching/index.ts'
import type { Assignment, MatchResult, Unfilled } from '#workflows/matching/types.ts'
import {
  isAssignedSteward,
  membershipFor,
  type Principal,
  requireCaseSteward,
  requireRead,
  scopesFor,
} from '../access.ts'
import { type Actor, SYSTEM_ACTOR } from '../actor.ts'
import { allowedEvents, dispatchInTransaction, startWorkflow } from '../dispatch.ts'
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransitionNotAllowedError,
  ValidationError,
} from '../errors.ts'
import { parseFactors, skillIdsOf } from '../resource-list/explain.ts'
import { type CandidateRef, parseCandidate } from '../resource-list/schema.ts'
import type { CommandOptions } from './needs-lists.ts'

const SUBJECT = 'needs_list'
const ref = (id: number) => ({ subjectType: SUBJECT, subjectId: id })
const invitationRef = (id: number) => ({ subjectType: 'invitation', subjectId: id })

/** Where MATCH is an event of the needs-list machine: the resource list can be (re)built. */
export const MATCHABLE_STATES = ['ready_for_matching', 'matching', 'inviting'] as const
/** Where invitations are out and answers (and replacements) arrive. */
export const INVITING_STATES = ['inviting', 'pairing'] as const
/** Lists a coordinator's batch takes in. */
export const AWAITING_MATCHING = ['ready_for_matching', 'matching'] as const

const MATCHING_ROLES: Role[] = ['coordinator', 'federation_admin']

interface StewardContext {
  stewardId?: number | null
}

function contextOf(snapshot: unknown): StewardContext {
  return ((snapshot as { context?: StewardContext } | null)?.context ?? {}) as StewardContext
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

/** The case's own steward, or a coordinator or admin of the list's subtree. */
async function matcher(db: DbOrTrx, principal: Principal, id: number) {
  const { list, scope } = await loadList(db, id)
  if (isAssignedSteward(principal, scope)) {
    return { list, actor: { userId: principal.userId, role: 'steward' } as Actor }
  }
  const m = membershipFor(principal, scope, MATCHING_ROLES)
  if (!m) throw new ForbiddenError('only the case steward or a coordinator runs matching')
  return { list, actor: { userId: principal.userId, role: m.role } as Actor }
}

/** Only the case's own steward (pins, exclusions, invitations). */
async function caseSteward(db: DbOrTrx, principal: Principal, id: number) {
  const { list, scope } = await loadList(db, id)
  requireCaseSteward(principal, scope)
  return { list, actor: { userId: principal.userId, role: 'steward' } as Actor }
}

/** Locks the list's workflow row and checks the version the caller saw. */
async function lockAt(trx: DbOrTrx, id: number, expectedVersion: number | undefined) {
  const row = await lockWorkflowInstance(trx, ref(id))
  if (!row) throw new NotFoundError('workflow', id)
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new ConflictError(expectedVersion, row.version)
  }
  return row
}

function assertMatchable(state: string) {
  if (!(MATCHABLE_STATES as readonly string[]).includes(state)) {
    throw new TransitionNotAllowedError(state, 'MATCH')
  }
}

const candidateOf = (a: Assignment): CandidateRef => {
  const c = parseCandidate(a.key)
  if (!c) throw new Error(`matching: bad candidate key ${a.key}`)
  return c
}

function proposalRows(
  assignments: Assignment[],
  loaded: LoadedInput,
  runId: number,
  source?: NewProposal['source'],
): NewProposal[] {
  const volunteers = new Set(
    loaded.input.candidates.flatMap((c) =>
      c.volunteeredItemIds.map((itemId) => `${itemId}|${c.kind}:${c.id}`),
    ),
  )
  return assignments.map((a) => {
    const c = candidateOf(a)
    return {
      listId: loaded.listOf.get(a.itemId) ?? 0,
      itemId: a.itemId,
      expertId: c.kind === 'expert' ? c.id : null,
      teamId: c.kind === 'team' ? c.id : null,
      runId,
      score: a.score,
      factors: a.factors,
      source:
        source ??
        (a.pinned ? 'pinned' : volunteers.has(`${a.itemId}|${a.key}`) ? 'volunteer' : 'engine'),
    }
  })
}

const round = (x: number) => Math.round(x * 1000) / 1000

export interface RunOutcome {
  listId: number
  runId: number
  proposals: number
  /** Places the run could not fill. */
  missing: number
  unfilled: Unfilled[]
  totalScore: number
  /** The list's state afterwards. */
  state: string
}

/**
 * Writes one list's share of a result: its drafted proposals give way, the run
 * and the new proposals are recorded, and MATCH is dispatched with the run (in
 * ready_for_matching only when something was proposed: the run is kept either
 * way, so the steward sees why nothing was found).
 */
async function writeRun(
  trx: DbOrTrx,
  input: {
    listId: number
    state: string
    loaded: LoadedInput
    result: MatchResult
    actor: Actor
    stats: Record<string, unknown>
    change?: Record<string, unknown>
    options: CommandOptions
  },
): Promise<RunOutcome> {
  const { listId, loaded, result } = input
  const now = input.options.now ?? new Date()
  const mine = (itemId: number) => loaded.listOf.get(itemId) === listId
  const assignments = result.assignments.filter((a) => mine(a.itemId))
  const unfilled = result.unfilled.filter((u) => mine(u.itemId))
  const totalScore = round(assignments.reduce((s, a) => s + a.score, 0))
  await supersedeProposed(trx, { listIds: [listId], now })
  const run = await insertMatchingRun(trx, {
    listId,
    totalScore,
    unfilled,
    stats: {
      ...input.stats,
      itemIds: loaded.items.filter((i) => i.listId === listId).map((i) => i.id),
      proposals: assignments.length,
      // Pins kept against a rule (over capacity, no skill fit…), shown with the proposal.
      warnings: assignments
        .filter((a) => a.warnings?.length)
        .map((a) => ({ itemId: a.itemId, key: a.key, warnings: a.warnings })),
      engine: result.stats,
    },
    createdBy: input.actor.userId,
    now,
  })
  await insertProposals(trx, proposalRows(assignments, loaded, run.id), now)
  let state = input.state
  if (!(state === 'ready_for_matching' && assignments.length === 0)) {
    const done = await dispatchInTransaction(
      trx,
      ref(listId),
      {
        type: 'MATCH',
        actor: input.actor,
        runId: run.id,
        proposals: assignments.length,
        unfilled: unfilled.length,
        ...(input.change ? { change: input.change } : {}),
      },
      input.options,
    )
    state = done.state
  }
  return {
    listId,
    runId: run.id,
    proposals: assignments.length,
    missing: unfilled.reduce((s, u) => s + u.missing, 0),
    unfilled,
    totalScore,
    state,
  }
}

/** Runs the engine over one list's open places and writes its resource list, in the caller's transaction. */
async function rerun(
  trx: DbOrTrx,
  list: { id: number; orgPath: string },
  state: string,
  actor: Actor,
  options: CommandOptions,
  change?: Record<string, unknown>,
) {
  assertMatchable(state)
  const weights = await effectiveWeights(trx, list.orgPath)
  const loaded = await loadMatchInput(trx, { listIds: [list.id], weights })
  const result = matchBatch(loaded.input)
  return writeRun(trx, {
    listId: list.id,
    state,
    loaded,
    result,
    actor,
    stats: { kind: 'run', candidates: loaded.input.candidates.length },
    change,
    options,
  })
}

/**
 * The case steward (or a coordinator or admin of the subtree) builds the
 * resource list: the engine over the list's confirmed items, in one
 * transaction with the previous draft superseded and MATCH dispatched.
 */
export async function runMatching(
  db: Db,
  principal: Principal,
  listId: number,
  expectedVersion?: number,
  options: CommandOptions = {},
): Promise<RunOutcome> {
  const { list, actor } = await matcher(db, principal, listId)
  return db.transaction().execute(async (trx) => {
    const row = await lockAt(trx, listId, expectedVersion)
    return rerun(trx, { id: list.id, orgPath: list.orgPath }, row.state, actor, options)
  })
}

export interface BatchOutcome {
  lists: (RunOutcome & { title: string })[]
  totalScore: number
  filled: number
  missing: number
  candidates: number
}

/**
 * A coordinator (or admin) matches every list waiting for matching in their
 * subtrees at once: one engine call, so experts' capacity is shared between
 * the lists and goes where the total score is highest; then each list gets its
 * run, proposals and MATCH. The weights are those of the coordinator's first
 * subtree (its org's or the nearest ancestor's).
 */
export async function runBatchMatching(
  db: Db,
  principal: Principal,
  options: CommandOptions = {},
): Promise<BatchOutcome> {
  const scopes = scopesFor(principal, MATCHING_ROLES)
  const first = scopes[0]
  if (!first) throw new ForbiddenError('batch matching is for coordinators and admins')
  return db.transaction().execute(async (trx) => {
    const waiting = await listsAwaitingMatching(
      trx,
      scopes.map((s) => s.orgPath),
    )
    const ids = waiting.map((l) => l.id).sort((a, b) => a - b)
    const states = new Map<number, string>()
    for (const id of ids) {
      const row = await lockWorkflowInstance(trx, ref(id))
      if (row && (AWAITING_MATCHING as readonly string[]).includes(row.state)) {
        states.set(id, row.state)
      }
    }
    const lists = waiting.filter((l) => states.has(l.id))
    const empty: BatchOutcome = { lists: [], totalScore: 0, filled: 0, missing: 0, candidates: 0 }
    if (lists.length === 0) return empty
    const weights = await effectiveWeights(trx, first.orgPath)
    const loaded = await loadMatchInput(trx, { listIds: lists.map((l) => l.id), weights })
    const result = matchBatch(loaded.input)
    const outcomes: BatchOutcome['lists'] = []
    for (const l of lists) {
      const m = membershipFor(principal, { orgPath: l.orgPath, enterpriseId: null }, MATCHING_ROLES)
      const actor: Actor = { userId: principal.userId, role: m?.role ?? first.role }
      const outcome = await writeRun(trx, {
        listId: l.id,
        state: states.get(l.id) ?? 'ready_for_matching',
        loaded,
        result,
        actor,
        stats: {
          kind: 'batch',
          candidates: loaded.input.candidates.length,
          batch: { lists: lists.length, totalScore: result.totalScore },
        },
        options,
      })
      outcomes.push({ ...outcome, title: l.title })
    }
    return {
      lists: outcomes,
      totalScore: round(outcomes.reduce((s, o) => s + o.totalScore, 0)),
      filled: outcomes.reduce((s, o) => s + o.proposals, 0),
      missing: outcomes.reduce((s, o) => s + o.missing, 0),
      candidates: loaded.input.candidates.length,
    }
  })
}

// ---------------------------------------------------------------------------
// The steward's pins and exclusions: recorded, then the list is matched again.

interface ConstraintInput {
  itemId: number
  candidate: string
  reason?: string
}

async function checkedCandidate(
  trx: DbOrTrx,
  list: { id: number; orgPath: string },
  input: ConstraintInput,
) {
  const candidate = parseCandidate(input.candidate)
  if (!candidate) throw new ValidationError('candidate', 'matching.errors.candidate')
  const item = await findConfirmedItem(trx, list.id, input.itemId)
  if (!item) throw new ValidationError('itemId', 'matching.errors.unknownItem')
  return { candidate, item }
}

/** The candidate's live proposal for the item that rules out a pin or an exclusion, if any. */
async function answeredProposal(trx: DbOrTrx, listId: number, itemId: number, c: CandidateRef) {
  const rows = await proposalsOfList(trx, listId, [
    'invited',
    'accepted',
    'declined',
    'lapsed',
    'withdrawn',
  ])
  return rows.find(
    (p) =>
      p.confirmed_item_id === itemId &&
      (c.kind === 'expert' ? p.expert_id === c.id && p.team_id === null : p.team_id === c.id),
  )
}

const STAFFED: ProposalStatus[] = ['invited', 'accepted']

async function constrain(
  db: Db,
  principal: Principal,
  listId: number,
  kind: 'pin' | 'exclude',
  input: ConstraintInput,
  expectedVersion: number | undefined,
  options: CommandOptions,
  replacing?: number,
) {
  const { list, actor } = await caseSteward(db, principal, listId)
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    const row = await lockAt(trx, listId, expectedVersion)
    assertMatchable(row.state)
    const { candidate, item } = await checkedCandidate(trx, list, input)
    if (
      kind === 'pin' &&
      !(await candidateServes(trx, candidate.kind, candidate.id, list.orgPath))
    ) {
      throw new ValidationError('candidate', 'matching.errors.notInPool')
    }
    const answered = await answeredProposal(trx, listId, item.id, candidate)
    if (answered && STAFFED.includes(answered.status)) {
      throw new ValidationError('candidate', 'matching.errors.alreadyInvited')
    }
    if (answered && kind === 'pin') {
      throw new ValidationError('candidate', 'matching.errors.alreadyAsked')
    }
    const reason = input.reason?.trim() || null
    const saved = await upsertConstraint(trx, {
      listId,
      itemId: item.id,
      expertId: candidate.kind === 'expert' ? candidate.id : null,
      teamId: candidate.kind === 'team' ? candidate.id : null,
      kind,
      reason,
      createdBy: principal.userId,
      now,
    })
    return rerun(trx, { id: list.id, orgPath: list.orgPath }, row.state, actor, options, {
      kind: replacing === undefined ? kind : 'replace',
      constraintId: saved.id,
      itemId: item.id,
      candidate: `${candidate.kind}:${candidate.id}`,
      ...(reason ? { reason } : {}),
      ...(replacing === undefined ? {} : { proposalId: replacing }),
    })
  })
}

/** Pins a candidate to an item (they are proposed whatever the engine thinks); re-runs. */
export function pinCandidate(
  db: Db,
  principal: Principal,
  listId: number,
  input: { itemId: number; candidate: string },
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  return constrain(db, principal, listId, 'pin', input, expectedVersion, options)
}

/** Excludes a candidate from an item, with an optional reason; re-runs. */
export function excludeCandidate(
  db: Db,
  principal: Principal,
  listId: number,
  input: ConstraintInput,
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  return constrain(db, principal, listId, 'exclude', input, expectedVersion, options)
}

/** Replaces a drafted proposal: its candidate is excluded from the item and the list re-run. */
export async function replaceProposal(
  db: Db,
  principal: Principal,
  listId: number,
  input: { proposalId: number; reason?: string },
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  await caseSteward(db, principal, listId)
  const proposal = await findProposal(db, input.proposalId)
  if (!proposal || proposal.needs_list_id !== listId) {
    throw new ValidationError('proposalId', 'matching.errors.unknownProposal')
  }
  if (proposal.status !== 'proposed') {
    throw new ValidationError('proposalId', 'matching.errors.notDrafted')
  }
  const candidate =
    proposal.team_id !== null ? `team:${proposal.team_id}` : `expert:${proposal.expert_id}`
  return constrain(
    db,
    principal,
    listId,
    'exclude',
    { itemId: proposal.confirmed_item_id, candidate, reason: input.reason },
    expectedVersion,
    options,
    proposal.id,
  )
}

/** Drops a pin or an exclusion; re-runs. */
export async function removeConstraint(
  db: Db,
  principal: Principal,
  listId: number,
  constraintId: number,
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  const { list, actor } = await caseSteward(db, principal, listId)
  return db.transaction().execute(async (trx) => {
    const row = await lockAt(trx, listId, expectedVersion)
    assertMatchable(row.state)
    const c = await findConstraint(trx, constraintId)
    if (!c || c.needs_list_id !== listId) {
      throw new ValidationError('constraintId', 'matching.errors.unknownConstraint')
    }
    await deleteConstraint(trx, c.id)
    return rerun(trx, { id: list.id, orgPath: list.orgPath }, row.state, actor, options, {
      kind: `remove_${c.kind}`,
      constraintId: c.id,
      itemId: c.confirmed_item_id,
      candidate: c.team_id !== null ? `team:${c.team_id}` : `expert:${c.expert_id}`,
    })
  })
}

// ---------------------------------------------------------------------------
// Invitations

/**
 * Invites a proposal's candidate (a team's leader answers for the team): the
 * invitation row and its workflow, whose start marks the proposal invited.
 */
export async function inviteProposal(
  trx: DbOrTrx,
  proposal: Pick<
    ResourceProposal,
    'id' | 'needs_list_id' | 'confirmed_item_id' | 'expert_id' | 'team_id'
  >,
  input: { stewardId: number | null; actor: Actor; options: CommandOptions },
) {
  const now = input.options.now ?? new Date()
  let expertId = proposal.expert_id
  if (proposal.team_id !== null) {
    const team = await trx
      .selectFrom('service_team')
      .select('leader_expert_id')
      .where('id', '=', proposal.team_id)
      .executeTakeFirstOrThrow()
    expertId = team.leader_expert_id
  }
  if (expertId === null) throw new Error(`proposal ${proposal.id} names nobody`)
  const expert = await trx
    .selectFrom('expert')
    .select('user_id')
    .where('id', '=', expertId)
    .executeTakeFirstOrThrow()
  const invitation = await insertInvitation(trx, {
    proposalId: proposal.id,
    listId: proposal.needs_list_id,
    itemId: proposal.confirmed_item_id,
    expertId,
    teamId: proposal.team_id,
    now,
  })
  await startWorkflow(trx, invitationRef(invitation.id), input.actor, {
    now,
    deadlines: input.options.deadlines,
    input: { inviteeUserId: expert.user_id, stewardId: input.stewardId },
  })
  return invitation
}

/**
 * The case steward invites every drafted proposal of the resource list
 * (SEND_INVITATIONS: matching → inviting, or stays in inviting / pairing).
 */
export async function sendInvitations(
  db: Db,
  principal: Principal,
  listId: number,
  expectedVersion?: number,
  options: CommandOptions = {},
): Promise<{ invitations: number; version: number }> {
  const { actor } = await caseSteward(db, principal, listId)
  return db.transaction().execute(async (trx) => {
    await lockAt(trx, listId, expectedVersion)
    const drafted = await proposalsOfList(trx, listId, ['proposed'])
    if (drafted.length === 0) {
      throw new ValidationError('proposals', 'matching.errors.nothingToInvite')
    }
    const done = await dispatchInTransaction(
      trx,
      ref(listId),
      { type: 'SEND_INVITATIONS', actor, invitations: drafted.length },
      { ...options, expectedVersion },
    )
    for (const p of drafted) {
      await inviteProposal(trx, p, { stewardId: principal.userId, actor, options })
    }
    return { invitations: drafted.length, version: done.version }
  })
}

/**
 * After a decline or a lapse, in the same transaction: the engine picks the
 * next best candidate for that one item (everyone already on its list is left
 * out, capacity as it is now) and invites them as a 'replacement'; when nobody
 * is left the run records the item as unfilled with the reason. Only while the
 * case is inviting or pairing; a second call for the same invitation does
 * nothing.
 */
export async function proposeReplacement(
  trx: DbOrTrx,
  invitationId: number,
  options: CommandOptions = {},
): Promise<{ runId: number; invitationId: number | null } | null> {
  const invitation = await findInvitation(trx, invitationId)
  if (!invitation) return null
  const listId = invitation.needs_list_id
  const workflow = await lockWorkflowInstance(trx, ref(listId))
  if (!workflow || !(INVITING_STATES as readonly string[]).includes(workflow.state)) return null
  if ((await replacementRunFor(trx, listId, invitationId)) !== null) return null
  const weights = await effectiveWeights(trx, invitation.orgPath)
  const loaded = await loadMatchInput(trx, {
    listIds: [listId],
    itemIds: [invitation.confirmed_item_id],
    mode: 'replacement',
    weights,
  })
  if (loaded.input.items.length === 0) return null
  const result = matchBatch(loaded.input)
  const now = options.now ?? new Date()
  const run = await insertMatchingRun(trx, {
    listId,
    totalScore: round(result.totalScore),
    unfilled: result.unfilled,
    stats: {
      kind: 'replacement',
      replacesInvitationId: invitationId,
      itemIds: [invitation.confirmed_item_id],
      candidates: loaded.input.candidates.length,
      proposals: result.assignments.length,
      engine: result.stats,
    },
    createdBy: null,
    now,
  })
  const [proposal] = await insertProposals(
    trx,
    proposalRows(result.assignments.slice(0, 1), loaded, run.id, 'replacement'),
    now,
  )
  if (!proposal) return { runId: run.id, invitationId: null }
  const stewardId = contextOf(workflow.snapshot).stewardId ?? null
  const next = await inviteProposal(trx, proposal, { stewardId, actor: SYSTEM_ACTOR, options })
  return { runId: run.id, invitationId: next.id }
}

// ---------------------------------------------------------------------------
// What the pages show.

/** The factors of a proposal as stored, checked. */
export { parseFactors }

export interface ResourceCandidate {
  proposalId: number
  kind: 'expert' | 'team'
  id: number
  key: string
  name: string
  detail: string
  leaderName: string | null
  mobile: string | null
  score: number | null
  factors: ReturnType<typeof parseFactors>
  source: string
  status: ProposalStatus
  /** Rules a pin overrides (over_capacity, over_headcount, no_fit, unavailable). */
  warnings: string[]
  invitation: {
    id: number
    status: string
    reason: string | null
    dueAt: Date | null
    respondedAt: Date | null
  } | null
}

/**
 * The resource list page's data: per confirmed item its candidates with score,
 * factors and status, its coverage and (when not filled) the reason; the
 * steward's constraints and runs; what the principal may do. The enterprise
 * sees the names and items only (no scores, contacts, declines or runs).
 */
export async function resourceListView(db: Db, principal: Principal, listId: number) {
  const { list, scope } = await loadList(db, listId)
  requireRead(principal, scope)
  const workflow = await findWorkflowInstance(db, ref(listId))
  if (!workflow) throw new NotFoundError('workflow', listId)
  const isSteward = isAssignedSteward(principal, scope)
  const union =
    isSteward ||
    membershipFor(principal, scope, ['coordinator', 'federation_admin', 'steward']) !== undefined
  const [items, rows, runs, constraints] = await Promise.all([
    confirmedItemsOf(db, listId),
    resourceRowsOf(db, listId),
    union ? runsOf(db, listId) : Promise.resolve([]),
    union ? constraintsOf(db, listId) : Promise.resolve([]),
  ])
  const visible = union
    ? rows
    : rows.filter((r) => (['proposed', 'invited', 'accepted'] as string[]).includes(r.status))
  const warningsOf = new Map<string, string[]>()
  for (const run of runs) {
    const listed = (run.stats as { warnings?: unknown }).warnings
    for (const w of Array.isArray(listed) ? listed : []) {
      const { itemId, key, warnings } = (w ?? {}) as Record<string, unknown>
      if (Array.isArray(warnings)) {
        warningsOf.set(
          `${run.id}|${itemId}|${key}`,
          warnings.filter((x) => typeof x === 'string'),
        )
      }
    }
  }
  const candidates: (ResourceCandidate & { itemId: number })[] = visible.map((r) => {
    const kind = r.teamId !== null ? 'team' : 'expert'
    const id = (r.teamId ?? r.expertId) as number
    return {
      proposalId: r.id,
      itemId: r.itemId,
      kind,
      id,
      key: `${kind}:${id}`,
      name: (kind === 'team' ? r.teamName : r.expertName) ?? '',
      detail:
        kind === 'team' ? '' : [r.employer, r.jobTitle].filter((s): s is string => !!s).join(' · '),
      leaderName: kind === 'team' ? r.leaderName : null,
      mobile: union ? (kind === 'team' ? r.leaderMobile : r.mobile) : null,
      score: union ? r.score : null,
      factors: union ? parseFactors(r.factors) : [],
      source: r.source,
      status: r.status,
      warnings:
        union && r.status === 'proposed'
          ? (warningsOf.get(`${r.runId}|${r.itemId}|${kind}:${id}`) ?? [])
          : [],
      invitation:
        r.invitationId === null
          ? null
          : {
              id: r.invitationId,
              status: r.invitationStatus ?? 'pending',
              reason: union ? r.invitationReason : null,
              dueAt: r.dueAt,
              respondedAt: r.respondedAt,
            },
    }
  })

  // Each item's reason comes from the newest run that covered it.
  const unfilledOf = new Map<number, Unfilled>()
  const decided = new Set<number>()
  for (const run of runs) {
    const covered = (run.stats as { itemIds?: unknown }).itemIds
    const unfilled = Array.isArray(run.unfilled) ? (run.unfilled as Unfilled[]) : []
    for (const itemId of Array.isArray(covered) ? covered : []) {
      if (typeof itemId !== 'number' || decided.has(itemId)) continue
      decided.add(itemId)
      const u = unfilled.find((x) => x?.itemId === itemId)
      if (u) unfilledOf.set(itemId, u)
    }
  }
  const skillIds = new Set<number>(items.flatMap((i) => i.skill_ids))
  for (const c of candidates) for (const id of skillIdsOf(c.factors)) skillIds.add(id)
  const skills = await skillNames(db, [...skillIds])

  const itemViews = items.map((i) => {
    const mine = candidates.filter((c) => c.itemId === i.id)
    const count = (s: ProposalStatus) => mine.filter((c) => c.status === s).length
    const coverage = {
      proposed: count('proposed'),
      invited: count('invited'),
      accepted: count('accepted'),
    }
    const covered = coverage.proposed + coverage.invited + coverage.accepted
    const unfilled = unfilledOf.get(i.id)
    return {
      id: i.id,
      title: i.title,
      category: i.category,
      description: i.description,
      headcount: i.headcount,
      skillIds: i.skill_ids,
      windowStart: i.windowStart,
      windowEnd: i.windowEnd,
      mode: i.mode,
      place: i.place,
      expectedOutcome: i.expected_outcome,
      candidates: mine,
      coverage: { ...coverage, covered, full: covered >= i.headcount },
      unfilled: union && unfilled && covered < i.headcount ? unfilled : null,
      constraints: constraints.filter((c) => c.itemId === i.id),
    }
  })

  const probe = (type: string, payload: Record<string, unknown>, role: Role) => ({
    type,
    ...payload,
    actor: { userId: principal.userId, role },
  })
  const roles = [...new Set(principal.memberships.map((m) => m.role))].filter(
    (role) => membershipFor(principal, scope, [role]) !== undefined,
  )
  const allowed = new Set(
    allowedEvents(
      SUBJECT,
      workflow.snapshot,
      workflow.machine_version,
      roles.flatMap((role) => [
        probe('MATCH', { runId: 0, proposals: 1 }, role),
        probe('SEND_INVITATIONS', { invitations: 1 }, role),
      ]),
    ),
  )
  const drafted = candidates.filter((c) => c.status === 'proposed').length
  const matchable = (MATCHABLE_STATES as readonly string[]).includes(list.status)
  return {
    list: {
      id: list.id,
      title: list.title,
      status: list.status,
      enterpriseName: list.enterpriseName,
      orgName: list.orgName,
      orgPath: list.orgPath,
    },
    version: workflow.version,
    audience: isSteward ? 'steward' : union ? 'union' : 'enterprise',
    items: itemViews,
    runs: runs.slice(0, 10).map((r) => ({
      id: r.id,
      totalScore: r.totalScore,
      kind: String((r.stats as { kind?: unknown }).kind ?? 'run'),
      proposals: Number((r.stats as { proposals?: unknown }).proposals ?? 0),
      missing: (Array.isArray(r.unfilled) ? (r.unfilled as Unfilled[]) : []).reduce(
        (s, u) => s + (Number(u?.missing) || 0),
        0,
      ),
      createdAt: r.createdAt,
      createdByName: r.createdByName,
    })),
    skills: Object.fromEntries(skills.map((s) => [s.id, { nameZh: s.nameZh, nameEn: s.nameEn }])),
    totals: {
      items: itemViews.length,
      covered: itemViews.filter((i) => i.coverage.full).length,
      accepted: itemViews.filter((i) => i.coverage.accepted >= i.headcount).length,
    },
    can: {
      run: matchable && allowed.has('MATCH'),
      constrain: isSteward && matchable && allowed.has('MATCH'),
      invite: isSteward && drafted > 0 && allowed.has('SEND_INVITATIONS'),
      answer: isSteward && (INVITING_STATES as readonly string[]).includes(list.status),
    },
  }
}

/** Experts and teams of the list's pool found by name or mobile (the steward adds one by pinning). */
export async function searchCandidates(
  db: Db,
  principal: Principal,
  listId: number,
  query: string,
) {
  const { list } = await caseSteward(db, principal, listId)
  if (query.trim().length < 1) return []
  return searchPool(db, { orgPath: list.orgPath, query, limit: 20 })
}

/** The coordinator's matching desk: lists waiting for matching in their subtrees. */
export async function matchingDesk(db: Db, principal: Principal) {
  const scopes = scopesFor(principal, MATCHING_ROLES)
  if (scopes.length === 0) throw new ForbiddenError('matching desk is for coordinators and admins')
  const lists = await listsAwaitingMatching(
    db,
    scopes.map((s) => s.orgPath),
  )
  return lists.map((l) => ({
    id: l.id,
    title: l.title,
    status: l.status,
    enterpriseName: l.enterpriseName,
    orgName: l.orgName,
    stewardName: l.stewardName,
    stageEnteredAt: l.stageEnteredAt,
    itemCount: Number(l.itemCount ?? 0),
    headcount: Number(l.headcount ?? 0),
    proposals: Number(l.proposals ?? 0),
    lastScore: l.lastScore === null || l.lastScore === undefined ? null : Number(l.lastScore),
  }))
}
