import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'

/**
 * needs_revision is the history of a list's needs confirmation; `revision` numbers
 * every entry of one list (edits, proposals, comments, approvals) in order.
 * - edit: `items` holds the whole confirmed-needs document `{ items, dropped }`
 *   (see workflows/confirmation.ts);
 * - proposal / approval: `subject_revision` names the edit revision sent or approved;
 * - comment: `comment` holds the enterprise's text, `subject_revision` the edit
 *   revision that was on offer.
 */
export type RevisionKind = 'edit' | 'proposal' | 'comment' | 'approval'

export async function latestRevisionNumber(db: DbOrTrx, listId: number): Promise<number> {
  const row = await db
    .selectFrom('needs_revision')
    .select((eb) => eb.fn.max('revision').as('n'))
    .where('needs_list_id', '=', listId)
    .executeTakeFirst()
  return row?.n ?? 0
}

export function insertRevision(
  db: DbOrTrx,
  input: {
    listId: number
    revision: number
    kind: RevisionKind
    document?: unknown
    comment?: string | null
    subjectRevision?: number | null
    authorUserId: number
    authorRole: string
    at: Date
  },
) {
  return db
    .insertInto('needs_revision')
    .values({
      needs_list_id: input.listId,
      revision: input.revision,
      kind: input.kind,
      items: input.document === undefined ? null : JSON.stringify(input.document),
      comment: input.comment ?? null,
      subject_revision: input.subjectRevision ?? null,
      author_user_id: input.authorUserId,
      author_role: input.authorRole,
      created_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Every entry of a list's confirmation history, oldest first, with its author's name. */
export function revisionsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('needs_revision as r')
    .innerJoin('app_user as u', 'u.id', 'r.author_user_id')
    .select([
      'r.id',
      'r.revision',
      'r.kind',
      'r.items',
      'r.comment',
      'r.subject_revision',
      'r.author_user_id',
      'r.author_role',
      'r.created_at',
      'u.name as authorName',
    ])
    .where('r.needs_list_id', '=', listId)
    .orderBy('r.revision')
    .execute()
}

export function findRevision(db: DbOrTrx, listId: number, revision: number) {
  return db
    .selectFrom('needs_revision')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .where('revision', '=', revision)
    .executeTakeFirst()
}

/** The newest saved edit of the confirmed needs, if any. */
export function latestEdit(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('needs_revision')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .where('kind', '=', 'edit')
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export interface ConfirmedItemInput {
  category: string
  title: string
  description: string
  urgency: string
  headcount: number
  skillIds: number[]
  windowStart: string | null
  windowEnd: string | null
  mode: string
  place: string | null
  expectedOutcome: string | null
  sourceItemIds: number[]
}

/** Replaces a list's confirmed items with those of the approved revision. */
export async function replaceConfirmedItems(
  db: DbOrTrx,
  listId: number,
  revision: number,
  items: ConfirmedItemInput[],
) {
  await db.deleteFrom('confirmed_item').where('needs_list_id', '=', listId).execute()
  if (items.length === 0) return
  await db
    .insertInto('confirmed_item')
    .values(
      items.map((item, position) => ({
        needs_list_id: listId,
        revision,
        position,
        category: item.category,
        title: item.title,
        description: item.description,
        urgency: item.urgency,
        headcount: item.headcount,
        window_start: item.windowStart,
        window_end: item.windowEnd,
        mode: item.mode,
        place: item.place,
        expected_outcome: item.expectedOutcome,
        skill_ids: item.skillIds,
        source_item_ids: item.sourceItemIds,
      })),
    )
    .execute()
}

/** The approved confirmed items of a list (what matching works on), in order. */
export function confirmedItemsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('confirmed_item')
    .selectAll()
    .select([
      sql<string | null>`to_char(window_start, 'YYYY-MM-DD')`.as('windowStart'),
      sql<string | null>`to_char(window_end, 'YYYY-MM-DD')`.as('windowEnd'),
    ])
    .where('needs_list_id', '=', listId)
    .orderBy('position')
    .execute()
}

/** Filed need items with their dates as YYYY-MM-DD (no time-zone shift) and skills. */
export function filedItemsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('need_item as i')
    .select((eb) => [
      'i.id',
      'i.position',
      'i.category',
      'i.title',
      'i.description',
      'i.urgency',
      'i.headcount',
      'i.mode',
      'i.place',
      'i.expected_outcome as expectedOutcome',
      sql<string | null>`to_char(i.window_start, 'YYYY-MM-DD')`.as('windowStart'),
      sql<string | null>`to_char(i.window_end, 'YYYY-MM-DD')`.as('windowEnd'),
      eb.fn
        .coalesce(
          eb
            .selectFrom('need_item_skill as s')
            .select(sql<number[]>`array_agg(s.skill_id order by s.skill_id)`.as('ids'))
            .whereRef('s.need_item_id', '=', 'i.id'),
          sql<number[]>`'{}'::integer[]`,
        )
        .as('skillIds'),
    ])
    .where('i.needs_list_id', '=', listId)
    .orderBy('i.position')
    .execute()
}
