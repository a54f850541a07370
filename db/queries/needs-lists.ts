import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'
import { escapeLike } from './orgs.ts'

export interface NeedItemInput {
  category: string
  title?: string
  description: string
  urgency: string
  headcount: number
  skillIds?: number[]
  windowStart?: string
  windowEnd?: string
  mode?: 'onsite' | 'remote' | 'either'
  place?: string
  expectedOutcome?: string
}

export async function insertNeedsList(
  db: DbOrTrx,
  input: {
    enterpriseId: number
    orgId: number
    title: string
    createdBy: number
    status: string
    items: NeedItemInput[]
  },
) {
  const list = await db
    .insertInto('needs_list')
    .values({
      enterprise_id: input.enterpriseId,
      org_id: input.orgId,
      title: input.title,
      created_by: input.createdBy,
      status: input.status,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await replaceNeedItems(db, list.id, input.items)
  return list
}

export async function updateNeedsListContent(
  db: DbOrTrx,
  id: number,
  input: { title: string; items: NeedItemInput[] },
) {
  await db
    .updateTable('needs_list')
    .set({ title: input.title, updated_at: new Date() })
    .where('id', '=', id)
    .execute()
  await replaceNeedItems(db, id, input.items)
}

async function replaceNeedItems(db: DbOrTrx, listId: number, items: NeedItemInput[]) {
  await db.deleteFrom('need_item').where('needs_list_id', '=', listId).execute()
  if (items.length === 0) return
  const inserted = await db
    .insertInto('need_item')
    .values(
      items.map((item, position) => ({
        needs_list_id: listId,
        position,
        category: item.category,
        title: item.title ?? '',
        description: item.description,
        urgency: item.urgency,
        headcount: item.headcount,
        window_start: item.windowStart ?? null,
        window_end: item.windowEnd ?? null,
        mode: item.mode ?? 'onsite',
        place: item.place ?? null,
        expected_outcome: item.expectedOutcome ?? null,
      })),
    )
    .returning(['id', 'position'])
    .execute()
  const skills = inserted.flatMap((row) =>
    [...new Set(items[row.position]?.skillIds ?? [])].map((skillId) => ({
      need_item_id: row.id,
      skill_id: skillId,
    })),
  )
  if (skills.length > 0) await db.insertInto('need_item_skill').values(skills).execute()
}

/** Keeps the queue-friendly mirror columns in step with the workflow. */
export function setNeedsListStatus(
  db: DbOrTrx,
  id: number,
  input: {
    status: string
    changed: boolean
    stewardId: number | null
    /** The current stage's deadline; undefined leaves it as it is. */
    dueAt?: Date | null
    now: Date
  },
) {
  return db
    .updateTable('needs_list')
    .set((eb) => ({
      ...(input.dueAt === undefined ? {} : { due_at: input.dueAt }),
      status: input.status,
      steward_user_id: input.stewardId,
      updated_at: input.now,
      stage_entered_at: input.changed ? input.now : eb.ref('stage_entered_at'),
      submitted_at:
        input.changed && input.status === 'submitted' ? input.now : eb.ref('submitted_at'),
    }))
    .where('id', '=', id)
    .execute()
}

export function findNeedsList(db: DbOrTrx, id: number) {
  return db
    .selectFrom('needs_list as l')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .selectAll('l')
    .select(['e.name as enterpriseName', 'o.path as orgPath', 'o.name as orgName'])
    .where('l.id', '=', id)
    .executeTakeFirst()
}

export function needItemsOf(db: DbOrTrx, listId: number) {
  return (
    db
      .selectFrom('need_item as i')
      .selectAll('i')
      .select((eb) =>
        eb.fn
          .coalesce(
            eb
              .selectFrom('need_item_skill as s')
              .select(sql<number[]>`array_agg(s.skill_id order by s.skill_id)`.as('ids'))
              .whereRef('s.need_item_id', '=', 'i.id'),
            sql<number[]>`'{}'::integer[]`,
          )
          .as('skillIds'),
      )
      // Calendar days as text: the drivers would turn a date into a time-zone-dependent Date.
      .select([
        sql<string | null>`to_char(i.window_start, 'YYYY-MM-DD')`.as('windowStart'),
        sql<string | null>`to_char(i.window_end, 'YYYY-MM-DD')`.as('windowEnd'),
      ])
      .where('i.needs_list_id', '=', listId)
      .orderBy('i.position')
      .execute()
  )
}

export function needsListsOfEnterprise(db: DbOrTrx, enterpriseId: number) {
  return db
    .selectFrom('needs_list as l')
    .select((eb) => [
      'l.id',
      'l.title',
      'l.status',
      'l.submitted_at',
      'l.updated_at',
      eb
        .selectFrom('need_item')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('need_item.needs_list_id', '=', 'l.id')
        .as('itemCount'),
    ])
    .where('l.enterprise_id', '=', enterpriseId)
    .orderBy('l.updated_at', 'desc')
    .execute()
}

/** Lists in the given states across one or more org subtrees, oldest submission first. */
export function intakeQueue(
  db: DbOrTrx,
  input: { orgPaths: string[]; statuses: string[]; limit: number; offset: number },
) {
  return db
    .selectFrom('needs_list as l')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('workflow_instance as w', (j) =>
      j.onRef('w.subject_id', '=', 'l.id').on('w.subject_type', '=', 'needs_list'),
    )
    .select((eb) => [
      'l.id',
      'l.title',
      'l.status',
      'l.submitted_at',
      'w.version',
      'e.name as enterpriseName',
      'o.name as orgName',
      eb
        .selectFrom('need_item')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('need_item.needs_list_id', '=', 'l.id')
        .as('itemCount'),
    ])
    .where((eb) => eb.or(input.orgPaths.map((p) => eb('o.path', 'like', `${escapeLike(p)}%`))))
    .where('l.status', 'in', input.statuses)
    .orderBy('l.submitted_at', 'asc')
    .orderBy('l.id', 'asc')
    .limit(input.limit)
    .offset(input.offset)
    .execute()
}
