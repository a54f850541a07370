import { sql } from 'kysely'
import { CLOSED_CASE_STATES } from '#workflows/case-states.ts'
import type { DbOrTrx } from '../client.server.ts'

/**
 * Engagements an expert (or team) holds now: invitations pending an answer or
 * accepted, on cases that are still open. Capacity bounds this number.
 */
export async function engagementLoads(
  db: DbOrTrx,
  kind: 'expert' | 'team',
  ids: number[],
): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map()
  const column = kind === 'expert' ? 'i.expert_id' : 'i.team_id'
  const rows = await db
    .selectFrom('invitation as i')
    .innerJoin('needs_list as n', 'n.id', 'i.needs_list_id')
    .select([sql<number>`${sql.ref(column)}`.as('id'), (eb) => eb.fn.countAll<number>().as('load')])
    .where(sql.ref(column), 'in', ids)
    // A team's invitation goes to its leader: it counts against the team, not the leader.
    .$if(kind === 'expert', (q) => q.where('i.team_id', 'is', null))
    .where('i.status', 'in', ['pending', 'accepted'])
    .where('n.status', 'not in', [...CLOSED_CASE_STATES])
    .groupBy(sql.ref(column))
    .execute()
  return new Map(rows.map((r) => [Number(r.id), Number(r.load)]))
}
