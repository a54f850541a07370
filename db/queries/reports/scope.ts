import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely'
import type { DbOrTrx } from '#db/client.server.ts'
import { escapeLike } from '../orgs.ts'

/**
 * Shared pieces of the federation lists: the subtrees a list reads (org
 * paths, OR-ed), keyset cursors, and the orgs and stewards a filter form offers.
 */

export interface ListScope {
  /** Subtree roots ('/1/5/'); a row is in scope when its org path starts with one. */
  paths: string[]
}

export type SortDirection = 'asc' | 'desc'

/** The org path `column` lies in one of the subtrees. */
export function inSubtrees(column: string, paths: string[]): RawBuilder<boolean> {
  if (paths.length === 0) return sql<boolean>`false`
  return sql<boolean>`(${sql.join(
    paths.map((p) => sql`${sql.ref(column)} like ${`${escapeLike(p)}%`}`),
    sql` or `,
  )})`
}

/** '%text%' for ILIKE, the wildcard characters of `text` taken literally. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`
}

/** An ORDER BY term; nulls always last, whichever the direction. */
export function orderTerm(column: string, dir: SortDirection) {
  return sql`${sql.ref(column)} ${sql.raw(dir === 'asc' ? 'asc' : 'desc')} nulls last`
}

/** How many rows a list's filtered query has. */
export async function countRows<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  const row = await qb
    .select(sql<number>`count(*)::int`.as('n'))
    .$castTo<{ n: number }>()
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** One page, sorted on the server (ties broken by id in the same direction). */
export function sortedPage<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  columns: { sort: string; id: string },
  page: { dir: SortDirection; limit: number; offset: number },
): Promise<O[]> {
  return qb
    .orderBy(orderTerm(columns.sort, page.dir))
    .orderBy(orderTerm(columns.id, page.dir))
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

/**
 * Rows `size` at a time by a keyset cursor: `read(after)` reads the batch
 * that follows the key of the previous batch's last row (null: the first).
 * A short batch is the last, so the set is never re-read or held whole.
 */
export async function* keysetBatches<R, K>(
  size: number,
  read: (after: K | null) => Promise<R[]>,
  keyOf: (row: R) => K,
): AsyncGenerator<R[]> {
  let after: K | null = null
  for (;;) {
    const rows = await read(after)
    if (rows.length === 0) return
    after = keyOf(rows[rows.length - 1] as R)
    yield rows
    if (rows.length < size) return
  }
}

/** Every row of the query in keyset batches by its integer id column. */
export function idBatches<DB, TB extends keyof DB, O extends { id: number }>(
  qb: SelectQueryBuilder<DB, TB, O>,
  idColumn: string,
  size: number,
): AsyncGenerator<O[]> {
  const id = sql.ref(idColumn)
  return keysetBatches(
    size,
    (after) =>
      qb
        .where(sql<boolean>`${id} > ${after ?? 0}`)
        .orderBy(id)
        .limit(size)
        .execute(),
    (row) => row.id,
  )
}

/** Orgs of the subtrees, for the org filter (root first, then by path). */
export function orgOptions(db: DbOrTrx, scope: ListScope) {
  return db
    .selectFrom('union_org as o')
    .select(['o.id', 'o.name', 'o.depth', 'o.path'])
    .where(inSubtrees('o.path', scope.paths))
    .orderBy('o.path')
    .limit(500)
    .execute()
}

/** Stewards whose membership lies in the subtrees, for the steward filter. */
export function stewardOptions(db: DbOrTrx, scope: ListScope) {
  return db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .innerJoin('union_org as o', 'o.id', 'm.org_id')
    .select(['u.id', 'u.name'])
    .distinct()
    .where('m.role', '=', 'steward')
    .where(inSubtrees('o.path', scope.paths))
    .orderBy('u.name')
    .orderBy('u.id')
    .limit(500)
    .execute()
}

/** An org by id with its path (to check it lies in the viewer's scope). */
export function orgById(db: DbOrTrx, id: number) {
  return db
    .selectFrom('union_org')
    .select(['id', 'name', 'path'])
    .where('id', '=', id)
    .executeTakeFirst()
}
