import type { Db } from '#db/client.server.ts'
import { orgsInSubtrees } from '#db/queries/intake.ts'
import { getOrg } from '#db/queries/orgs.ts'
import { deleteSlaRule, slaRulesAlongPath, upsertSlaRule } from '#db/queries/sla.ts'
import { type Principal, scopesFor } from '../access.ts'
import { type EffectiveSlaRule, resolveSlaRules } from '../deadlines.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import { INVITATION_DEADLINE_STAGE } from '../machines/invitation.machine.ts'
import { DEADLINE_STAGE_OF_STATE } from '../machines/needs-list.machine.ts'
import { VISIT_DEADLINE_STAGES } from '../machines/visit.machine.ts'
import { SLA_STAGES, type SlaStage } from '../sla.ts'

/**
 * Deadlines per stage and org. A federation admin sets them for the orgs of
 * their subtree; an org without its own rule inherits its nearest
 * ancestor's, and the top falls back to the defaults in code.
 */
function adminScopes(principal: Principal) {
  const scopes = scopesFor(principal, ['federation_admin'])
  if (scopes.length === 0) throw new ForbiddenError('only federation admins manage deadlines')
  return scopes
}

async function managedOrg(db: Db, principal: Principal, orgId: number) {
  const scopes = adminScopes(principal)
  const org = await getOrg(db, orgId)
  if (!org) throw new ValidationError('orgId', 'deadlines.errors.unknownOrg')
  if (!scopes.some((s) => org.path.startsWith(s.orgPath))) {
    throw new ForbiddenError('the org is outside your subtrees')
  }
  return org
}

/** Stages a workflow uses today (the others wait for their stage to go live). */
const used = new Set<string>([
  ...Object.values(DEADLINE_STAGE_OF_STATE),
  INVITATION_DEADLINE_STAGE,
  ...VISIT_DEADLINE_STAGES,
])
export const LIVE_SLA_STAGES: readonly SlaStage[] = SLA_STAGES.filter((s) => used.has(s))

/** Orgs offered in the org picker, at most this many. */
const PICKER_LIMIT = 300

export interface SlaPolicyPage {
  org: { id: number; name: string }
  orgs: { id: number; name: string; depth: number }[]
  rules: EffectiveSlaRule[]
}

/** The effective deadline of every stage for one org (the admin's own by default). */
export async function slaPolicyPage(
  db: Db,
  principal: Principal,
  orgId: number | null,
): Promise<SlaPolicyPage> {
  const scopes = adminScopes(principal)
  const id = orgId ?? (scopes[0] as (typeof scopes)[number]).orgId
  const org = await getOrg(db, id)
  if (!org) throw new NotFoundError('union_org', id)
  if (!scopes.some((s) => org.path.startsWith(s.orgPath))) {
    throw new ForbiddenError('the org is outside your subtrees')
  }
  const [rows, orgs] = await Promise.all([
    slaRulesAlongPath(db, org.path),
    orgsInSubtrees(
      db,
      scopes.map((s) => s.orgPath),
      PICKER_LIMIT,
    ),
  ])
  // The chosen org is offered even when the picker's list stops short of it.
  const offered = orgs.some((o) => o.id === org.id) ? orgs : [...orgs, org]
  const minDepth = Math.min(...offered.map((o) => o.depth))
  return {
    org: { id: org.id, name: org.name },
    orgs: offered.map((o) => ({ id: o.id, name: o.name, depth: o.depth - minDepth })),
    rules: resolveSlaRules(rows, org.id),
  }
}

/** Sets an org's own rule for a stage (validated by slaRuleSchema). */
export async function setSlaRule(
  db: Db,
  principal: Principal,
  input: { orgId: number; stage: SlaStage; workingDays: number; remindBefore: number },
  now: Date,
) {
  const org = await managedOrg(db, principal, input.orgId)
  if (input.remindBefore >= input.workingDays) {
    throw new ValidationError('remindBefore', 'deadlines.errors.remindNotBeforeDeadline')
  }
  await upsertSlaRule(db, { ...input, orgId: org.id, updatedBy: principal.userId, now })
}

/** Drops an org's own rule for a stage, so it inherits again. */
export async function resetSlaRule(
  db: Db,
  principal: Principal,
  input: { orgId: number; stage: SlaStage },
) {
  const org = await managedOrg(db, principal, input.orgId)
  if (!(await deleteSlaRule(db, org.id, input.stage))) {
    throw new ValidationError('stage', 'deadlines.errors.noOwnRule')
  }
}
