import type { Db, DbOrTrx } from '#db/client.server.ts'
import { engagementLoads } from '#db/queries/expert-load.ts'
import { expertsForPicker, expertsWithOrgPaths } from '#db/queries/experts.ts'
import { getOrg } from '#db/queries/orgs.ts'
import {
  addTeamMembers,
  deleteTeamRow,
  findTeam,
  insertTeam,
  removeTeamMember,
  teamMembers,
  teamNameTaken,
  teamsInScope,
  updateTeamRow,
} from '#db/queries/service-teams.ts'
import { membershipFor, type Principal, requireMembership } from '../access.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import type { TeamInput } from '../talent/schema.ts'
import {
  manageableOrgs,
  TALENT_MANAGER_ROLES,
  TALENT_READER_ROLES,
  talentManagerScopes,
  talentReaderScopes,
} from './experts.ts'

/**
 * Service teams (服务队/小分队): experts the matching engine may propose as
 * one unit, answered for by their leader. Managed like experts: by
 * coordinators and federation admins of the team's org subtree; stewards
 * read. The leader is always a member; every member must be an expert the
 * principal manages.
 */

const scoped = (orgPath: string) => ({ orgPath, enterpriseId: null })

export const MAX_TEAM_MEMBERS = 50

function uniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505'
}

function foreignKeyViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23503'
}

async function requireManagedOrg(db: DbOrTrx, principal: Principal, orgId: number) {
  const org = await getOrg(db, orgId)
  if (!org) throw new ValidationError('orgId', 'talent.errors.org')
  requireMembership(principal, scoped(org.path), TALENT_MANAGER_ROLES)
  return org
}

/** The experts exist and lie in the principal's manager subtrees. */
async function requireManagedExperts(
  db: DbOrTrx,
  principal: Principal,
  ids: number[],
  field: string,
) {
  const scopes = talentManagerScopes(principal)
  const found = await expertsWithOrgPaths(db, ids)
  if (
    found.length !== new Set(ids).size ||
    found.some((e) => !scopes.some((s) => e.orgPath.startsWith(s.orgPath)))
  ) {
    throw new ValidationError(field, 'talent.errors.expert')
  }
  return found
}

async function refuseTakenName(db: DbOrTrx, orgId: number, name: string, exceptId?: number) {
  if (await teamNameTaken(db, orgId, name, exceptId)) {
    throw new ValidationError('name', 'talent.errors.teamNameTaken')
  }
}

const values = (input: TeamInput) => ({
  orgId: input.orgId,
  name: input.name,
  leaderId: input.leaderId,
  capacity: input.capacity,
  status: input.status,
  bio: input.bio,
})

/** Teams in the principal's subtrees (managers and stewards), with their load. */
export async function listTeams(
  db: Db,
  principal: Principal,
  input: { q?: string; page: number; pageSize: number },
) {
  const scopes = talentReaderScopes(principal)
  if (scopes.length === 0) throw new ForbiddenError('service teams are for union roles')
  const rows = await teamsInScope(db, {
    orgPaths: scopes.map((s) => s.orgPath),
    text: input.q,
    limit: input.pageSize + 1,
    offset: (input.page - 1) * input.pageSize,
  })
  const page = rows.slice(0, input.pageSize)
  const loads = await engagementLoads(
    db,
    'team',
    page.map((r) => r.id),
  )
  return {
    hasNext: rows.length > input.pageSize,
    canCreate: talentManagerScopes(principal).length > 0,
    rows: page.map((r) => ({
      id: r.id,
      name: r.name,
      orgName: r.orgName,
      leaderName: r.leaderName,
      memberCount: Number(r.memberCount ?? 0),
      capacity: r.capacity,
      status: r.status,
      load: loads.get(r.id) ?? 0,
    })),
  }
}

async function scopedTeam(db: DbOrTrx, principal: Principal, id: number, manage: boolean) {
  const team = await findTeam(db, id)
  if (!team) throw new NotFoundError('service team', id)
  requireMembership(
    principal,
    scoped(team.orgPath),
    manage ? TALENT_MANAGER_ROLES : TALENT_READER_ROLES,
  )
  return team
}

/** A team with its members and load; `can.edit` for its managers. */
export async function loadTeam(db: Db, principal: Principal, id: number) {
  const team = await scopedTeam(db, principal, id, false)
  const [members, loads] = await Promise.all([
    teamMembers(db, id),
    engagementLoads(db, 'team', [id]),
  ])
  return {
    id: team.id,
    name: team.name,
    orgId: team.org_id,
    orgName: team.orgName,
    leaderId: team.leader_expert_id,
    leaderName: team.leaderName,
    capacity: team.capacity,
    status: team.status,
    bio: team.bio,
    load: loads.get(id) ?? 0,
    members: members.map((m) => ({
      id: m.id,
      name: m.name,
      employer: m.employer,
      jobTitle: m.job_title,
      status: m.status,
      orgName: m.orgName,
      leader: m.id === team.leader_expert_id,
    })),
    can: {
      edit: membershipFor(principal, scoped(team.orgPath), TALENT_MANAGER_ROLES) !== undefined,
    },
  }
}

