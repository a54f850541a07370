import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'

/**
 * The enterprises a steward is the dedicated steward of, by name, with how
 * many open cases each has.
 */
export async function stewardEnterprises(
  db: DbOrTrx,
  input: { stewardId: number; openStates: readonly string[]; limit: number; offset: number },
) {
  const rows = await db
    .selectFrom('enterprise as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .select((eb) => [
      'e.id',
      'e.name',
      'e.district',
      'e.park',
      'o.name as orgName',
      eb
        .selectFrom('needs_list as l')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('l.enterprise_id', '=', 'e.id')
        .where('l.status', 'in', [...input.openStates])
        .as('openCases'),
    ])
    .where('e.steward_user_id', '=', input.stewardId)
    .orderBy('e.name')
    .orderBy('e.id')
    .limit(input.limit)
    .offset(input.offset)
    .execute()
  return rows.map((r) => ({ ...r, openCases: Number(r.openCases ?? 0) }))
}

/** How many of the steward's cases are in each of `states`. */
export async function stewardCaseCounts(
  db: DbOrTrx,
  input: { stewardId: number; states: readonly string[] },
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('needs_list')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('steward_user_id', '=', input.stewardId)
    .where('status', 'in', [...input.states])
    .groupBy('status')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
}

/** The steward's cases in `states`, longest in their stage first. */
export function stewardCases(
  db: DbOrTrx,
  input: { stewardId: number; states: readonly string[]; limit: number; offset: number },
) {
  return db
    .selectFrom('needs_list as l')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('workflow_instance as w', (j) =>
      j.onRef('w.subject_id', '=', 'l.id').on('w.subject_type', '=', 'needs_list'),
    )
    .select([
      'l.id',
      'l.title',
      'l.status',
      'l.stage_entered_at',
      'l.submitted_at',
      'l.due_at',
      'l.enterprise_id',
      'e.name as enterpriseName',
      'w.version',
    ])
    .where('l.steward_user_id', '=', input.stewardId)
    .where('l.status', 'in', [...input.states])
    .orderBy('l.stage_entered_at', 'asc')
    .orderBy('l.id', 'asc')
    .limit(input.limit)
    .offset(input.offset)
    .execute()
}

/** Whether the enterprise is (or the list's case is) assigned to this steward. */
export async function isStewardOf(
  db: DbOrTrx,
  input: { stewardId: number; enterpriseId: number },
): Promise<boolean> {
  const row = await db
    .selectFrom('enterprise')
    .select(sql<number>`1`.as('one'))
    .where('id', '=', input.enterpriseId)
    .where('steward_user_id', '=', input.stewardId)
    .executeTakeFirst()
  return row !== undefined
}
