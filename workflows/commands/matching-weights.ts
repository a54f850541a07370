import type { Db } from '#db/client.server.ts'
import { orgsInSubtrees } from '#db/queries/intake.ts'
import {
  deleteWeights,
  type EffectiveWeight,
  nearestWeightsRow,
  resolveWeights,
  upsertWeights,
  type WeightsRow,
} from '#db/queries/matching-weights.ts'
import { getOrg } from '#db/queries/orgs.ts'
import { type Principal, scopesFor } from '../access.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import type { MatchWeights } from '../matching/types.ts'
import { MAX_WEIGHT, WEIGHT_FACTORS } from '../matching-weights.schema.ts'

/**
 * Matching weights per org. As with deadlines, a federation admin sets them
 * for the orgs of their subtree; an org without its own weights uses its
 * nearest ancestor's, and the top falls back to the engine's defaults.
 */
function adminScopes(principal: Principal) {
  const scopes = scopesFor(principal, ['federation_admin'])
  if (scopes.length === 0)
    throw new ForbiddenError('only federation admins manage matching weights')
  return scopes
}

async function managedOrg(db: Db, principal: Principal, orgId: number) {
  const scopes = adminScopes(principal)
  const org = await getOrg(db, orgId)
  if (!org) throw new ValidationError('orgId', 'matchingWeights.errors.unknownOrg')
  if (!scopes.some((s) => org.path.startsWith(s.orgPath))) {
    throw new ForbiddenError('the org is outside your subtrees')
  }
  return org
}

/** '/1/4/9/' → '/1/4/' ('' at the top). */
function parentPath(orgPath: string): string {
  const trimmed = orgPath.replace(/[^/]+\/$/, '')
  return trimmed === '/' ? '' : trimmed
}

/** Orgs offered in the org picker, at most this many. */
const PICKER_LIMIT = 300

export interface MatchingWeightsPage {
  org: { id: number; name: string }
  orgs: { id: number; name: string; depth: number }[]
  /** Each factor's weight for the org and where it comes from. */
  weights: EffectiveWeight[]
  /** What the org would use without its own weights (its parent's, or the defaults). */
  inherited: EffectiveWeight[]
  /** The row the weights come from (own or an ancestor's), null for the defaults. */
  row: Pick<WeightsRow, 'orgId' | 'orgName' | 'updatedAt' | 'updatedByName'> | null
}

/** The effective weights of one org of the admin's subtrees (the admin's own by default). */
export async function matchingWeightsPage(
  db: Db,
  principal: Principal,
  orgId: number | null,
): Promise<MatchingWeightsPage> {
  const scopes = adminScopes(principal)
  const id = orgId ?? (scopes[0] as (typeof scopes)[number]).orgId
  const org = await getOrg(db, id)
  if (!org) throw new NotFoundError('union_org', id)
  if (!scopes.some((s) => org.path.startsWith(s.orgPath))) {
    throw new ForbiddenError('the org is outside your subtrees')
  }
  const up = parentPath(org.path)
  const [row, parentRow, orgs] = await Promise.all([
    nearestWeightsRow(db, org.path),
    up ? nearestWeightsRow(db, up) : Promise.resolve(undefined),
    orgsInSubtrees(
      db,
      scopes.map((s) => s.orgPath),
      PICKER_LIMIT,
    ),
  ])
  const offered = orgs.some((o) => o.id === org.id) ? orgs : [...orgs, org]
  const minDepth = Math.min(...offered.map((o) => o.depth))
  return {
    org: { id: org.id, name: org.name },
    orgs: offered.map((o) => ({ id: o.id, name: o.name, depth: o.depth - minDepth })),
    weights: resolveWeights(row, org.id),
    inherited: resolveWeights(parentRow, org.id),
    row: row
      ? {
          orgId: row.orgId,
          orgName: row.orgName,
          updatedAt: row.updatedAt,
          updatedByName: row.updatedByName,
        }
      : null,
  }
}

/** Sets an org's own weights, all nine at once (validated by matchingWeightsSchema). */
export async function setMatchingWeights(
  db: Db,
  principal: Principal,
  input: { orgId: number; weights: MatchWeights },
  now: Date,
): Promise<void> {
  const org = await managedOrg(db, principal, input.orgId)
  // The schema checks this for forms; the command holds for every caller.
  for (const factor of WEIGHT_FACTORS) {
    const v = input.weights[factor]
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_WEIGHT) {
      throw new ValidationError(factor, 'matchingWeights.errors.weight')
    }
  }
  if (!(input.weights.skill > 0)) {
    throw new ValidationError('skill', 'matchingWeights.errors.skillPositive')
  }
  const weights = Object.fromEntries(
    WEIGHT_FACTORS.map((f) => [f, input.weights[f]]),
  ) as unknown as MatchWeights
  await upsertWeights(db, { orgId: org.id, weights, updatedBy: principal.userId, now })
}

/** Drops an org's own weights, so it inherits again. */
export async function resetMatchingWeights(
  db: Db,
  principal: Principal,
  input: { orgId: number },
): Promise<void> {
  const org = await managedOrg(db, principal, input.orgId)
  if (!(await deleteWeights(db, org.id))) {
    throw new ValidationError('orgId', 'matchingWeights.errors.noOwnWeights')
  }
}
