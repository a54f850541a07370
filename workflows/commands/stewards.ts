import { sql } from 'kysely'
import type { Db } from '#db/client.server.ts'
import {
  assignmentHistory,
  candidateStewards,
  casesOfEnterprise,
  currentAssignment,
  endAssignment,
  findEnterpriseForSteward,
  insertAssignment,
  loadOf,
  lockEnterprise,
  setEnterpriseSteward,
  stewardLoad,
  stewardsInScope,
  stewardWithProfile,
  upsertStewardProfile,
} from '#db/queries/stewards.ts'
import { stewardCaseCounts, stewardCases, stewardEnterprises } from '#db/queries/workspace.ts'
import type { Role } from '#db/schema.ts'
import {
  membershipFor,
  type Principal,
  type PrincipalMembership,
  requireMembership,
  scopesFor,
} from '../access.ts'
import type { Actor } from '../actor.ts'
import { OPEN_CASE_STATES, WAITING_ON_STEWARD_STATES } from '../case-states.ts'
import { dispatchInTransaction } from '../dispatch.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import type { StewardProfileInput } from '../steward.schema.ts'
import { type RankedSteward, rankStewards } from '../steward-ranking.ts'
import type { CommandOptions } from './needs-lists.ts'

/** Who manages stewards and assigns them: coordinators and admins, by subtree. */
export const STEWARD_MANAGER_ROLES: Role[] = ['coordinator', 'federation_admin']
const SUBJECT = 'needs_list'

function managerScopes(p: Principal): PrincipalMembership[] {
  return scopesFor(p, STEWARD_MANAGER_ROLES)
}

function inScopes(scopes: { orgPath: string }[], path: string) {
  return scopes.some((s) => path.startsWith(s.orgPath))
}

// ─── Steward profiles ─────────────────────────────────────────────────────

export async function listStewards(
  db: Db,
  principal: Principal,
  page: { limit: number; offset: number },
) {
  const scopes = managerScopes(principal)
  if (scopes.length === 0) throw new ForbiddenError('stewards are managed by coordinators')
  return stewardsInScope(db, {
    scopePaths: scopes.map((s) => s.orgPath),
    openStates: OPEN_CASE_STATES,
    ...page,
  })
}

/**
 * A steward as their manager sees them. The steward must hold a steward
 * membership in one of the manager's subtrees (their profile's org, once it
 * has one, must be there too).
 */
export async function stewardProfileView(db: Db, principal: Principal, userId: number) {
  const scopes = managerScopes(principal)
  if (scopes.length === 0) throw new ForbiddenError('stewards are managed by coordinators')
  const found = await stewardWithProfile(db, userId)
  if (!found || found.memberships.length === 0) throw new NotFoundError('steward', userId)
  const orgs = found.memberships.filter((m) => inScopes(scopes, m.orgPath))
  if (orgs.length === 0) throw new ForbiddenError('this steward is outside your subtrees')
  if (found.profile && !inScopes(scopes, found.profile.orgPath)) {
    throw new ForbiddenError("this steward's profile belongs to an org outside your subtrees")
  }
  const load = await stewardLoad(db, userId, OPEN_CASE_STATES)
  return { user: found.user, orgs, profile: found.profile ?? null, load }
}

/** Creates or updates a steward's capacity and coverage. */
export async function saveStewardProfile(
  db: Db,
  principal: Principal,
  userId: number,
  input: StewardProfileInput,
) {
  const view = await stewardProfileView(db, principal, userId)
  if (!view.orgs.some((o) => o.orgId === input.orgId)) {
    throw new ValidationError('orgId', 'steward.errors.org')
  }
  return upsertStewardProfile(db, {
    userId,
    orgId: input.orgId,
    capacity: input.capacity,
    districts: input.districts,
    parks: input.parks,
    industries: input.industries,
    active: input.active,
  })
}

// ─── Ranking and assignment ───────────────────────────────────────────────

async function enterpriseOrThrow(db: Db, enterpriseId: number) {
  const enterprise = await findEnterpriseForSteward(db, enterpriseId)
  if (!enterprise) throw new NotFoundError('enterprise', enterpriseId)
  return enterprise
}

/** The manager's subtrees that contain the enterprise's org. */
function coveringScopes(principal: Principal, orgPath: string) {
  return managerScopes(principal).filter((s) => orgPath.startsWith(s.orgPath))
}