/** What the team forms offer: orgs the principal manages and experts to lead. */
export async function teamFormOptions(db: Db, principal: Principal) {
  const scopes = talentManagerScopes(principal)
  if (scopes.length === 0) throw new ForbiddenError('service teams are managed by coordinators')
  const [orgs, experts] = await Promise.all([
    manageableOrgs(db, principal),
    expertsForPicker(db, { orgPaths: scopes.map((s) => s.orgPath), limit: 1000 }),
  ])
  return { orgs, experts }
}

/** Experts the principal manages who match `q` and are not members yet (adding members). */
export async function memberCandidates(db: Db, principal: Principal, teamId: number, q: string) {
  await scopedTeam(db, principal, teamId, true)
  const members = await teamMembers(db, teamId)
  const text = q.normalize('NFKC').trim().slice(0, 50)
  if (!text) return []
  return expertsForPicker(db, {
    orgPaths: talentManagerScopes(principal).map((s) => s.orgPath),
    text,
    excludeIds: members.map((m) => m.id),
    limit: 20,
  })
}

export async function createTeam(db: Db, principal: Principal, input: TeamInput): Promise<number> {
  await requireManagedOrg(db, principal, input.orgId)
  await requireManagedExperts(db, principal, [input.leaderId], 'leaderId')
  await refuseTakenName(db, input.orgId, input.name)
  try {
    return await db.transaction().execute(async (trx) => {
      const id = await insertTeam(trx, values(input))
      await addTeamMembers(trx, id, [input.leaderId])
      return id
    })
  } catch (err) {
    if (uniqueViolation(err)) throw new ValidationError('name', 'talent.errors.teamNameTaken')
    throw err
  }
}

/** Changes the team's fields; a new leader must be (and becomes) a member. */
export async function updateTeam(
  db: Db,
  principal: Principal,
  id: number,
  input: TeamInput,
): Promise<void> {
  const team = await scopedTeam(db, principal, id, true)
  if (input.orgId !== team.org_id) await requireManagedOrg(db, principal, input.orgId)
  if (input.leaderId !== team.leader_expert_id) {
    await requireManagedExperts(db, principal, [input.leaderId], 'leaderId')
  }
  await refuseTakenName(db, input.orgId, input.name, id)
  try {
    await db.transaction().execute(async (trx) => {
      await updateTeamRow(trx, id, values(input))
      await addTeamMembers(trx, id, [input.leaderId])
    })
  } catch (err) {
    if (uniqueViolation(err)) throw new ValidationError('name', 'talent.errors.teamNameTaken')
    throw err
  }
}

export async function addMember(db: Db, principal: Principal, teamId: number, expertId: number) {
  await scopedTeam(db, principal, teamId, true)
  await requireManagedExperts(db, principal, [expertId], 'expertId')
  await db.transaction().execute(async (trx) => {
    const team = await findTeam(trx, teamId, true)
    if (!team) throw new NotFoundError('service team', teamId)
    const members = await teamMembers(trx, teamId)
    if (members.some((m) => m.id === expertId)) return
    if (members.length >= MAX_TEAM_MEMBERS) {
      throw new ValidationError('expertId', 'talent.errors.teamFull')
    }
    await addTeamMembers(trx, teamId, [expertId])
  })
}

/** Removes a member; the leader stays (choose another leader first). */
export async function removeMember(db: Db, principal: Principal, teamId: number, expertId: number) {
  await db.transaction().execute(async (trx) => {
    const team = await findTeam(trx, teamId, true)
    if (!team) throw new NotFoundError('service team', teamId)
    requireMembership(principal, scoped(team.orgPath), TALENT_MANAGER_ROLES)
    if (team.leader_expert_id === expertId) {
      throw new ValidationError('expertId', 'talent.errors.removeLeader')
    }
    await removeTeamMember(trx, teamId, expertId)
  })
}

/** Deletes a team that was never proposed or invited (otherwise pause it). */
export async function deleteTeam(db: Db, principal: Principal, id: number) {
  await scopedTeam(db, principal, id, true)
  try {
    await deleteTeamRow(db, id)
  } catch (err) {
    if (foreignKeyViolation(err)) throw new ValidationError('team', 'talent.errors.teamInUse')
    throw err
  }
}
