import type { Db } from '#db/client.server.ts'
import {
  type IntakeRow,
  intakePage,
  orgById,
  orgNeighbourhood,
  orgsInSubtrees,
  setNeedsListOrg,
} from '#db/queries/intake.ts'
import { findNeedsList } from '#db/queries/needs-lists.ts'
import { findEnterpriseForSteward } from '#db/queries/stewards.ts'
import type { Role } from '#db/schema.ts'
import { membershipFor, type Principal, requireMembership, scopesFor } from '../access.ts'
import type { Actor } from '../actor.ts'
import { dispatchInTransaction } from '../dispatch.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import type { RankedSteward } from '../steward-ranking.ts'
import type { IntakeFilters } from '../triage.schema.ts'
import { type CommandOptions, triageNeedsList } from './needs-lists.ts'
import { recommendStewards } from './stewards.ts'

export const INTAKE_ROLES: Role[] = ['coordinator', 'federation_admin']
const SUBJECT = 'needs_list'
const DAY_MS = 24 * 3600 * 1000

/** The org subtrees whose intake desk `p` works (nested ones folded into their parent). */
export function intakeScopes(p: Principal) {
  return scopesFor(p, INTAKE_ROLES)
}

/** Whether `orgPath` lies in one of `p`'s intake subtrees. */
export function coversOrg(p: Principal, orgPath: string): boolean {
  return intakeScopes(p).some((s) => orgPath.startsWith(s.orgPath))
}

/** One page of the intake queue for the principal's subtrees, with `pageSize + 1` rows at most. */
export async function intakeQueuePage(
  db: Db,
  principal: Principal,
  filters: IntakeFilters,
  input: { pageSize: number; now: Date },
): Promise<{ rows: IntakeRow[]; hasNext: boolean }> {
  const scopes = intakeScopes(principal)
  if (scopes.length === 0) throw new ForbiddenError('intake is for coordinators and admins')
  const found = await intakePage(db, {
    orgPaths: scopes.map((s) => s.orgPath),
    status: filters.status,
    category: filters.category,
    district: filters.district,
    park: filters.park,
    tag: filters.tag,
    stageBefore: filters.age ? new Date(input.now.getTime() - filters.age * DAY_MS) : undefined,
    dueBefore: filters.overdue ? input.now : undefined,
    sort: filters.sort,
    limit: input.pageSize + 1,
    offset: (filters.page - 1) * input.pageSize,
  })
  return { rows: found.slice(0, input.pageSize), hasNext: found.length > input.pageSize }
}

async function loadList(db: Db, id: number) {
  const list = await findNeedsList(db, id)
  if (!list) throw new NotFoundError('needs_list', id)
  return list
}

/** Rejects a list at intake; the reason goes to the enterprise. */
export async function rejectNeedsList(
  db: Db,
  principal: Principal,
  id: number,
  reason: string,
  expectedVersion: number | undefined,
  options: CommandOptions = {},
) {
  const trimmed = reason.trim()
  const list = await loadList(db, id)
  requireMembership(principal, scopeOf(list), INTAKE_ROLES)
  if (trimmed.length < 2) throw new ValidationError('reason', 'triage.errors.rejectReasonRequired')
  return triageNeedsList(
    db,
    principal,
    id,
    { type: 'REJECT', reason: trimmed },
    expectedVersion,
    options,
  )
}

/**
 * Routes a submitted list to another org's intake desk, e.g. from the city
 * federation to an industry-union federation. The target must lie in one of
 * the coordinator's own subtrees (any org there, not only those the form
 * offers). The list's org changes and the ROUTE transition runs in the same
 * transaction, so the notification goes to the new org's desk.
 */
export async function routeNeedsList(
  db: Db,
  principal: Principal,
  id: number,
  input: { toOrgId: number; reason?: string },
  expectedVersion: number | undefined,
  options: CommandOptions = {},
) {
  const list = await loadList(db, id)
  const m = requireMembership(principal, scopeOf(list), INTAKE_ROLES)
  const target = await orgById(db, input.toOrgId)
  if (!target) throw new ValidationError('toOrgId', 'triage.errors.unknownOrg')
  if (!coversOrg(principal, target.path)) {
    throw new ForbiddenError('the target org is outside your subtrees')
  }
  if (target.id === list.org_id) throw new ValidationError('toOrgId', 'triage.errors.sameOrg')
  const reason = input.reason?.trim() || undefined
  const actor: Actor = { userId: principal.userId, role: m.role }
  return db.transaction().execute(async (trx) => {
    await setNeedsListOrg(trx, id, target.id)
    return dispatchInTransaction(
      trx,
      { subjectType: SUBJECT, subjectId: id },
      { type: 'ROUTE', actor, toOrgId: target.id, fromOrgId: list.org_id, reason },
      { ...options, expectedVersion },
    )
  })
}