/**
 * Ranked recommendations for an enterprise's dedicated steward. Candidates:
 * active stewards whose org is the enterprise's org or an ancestor of it, or
 * lies in the assigning coordinator's subtree(s) that contain the enterprise.
 */
export async function recommendStewards(
  db: Db,
  principal: Principal,
  enterpriseId: number,
): Promise<RankedSteward[]> {
  const enterprise = await enterpriseOrThrow(db, enterpriseId)
  requireMembership(principal, { orgPath: enterprise.orgPath, enterpriseId }, STEWARD_MANAGER_ROLES)
  const candidates = await candidateStewards(db, {
    enterpriseId,
    enterpriseOrgPath: enterprise.orgPath,
    scopePaths: coveringScopes(principal, enterprise.orgPath).map((s) => s.orgPath),
    openStates: OPEN_CASE_STATES,
  })
  return rankStewards(
    {
      orgPath: enterprise.orgPath,
      district: enterprise.district,
      park: enterprise.park,
      industry: enterprise.industry,
      currentStewardId: enterprise.steward_user_id,
    },
    candidates,
  )
}

export interface AssignStewardInput {
  enterpriseId: number
  stewardId: number
  reason?: string
  /** The case the coordinator assigned from, with the version they saw. */
  caseId?: number
  expectedVersion?: number
  /**
   * The enterprise's steward as the coordinator saw it (null: none); a
   * different current steward is a conflict. Undefined skips the check.
   */
  expectedStewardId?: number | null
}

/**
 * Makes `stewardId` the enterprise's dedicated steward. In one transaction:
 * ends the current assignment, records the new one with its reason, sets
 * enterprise.steward_user_id, and sends ASSIGN_STEWARD through dispatch to
 * every open case of the enterprise that does not already have this steward
 * (a case awaiting a steward moves on to needs confirmation). Replacing a
 * steward requires a reason.
 */
export async function assignSteward(
  db: Db,
  principal: Principal,
  input: AssignStewardInput,
  options: CommandOptions = {},
) {
  const now = options.now ?? new Date()
  const enterprise = await enterpriseOrThrow(db, input.enterpriseId)
  const m = requireMembership(
    principal,
    { orgPath: enterprise.orgPath, enterpriseId: enterprise.id },
    STEWARD_MANAGER_ROLES,
  )
  const reason = input.reason?.trim() || null
  const found = await stewardWithProfile(db, input.stewardId)
  if (!found || found.memberships.length === 0 || !found.profile) {
    throw new ValidationError('stewardId', 'steward.errors.unknownSteward')
  }
  const { profile } = found
  const scopes = coveringScopes(principal, enterprise.orgPath)
  const eligible =
    enterprise.orgPath.startsWith(profile.orgPath) || inScopes(scopes, profile.orgPath)
  if (!eligible) throw new ForbiddenError('this steward is outside your subtrees')
  if (!profile.active) throw new ValidationError('stewardId', 'steward.errors.inactive')
  const actor: Actor = { userId: principal.userId, role: m.role }

  return db.transaction().execute(async (trx) => {
    const row = await lockEnterprise(trx, enterprise.id)
    if (!row) throw new NotFoundError('enterprise', enterprise.id)
    if (input.expectedStewardId !== undefined && input.expectedStewardId !== row.steward_user_id) {
      throw new ConflictError(0, 1)
    }
    const previous = row.steward_user_id
    const changes = previous !== input.stewardId
    if (changes && previous !== null && !reason) {
      throw new ValidationError('reason', 'steward.errors.reasonRequired')
    }

    const cases = await casesOfEnterprise(trx, enterprise.id, OPEN_CASE_STATES)
    if (input.caseId !== undefined && !cases.some((c) => c.id === input.caseId)) {
      throw new ValidationError('caseId', 'steward.errors.notOpenCase')
    }
    const toDispatch = cases.filter(
      (c) => c.status === 'awaiting_steward' || c.steward_user_id !== input.stewardId,
    )
    if (!changes && toDispatch.length === 0) {
      throw new ValidationError('stewardId', 'steward.errors.sameSteward')
    }

    if (changes) {
      // Serialise assignments per steward so two desks cannot both fill the last place.
      const locked = await trx
        .selectFrom('steward_profile')
        .select(['capacity', 'active'])
        .where('user_id', '=', input.stewardId)
        .forUpdate()
        .executeTakeFirst()
      if (!locked?.active) throw new ValidationError('stewardId', 'steward.errors.inactive')
      const load = await trx
        .selectNoFrom(loadOf(sql<number>`${input.stewardId}::int`, OPEN_CASE_STATES).as('n'))
        .executeTakeFirstOrThrow()
      if (Number(load.n) + 1 > locked.capacity) {
        throw new ValidationError('stewardId', 'steward.errors.full')
      }
      const current = await currentAssignment(trx, enterprise.id)
      if (current) await endAssignment(trx, current.id, { at: now, reason })
      await insertAssignment(trx, {
        enterpriseId: enterprise.id,
        stewardId: input.stewardId,
        assignedBy: principal.userId,
        reason,
        at: now,
      })
      await setEnterpriseSteward(trx, enterprise.id, input.stewardId)
    }

    // The case the coordinator acted on first, with the version they saw.
    const ordered = [
      ...toDispatch.filter((c) => c.id === input.caseId),
      ...toDispatch.filter((c) => c.id !== input.caseId),
    ]
    const results = []
    for (const c of ordered) {
      results.push({
        caseId: c.id,
        ...(await dispatchInTransaction(
          trx,
          { subjectType: SUBJECT, subjectId: c.id },
          {
            type: 'ASSIGN_STEWARD',
            actor,
            stewardId: input.stewardId,
            reason: reason ?? undefined,
          },
          {
            ...options,
            now,
            expectedVersion: c.id === input.caseId ? input.expectedVersion : undefined,
          },
        )),
      })
    }
    return { previousStewardId: previous, cases: results }
  })
}

