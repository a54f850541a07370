import type { DbOrTrx } from '../client.server.ts'
import { escapeLike } from './orgs.ts'

/** Service teams (服务队) and their members; authorisation is the commands'. */

export interface TeamValues {
  orgId: number
  name: string
  leaderId: number
  capacity: number
  status: 'active' | 'paused'
  bio: string | null
}

export async function insertTeam(db: DbOrTrx, v: TeamValues) {
  const row = await db
    .insertInto('service_team')
    .values({
      org_id: v.orgId,
      name: v.name,
      leader_expert_id: v.leaderId,
      capacity: v.capacity,
      status: v.status,
      bio: v.bio,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function updateTeamRow(db: DbOrTrx, id: number, v: TeamValues) {
  return db
    .updateTable('service_team')
    .set({
      org_id: v.orgId,
      name: v.name,
      leader_expert_id: v.leaderId,
      capacity: v.capacity,
      status: v.status,
      bio: v.bio,
    })
    .where('id', '=', id)
    .executeTakeFirst()
}

export function deleteTeamRow(db: DbOrTrx, id: number) {
  return db.deleteFrom('service_team').where('id', '=', id).executeTakeFirst()
}

/** Adds members (already members are left alone). */
export async function addTeamMembers(db: DbOrTrx, teamId: number, expertIds: number[]) {
  if (expertIds.length === 0) return
  await db
    .insertInto('service_team_member')
    .values(expertIds.map((id) => ({ team_id: teamId, expert_id: id })))
    .onConflict((oc) => oc.columns(['team_id', 'expert_id']).doNothing())
    .execute()
}

export function removeTeamMember(db: DbOrTrx, teamId: number, expertId: number) {
  return db
    .deleteFrom('service_team_member')
    .where('team_id', '=', teamId)
    .where('expert_id', '=', expertId)
    .executeTakeFirst()
}

/** The team with its managing org (scope checks) and leader; `lock` for changes. */
export function findTeam(db: DbOrTrx, id: number, lock = false) {
  return db
    .selectFrom('service_team as t')
    .innerJoin('union_org as o', 'o.id', 't.org_id')
    .innerJoin('expert as l', 'l.id', 't.leader_expert_id')
    .selectAll('t')
    .select(['o.path as orgPath', 'o.name as orgName', 'l.name as leaderName'])
    .where('t.id', '=', id)
    .$if(lock, (q) => q.forUpdate('t'))
    .executeTakeFirst()
}

export function teamMembers(db: DbOrTrx, teamId: number) {
  return db
    .selectFrom('service_team_member as m')
    .innerJoin('expert as e', 'e.id', 'm.expert_id')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .select([
      'e.id',
      'e.name',
      'e.employer',
      'e.job_title',
      'e.status',
      'e.mobile',
      'o.name as orgName',
      'o.path as orgPath',
    ])
    .where('m.team_id', '=', teamId)
    .orderBy('e.name')
    .orderBy('e.id')
    .execute()
}

/** Teams of the given subtrees, by name, with their leader and member count. */
export function teamsInScope(
  db: DbOrTrx,
  input: { orgPaths: string[]; text?: string; limit: number; offset: number },
) {
  if (input.orgPaths.length === 0) return Promise.resolve([])
  return db
    .selectFrom('service_team as t')
    .innerJoin('union_org as o', 'o.id', 't.org_id')
    .innerJoin('expert as l', 'l.id', 't.leader_expert_id')
    .select((eb) => [
      't.id',
      't.name',
      't.capacity',
      't.status',
      'o.name as orgName',
      'l.name as leaderName',
      eb
        .selectFrom('service_team_member as m')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('m.team_id', '=', 't.id')
        .as('memberCount'),
    ])
    .where((eb) => eb.or(input.orgPaths.map((p) => eb('o.path', 'like', `${escapeLike(p)}%`))))
    .$if(Boolean(input.text), (q) =>
      q.where((eb) =>
        eb.or([
          eb('t.name', 'ilike', `%${escapeLike(input.text ?? '')}%`),
          eb('l.name', 'ilike', `%${escapeLike(input.text ?? '')}%`),
        ]),
      ),
    )
    .orderBy('t.name')
    .orderBy('t.id')
    .limit(input.limit)
    .offset(input.offset)
    .execute()
}

/** Teams of the same org with this name (names are unique per org). */
export async function teamNameTaken(db: DbOrTrx, orgId: number, name: string, exceptId?: number) {
  const row = await db
    .selectFrom('service_team')
    .select('id')
    .where('org_id', '=', orgId)
    .where('name', '=', name)
    .$if(exceptId !== undefined, (q) => q.where('id', '!=', exceptId ?? 0))
    .executeTakeFirst()
  return row !== undefined
}