export interface RouteTarget {
  id: number
  name: string
  depth: number
}

/** Below this many orgs in the coordinator's subtrees, every one of them is offered. */
const ALL_TARGETS_UP_TO = 300

/**
 * Orgs offered as routing targets for a list: every org of the coordinator's
 * subtrees when there are few; otherwise the list org's neighbourhood there
 * (its ancestors and their children, and its own children). Never the
 * list's current org.
 */
export async function routeTargets(
  db: Db,
  principal: Principal,
  list: { org_id: number; orgPath: string },
): Promise<RouteTarget[]> {
  const paths = intakeScopes(principal).map((s) => s.orgPath)
  let orgs = await orgsInSubtrees(db, paths, ALL_TARGETS_UP_TO + 1)
  if (orgs.length > ALL_TARGETS_UP_TO) orgs = await orgNeighbourhood(db, list.orgPath, paths)
  const minDepth = Math.min(...orgs.map((o) => o.depth))
  return orgs
    .filter((o) => o.id !== list.org_id)
    .map((o) => ({ id: o.id, name: o.name, depth: o.depth - minDepth }))
}

function scopeOf(list: { orgPath: string; enterprise_id: number; steward_user_id: number | null }) {
  return {
    orgPath: list.orgPath,
    enterpriseId: list.enterprise_id,
    stewardUserId: list.steward_user_id,
  }
}

export interface TriagePanelData {
  listId: number
  enterpriseId: number
  status: string
  version: number
  canReject: boolean
  /** Routing targets when routing is allowed now, else null. */
  routeTargets: RouteTarget[] | null
  steward: {
    current: { id: number; name: string } | null
    /** Ranked candidates when the case waits for a steward and this user may assign one. */
    ranked: RankedSteward[] | null
  }
}

/**
 * What the needs-list page shows a coordinator for triage and stewardship:
 * reject and route when the workflow allows them, and for a case awaiting a
 * steward the ranked recommendations. Null for everyone else.
 */
export async function triagePanelData(
  db: Db,
  principal: Principal,
  view: {
    list: { id: number; org_id: number; orgPath: string; enterprise_id: number; status: string }
    version: number
    can: { reject: boolean; route: boolean; assignSteward: boolean }
  },
): Promise<TriagePanelData | null> {
  const { list } = view
  const scope = { orgPath: list.orgPath, enterpriseId: list.enterprise_id }
  if (!membershipFor(principal, scope, INTAKE_ROLES)) return null
  const [targets, enterprise, ranked] = await Promise.all([
    view.can.route ? routeTargets(db, principal, list) : Promise.resolve(null),
    findEnterpriseForSteward(db, list.enterprise_id),
    list.status === 'awaiting_steward' && view.can.assignSteward
      ? recommendStewards(db, principal, list.enterprise_id)
      : Promise.resolve(null),
  ])
  return {
    listId: list.id,
    enterpriseId: list.enterprise_id,
    status: list.status,
    version: view.version,
    canReject: view.can.reject,
    routeTargets: targets,
    steward: {
      current:
        enterprise?.steward_user_id && enterprise.stewardName
          ? { id: enterprise.steward_user_id, name: enterprise.stewardName }
          : null,
      ranked,
    },
  }
}

/** The triage page: the list and the decisions this coordinator can take on it now. */
export async function triagePageData(
  db: Db,
  principal: Principal,
  view: Parameters<typeof triagePanelData>[2],
) {
  const list = view.list
  requireMembership(
    principal,
    { orgPath: list.orgPath, enterpriseId: list.enterprise_id },
    INTAKE_ROLES,
  )
  return {
    canReject: view.can.reject,
    routeTargets: view.can.route ? await routeTargets(db, principal, list) : null,
  }
}