/**
 * The enterprise's steward page: current steward, history and (for its
 * coordinators) the ranked reassignment form. The current steward may read it.
 */
export async function enterpriseStewardView(db: Db, principal: Principal, enterpriseId: number) {
  const enterprise = await enterpriseOrThrow(db, enterpriseId)
  const scope = {
    orgPath: enterprise.orgPath,
    enterpriseId,
    stewardUserId: enterprise.steward_user_id,
  }
  const manager = membershipFor(principal, scope, STEWARD_MANAGER_ROLES)
  const isSteward =
    enterprise.steward_user_id === principal.userId &&
    principal.memberships.some((x) => x.role === 'steward')
  if (!manager && !isSteward) throw new ForbiddenError('not your enterprise')
  const [history, openCases, ranked] = await Promise.all([
    assignmentHistory(db, enterpriseId),
    casesOfEnterprise(db, enterpriseId, OPEN_CASE_STATES),
    manager ? recommendStewards(db, principal, enterpriseId) : Promise.resolve([]),
  ])
  return { enterprise, history, openCases, ranked, canAssign: manager !== undefined }
}

// ─── The steward's workspace ──────────────────────────────────────────────

export const WORKSPACE_PAGE_SIZE = 20

/**
 * What a steward works on: the enterprises they are the dedicated steward of,
 * their cases by stage (one stage or all open ones, longest in stage first),
 * and the cases waiting on them.
 */
export async function stewardWorkspace(
  db: Db,
  principal: Principal,
  input: { stage: string | null; casePage: number; enterprisePage: number },
) {
  if (!principal.memberships.some((m) => m.role === 'steward')) {
    throw new ForbiddenError('the workspace is for stewards')
  }
  const stewardId = principal.userId
  const stages =
    input.stage && OPEN_CASE_STATES.includes(input.stage) ? [input.stage] : OPEN_CASE_STATES
  const size = WORKSPACE_PAGE_SIZE
  const [counts, cases, waiting, enterprises] = await Promise.all([
    stewardCaseCounts(db, { stewardId, states: OPEN_CASE_STATES }),
    stewardCases(db, {
      stewardId,
      states: stages,
      limit: size + 1,
      offset: (input.casePage - 1) * size,
    }),
    stewardCases(db, { stewardId, states: WAITING_ON_STEWARD_STATES, limit: size + 1, offset: 0 }),
    stewardEnterprises(db, {
      stewardId,
      openStates: OPEN_CASE_STATES,
      limit: size + 1,
      offset: (input.enterprisePage - 1) * size,
    }),
  ])
  return {
    stages: OPEN_CASE_STATES.map((s) => ({ state: s, count: counts[s] ?? 0 })),
    cases: cases.slice(0, size),
    casesHasNext: cases.length > size,
    waiting: waiting.slice(0, size),
    waitingHasMore: waiting.length > size,
    enterprises: enterprises.slice(0, size),
    enterprisesHasNext: enterprises.length > size,
  }
}
